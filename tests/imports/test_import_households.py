"""Households with their residents from a real (messy) roster: preview, confirm, re-import."""

import datetime

from auditlog.models import LogEntry

from households.models import Household, Resident
from tests.factories.ids import make_id_number
from tests.imports.helpers import HEADER, confirm, household_snapshot, upload, xlsx_file


def good_rows(cast):
    ids = [make_id_number(datetime.date(1960, 3, 5), serial=411), make_id_number(datetime.date(1962, 7, 1), serial=412)]
    return [
        HEADER,
        ["H001", "虎溪村", "虎溪村一邻", "赵大", "户主", ids[0], "13800001111", "一组12号", "低保、五保"],
        ["H001", "虎溪村", "虎溪村一邻", "钱氏", "配偶", ids[1], "", "", ""],
        ["H002", "虎溪村", "", "孙二", "户主", "", "13900002222", "", ""],
    ], ids


def test_preview_writes_nothing_and_confirm_creates_households_with_residents(client, cast):
    client.force_login(cast.users["village"])
    rows, ids = good_rows(cast)
    before = household_snapshot()
    preview = upload(client, xlsx_file(rows))
    assert preview.status_code == 200, preview.content.decode()[:3000]
    html = preview.content.decode()
    assert "新增2户" in html and "新增3人" in html
    assert household_snapshot() == before
    assert "13800001111" not in html and "138****1111" in html  # masked in the preview
    done = confirm(client, preview)
    text = done.content.decode()
    assert "导入完成：户：新增2户，修改0户，不变0户；居民：新增3人，修改0人，不变0人。" in text
    zhao = Household.objects.get(household_number="H001")
    assert zhao.village == cast.branches[0].village and zhao.neighborhood == cast.branches[0].neighborhood
    assert zhao.head_name == "赵大" and zhao.phone == "13800001111"
    assert set(zhao.care_categories.values_list("name", flat=True)) == {"低保", "五保"}
    members = {r.name: r for r in zhao.residents.all()}
    assert set(members) == {"赵大", "钱氏"} and members["钱氏"].relation == Resident.Relation.SPOUSE
    assert members["赵大"].birth_date == datetime.date(1960, 3, 5)
    assert Household.objects.get(household_number="H002").neighborhood is None
    # One audit entry per created row.
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_repr__in=["赵大户", "孙二户", "钱氏"])
    assert created.count() == 3 and {e.actor for e in created} == {cast.users["village"]}
    assert "13800001111" not in str([e.changes for e in created])


def test_reimporting_the_same_file_changes_nothing_and_says_so(client, cast):
    client.force_login(cast.users["village"])
    rows, _ids = good_rows(cast)
    confirm(client, upload(client, xlsx_file(rows)))
    snapshot, entries = household_snapshot(), LogEntry.objects.count()
    residents = sorted(Resident.objects.values_list("pk", "household_id", "name", "id_number"))
    again = upload(client, xlsx_file(rows))
    html = again.content.decode()
    assert "文件中的数据与系统中完全一致，无需导入。" in html
    assert "不变2户" in html and "不变3人" in html
    assert 'name="confirm"' not in html
    assert household_snapshot() == snapshot and LogEntry.objects.count() == entries
    assert sorted(Resident.objects.values_list("pk", "household_id", "name", "id_number")) == residents
