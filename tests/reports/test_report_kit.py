"""core/reports.py: rows per child unit, rows of records in no child, a total that adds up, Excel."""

import datetime
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from core.reports import Kind, average, build_report, count, rate, report_workbook

COLUMNS = [
    count("n", "户数"),
    count("ok", "按期"),
    rate("rate", "联系率(%)", "ok", "n"),
    count("days", "天数合计", shown=False),
    average("avg", "平均天数", "days", "ok"),
]
UNIT = SimpleNamespace(pk=1, name="蓝山县", path="00000001/")
A = SimpleNamespace(pk=2, name="塔峰镇", path="00000001/00000002/")
B = SimpleNamespace(pk=3, name="祠堂圩镇", path="00000001/00000003/")
C = SimpleNamespace(pk=4, name="土市镇", path="00000001/00000004/")


def build(groups, **kwargs):
    return build_report(
        COLUMNS,
        title="联系率统计",
        unit=UNIT,
        children=[A, B, C],
        groups=groups,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        **kwargs,
    )


GROUPS = [
    [
        {"key": A.path, "n": 10, "ok": 4, "days": 10.0},
        {"key": B.path, "n": 3, "ok": 0, "days": 0},
        {"key": None, "n": 2, "ok": 1, "days": 3.0},
        {"key": "00000001/00000099/", "n": 1, "ok": 1, "days": 1.0},
    ],
    [{"key": A.path, "n": 1}, {"key": None, "n": 1}],  # a second grouped query adds to the same rows
]


def test_a_row_per_child_in_order_with_zero_rows_then_the_rows_in_no_child():
    report = build(GROUPS, unplaced="未编入邻", other="其他")
    assert [row.name for row in report.rows] == ["塔峰镇", "祠堂圩镇", "土市镇", "未编入邻", "其他"]
    assert [row.unit for row in report.rows] == [A, B, C, None, None]
    assert [row["n"] for row in report.rows] == [11, 3, 0, 3, 1]
    assert report.rows[2].values() == [0, 0, None, None]  # zero row: rates of nothing are None


def test_the_total_adds_up_every_count_and_derives_its_rates_from_the_sums():
    report = build(GROUPS)
    total = report.total
    assert total.name == "蓝山县合计" and total.unit is UNIT
    for column in COLUMNS:
        if column.kind == Kind.COUNT:
            assert total[column.key] == sum(row[column.key] for row in report.rows), column.key
    assert total["n"] == 18
    assert total.rate == round(100 * 6 / 18, 1)
    assert total.avg == round(14 / 6, 1)


def test_rates_and_averages_are_computed_from_the_counts():
    row = build(GROUPS).rows[0]
    assert (row.n, row.ok, row.rate, row.avg) == (11, 4, 36.4, 2.5)
    assert row.unit_id == A.pk and row.unit_name == "塔峰镇"
    assert row.values() == [11, 4, 36.4, 2.5]  # shown columns only
    with pytest.raises(KeyError):
        row["nothing"]
    with pytest.raises(AttributeError):
        row.nothing  # noqa: B018


def test_one_label_merges_records_in_no_child_and_under_unknown_paths():
    report = build(GROUPS, unplaced="未编入邻", other="未编入邻")
    assert [row.name for row in report.rows][-1] == "未编入邻"
    assert report.rows[-1].n == 4


def test_a_unit_reporting_on_itself():
    report = build_report(COLUMNS, title="t", unit=A, children=[A], groups=[[{"key": A.path, "n": 2, "ok": 2}]])
    assert [(row.unit, row.n) for row in report.rows] == [(A, 2)]
    assert report.total.n == 2


def test_the_excel_sheet_has_a_title_row_a_bold_frozen_header_and_numbers_as_numbers():
    report = build(GROUPS)
    exported_at = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    workbook = load_workbook(io.BytesIO(report_workbook(report, exported_at=exported_at)))
    sheet = workbook.active
    assert sheet.title == "联系率统计"
    title = sheet["A1"].value
    assert "蓝山县" in title and "联系率统计" in title
    assert "2026年01月01日至2026年06月30日" in title
    assert "导出时间：2026年07月01日 17:30" in title  # local time (Asia/Shanghai)
    assert sheet["A1"].font.bold
    assert "A1:E1" in [str(r) for r in sheet.merged_cells.ranges]
    header = [cell.value for cell in sheet[2]]
    assert header == ["单位", "户数", "按期", "联系率(%)", "平均天数"]
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "B3"
    body = list(sheet.iter_rows(min_row=3, values_only=True))
    assert body[0] == ("塔峰镇", 11, 4, 36.4, 2.5)
    assert body[2] == ("土市镇", 0, 0, None, None)  # nothing to rate: an empty cell, not a dash
    assert body[-1][0] == "蓝山县合计" and body[-1][1] == 18
    for row in sheet.iter_rows(min_row=3, min_col=2):
        for cell in row:
            assert cell.value is None or cell.data_type == "n", cell.coordinate
    assert all(cell.font.bold for cell in sheet[sheet.max_row])
    assert sheet.column_dimensions["A"].width >= 12
    assert sheet.column_dimensions["D"].width >= len("联系率(%)") + 2
