"""Streaming ledgers from the admin lists: Chinese names, chosen columns, masked, escaped, typed cells."""

import io
from urllib.parse import quote

import openpyxl
from django.utils import timezone

from core.ledger import Ledger, LedgerColumn, write_xlsx
from households.ledgers import HOUSEHOLD_LEDGER
from households.models import Household, Resident, Visit
from tests.core import scope_matrix as sm
from tests.factories import ResidentFactory


def post_export(client, model, fields, fmt="XLSX", params=""):
    model_admin = sm.admin.site._registry[model]
    index = next(i for i, f in enumerate(model_admin.get_export_formats()) if f.__name__ == fmt)
    resource = model_admin.resource_classes[0].__name__.lower()
    data = {"format": index, "resource": 0, **{f"{resource}_{name}": "on" for name in fields}}
    return client.post(sm.admin_url(model, "export") + params, data)


def test_the_export_page_is_in_chinese(client, cast):
    client.force_login(cast.users["township"])
    page = client.get(sm.admin_url(Household, "export")).content.decode()
    assert "全选" in page and "Select all" not in page


def test_the_workbook_is_named_for_unit_ledger_and_date_with_a_sheet_for_the_ledger(client, cast):
    household = cast.branches[0].households[0]
    household.head_name = "=cmd|' /C calc'!A0"
    household.save()
    ResidentFactory(household=household)
    client.force_login(cast.users["township"])
    response = post_export(client, Household, ["id", "head_name", "phone", "member_count"])
    assert response.status_code == 200
    filename = f"塔峰镇-户台账-{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["户台账"]
    sheet = book["户台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("编号", "户主姓名", "联系电话", "人数")  # only the chosen columns, in order
    assert sheet.freeze_panes == "A2"
    row = next(r for r in rows[1:] if r[0] == household.pk)  # numbers are numbers
    assert row[1] == "'=cmd|' /C calc'!A0"  # never a formula
    assert row[2] == household.phone[:3] + "****" + household.phone[-4:]
    assert row[3] == 1
    ids = {r[0] for r in rows[1:]}
    assert ids == set(Household.objects.restrict(cast.users["township"]).values_list("pk", flat=True))


def test_resident_csv_is_masked_and_named(client, cast):
    resident = ResidentFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["village"])
    response = post_export(client, Resident, ["id", "name", "id_number", "age"], fmt="CSV")
    filename = f"虎溪村-居民台账-{timezone.localdate():%Y%m%d}.csv"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "编号,姓名,身份证号,年龄"
    assert resident.id_number not in text
    masked = f"{resident.id_number[:6]}********{resident.id_number[-4:]}"
    assert f"{resident.pk},{resident.name},{masked},{resident.age()}" in text


def test_the_ledger_reads_one_query_whatever_the_rows(cast, django_assert_num_queries):
    user = cast.users["superuser"]
    with django_assert_num_queries(1):
        rows = list(HOUSEHOLD_LEDGER.rows(Household.objects.restrict(user).order_by("pk")))
    assert len(rows) == Household.objects.count()


def test_a_sheet_that_would_overflow_continues_on_the_next(tmp_path):
    ledger = Ledger(name="走访台账", model=Household, columns=(LedgerColumn("n", "序号"),))
    path = tmp_path / "out.xlsx"
    assert write_xlsx(str(path), ledger, ([n] for n in range(5)), sheet_rows=2) == 5
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["走访台账", "走访台账（2）", "走访台账（3）"]
    assert [r[0] for r in book["走访台账（3）"].iter_rows(values_only=True)] == ["序号", 4]


def test_the_visit_ledger_is_scoped_with_labels_and_dates(client, cast):
    from tests.mobile.mobile_helpers import leader_person, visit

    ours = visit(cast.branches[0].households[0], leader_person(cast.branches[0]), 3)
    theirs = visit(cast.branches[2].households[0], leader_person(cast.branches[2]), 3)
    client.force_login(cast.users["village"])
    response = post_export(client, Visit, ["id", "visited_on", "method", "problem_found"])
    filename = f"虎溪村-走访台账-{timezone.localdate():%Y%m%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [f"走访台账-{ours.visited_on:%Y年%m月}"]  # a sheet per month
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("编号", "走访日期", "联系方式", "发现问题")
    assert [(r[0], r[1].date(), r[2], r[3]) for r in rows[1:]] == [(ours.pk, ours.visited_on, "入户走访", "否")]
    assert theirs.pk not in {r[0] for r in rows[1:]}


def test_the_visit_ledger_has_a_sheet_per_month_in_one_query(cast, django_assert_num_queries, tmp_path):
    import datetime

    from households.ledgers import VISIT_LEDGER
    from tests.mobile.mobile_helpers import leader_person, visit

    person = leader_person(cast.branches[0])
    day = datetime.date(2026, 5, 31)
    dates = [day, day + datetime.timedelta(days=1), day + datetime.timedelta(days=2), day - datetime.timedelta(days=40)]
    made = [visit(cast.branches[0].households[n % 2], person, 0, when) for n, when in enumerate(dates)]
    with django_assert_num_queries(1):
        rows = list(VISIT_LEDGER.rows(Visit.objects.order_by("-visited_on", "-pk"), ["id", "visited_on"]))
    path = tmp_path / "visits.xlsx"
    assert write_xlsx(str(path), VISIT_LEDGER, rows, keys=["id", "visited_on"]) == 4
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["走访台账-2026年04月", "走访台账-2026年05月", "走访台账-2026年06月"]
    june = [r[0] for r in book["走访台账-2026年06月"].iter_rows(values_only=True)]
    assert june == ["编号", made[2].pk, made[1].pk]  # within a month as the list orders them
    assert book["走访台账-2026年04月"].freeze_panes == "A2"
