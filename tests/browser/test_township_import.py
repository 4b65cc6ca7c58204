"""The township's journey (issue 14): import a roster with an error, see where it is, fix it, import."""

import datetime

import pytest
from playwright.sync_api import expect

from households.models import Household
from tests.browser.conftest import admin_log_in
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_township_imports_a_roster_after_fixing_the_faulty_row(live_server, cast, desktop, tmp_path):
    good_id = make_id_number(datetime.date(1960, 3, 5), serial=911)
    rows = [
        HEADER,
        ["H101", "虎溪村", "虎溪村一邻", "赵大", "户主", good_id, "13800001111", "一组12号", ""],
        ["H102", "虎溪村", "", "孙二", "户主", "43112719620701123", "", "", ""],  # 17 digits
    ]
    faulty = tmp_path / "花名册.xlsx"
    faulty.write_bytes(workbook_bytes(rows))
    admin_log_in(desktop, live_server.url, "township")
    desktop.goto(f"{live_server.url}/admin/households/household/import/")
    desktop.set_input_files('input[name="import_file"]', str(faulty))
    desktop.get_by_role("button", name="上传并预览").click()
    page = desktop.locator("#content")
    expect(page).to_contain_text("有问题的行（共1处，全部改正后才能导入）")
    fault = desktop.locator("tr", has_text="身份证号应为18位")
    expect(fault.locator("td").first).to_have_text("3")  # the sheet's own row number
    expect(desktop.locator('input[name="confirm"]')).to_have_count(0)  # nothing can be confirmed
    assert not Household.objects.filter(household_number__in=["H101", "H102"]).exists()

    rows[2][5] = make_id_number(datetime.date(1962, 7, 1), serial=912)
    fixed = tmp_path / "花名册（改）.xlsx"
    fixed.write_bytes(workbook_bytes(rows))
    desktop.get_by_role("link", name="改正后重新上传").click()
    desktop.set_input_files('input[name="import_file"]', str(fixed))
    desktop.get_by_role("button", name="上传并预览").click()
    expect(page).to_contain_text("新增2户")
    desktop.get_by_role("button", name="确认导入").click()
    expect(desktop.locator(".messagelist")).to_contain_text("导入完成")
    assert set(Household.objects.filter(household_number__in=["H101", "H102"]).values_list("head_name", flat=True)) == {
        "赵大",
        "孙二",
    }
    assert not desktop.console_errors
