"""The report kit: a row per child unit, the rows of records in no child, a total, and Excel.

Every statistics report (grievances, contact compliance, and later disputes, training, the
county workbook) has the same shape: a grouped query counts records per child unit of the unit
asked for (grouped by the child's path prefix), the page shows one row per child (zero rows too),
a row for the records that hang in no child (a household not yet in a 邻 …), and a total.
Selectors declare their columns once (``count``/``rate``/``average``) and call ``build_report``;
pages and Excel exports read the same ``Report``. Units are passed in as plain objects with
``pk``, ``name`` and ``path``: core knows nothing of the domain apps.
"""

import io
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


class Kind(models.TextChoices):
    COUNT = "count", "计数"
    RATE = "rate", "比率"
    AVERAGE = "average", "平均值"


@dataclass(frozen=True)
class Column:
    """One figure of a report. A rate is 100 × part / whole, an average is sum / n (one decimal);
    both are None when the denominator is 0. Hidden columns carry counts a derived column needs."""

    key: str
    header: str
    kind: Kind = Kind.COUNT
    of: tuple = ()  # rate: (part, whole); average: (sum, n)
    shown: bool = True
    places: int = 0  # decimals of a summed figure that is not a whole number (学时: 1)


def count(key, header, *, shown=True, places=0):
    return Column(key, header, Kind.COUNT, shown=shown, places=places)


def rate(key, header, part, whole):
    return Column(key, header, Kind.RATE, (part, whole))


def average(key, header, total, n):
    return Column(key, header, Kind.AVERAGE, (total, n))


class Row:
    """The figures of one unit (or of the records in no unit). Counts are stored, rates and
    averages computed from them on reading: ``row["rate"]`` or ``row.rate``."""

    def __init__(self, columns, *, unit=None, name="", counts=None):
        self.columns = columns
        self.unit = unit
        self.name = name
        self.counts = {c.key: 0 for c in columns if c.kind == Kind.COUNT}
        self.add(counts or {})

    def add(self, counts):
        for key in self.counts:
            self.counts[key] += counts.get(key) or 0

    def __getitem__(self, key):
        if key in self.counts:
            return self.counts[key]
        column = next((c for c in self.columns if c.key == key), None)
        if column is None:
            raise KeyError(key)
        top, bottom = (self.counts[k] for k in column.of)
        if not bottom:
            return None
        return round((100 * top if column.kind == Kind.RATE else top) / bottom, 1)

    def __getattr__(self, key):
        if key.startswith("__") or "columns" not in self.__dict__:
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def unit_id(self):
        return self.unit.pk if self.unit is not None else None

    @property
    def unit_name(self):
        return self.name

    def values(self):
        """The shown figures in column order (what a page row or a sheet row holds)."""
        return [self[c.key] for c in self.columns if c.shown]

    def __repr__(self):
        return f"<Row {self.name}: {self.counts}>"


@dataclass
class Report:
    title: str
    unit: object
    start: object
    end: object
    columns: tuple
    rows: list = field(default_factory=list)
    total: Row = None
    unit_header: str = "单位"
    note: str = ""

    @property
    def shown_columns(self):
        return [c for c in self.columns if c.shown]

    @property
    def headers(self):
        return [c.header for c in self.shown_columns]


def build_report(columns, *, title, unit, children, groups, start=None, end=None, unplaced="未编入邻", other="其他"):
    """Rows per child unit (in the order given, zero rows included), then rows of records in no child, then a total.

    ``groups`` are iterables of dicts (the grouped queries' ``values()``), each with ``key`` (the
    child's path, None for records in no child) and counts named like the count columns; counts of
    several groups with the same key add up. Records whose key is None go to the row ``unplaced``,
    records with a path that is no child's to the row ``other`` (the same label merges them).
    """
    columns = tuple(columns)
    by_path = {child.path: Row(columns, unit=child, name=child.name) for child in children}
    outside = {}
    for group in groups:
        for values in group:
            row = by_path.get(values["key"])
            if row is None:
                label = unplaced if values["key"] is None else other
                row = outside.setdefault(label, Row(columns, name=label))
            row.add(values)
    rows = [*by_path.values(), *outside.values()]
    total = Row(columns, unit=unit, name=f"{unit.name}合计")
    for row in rows:
        total.add(row.counts)
    return Report(title=title, unit=unit, start=start, end=end, columns=columns, rows=rows, total=total)


# --- Excel ------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FORMATS = {Kind.COUNT: "0", Kind.RATE: "0.0", Kind.AVERAGE: "0.0"}


def _width(text):
    """Display width: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def report_title(report, exported_at=None):
    """The sheet's title line: unit, report, period and the time of export."""
    exported_at = timezone.localtime(exported_at or timezone.now())
    period = f"（{report.start:%Y年%m月%d日}至{report.end:%Y年%m月%d日}）" if report.start else ""
    return f"{report.unit.name}{report.title}{period}  导出时间：{exported_at:%Y年%m月%d日 %H:%M}"


def report_workbook(report, *, sheet_name=None, exported_at=None):
    """The report as one sheet: a title row, a bold frozen header, numbers as numbers, widths set.

    A figure that cannot be computed (a rate of nothing) is an empty cell, never a dash: the
    sheet stays summable. Returns the workbook's bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (sheet_name or report.title)[:31]
    columns = report.shown_columns
    width = len(columns) + 1
    sheet.append([report_title(report, exported_at)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(vertical="center")
    sheet.row_dimensions[1].height = 28
    sheet.append([report.unit_header, *report.headers])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in [*report.rows, report.total]:
        sheet.append([row.name, *row.values()])
        for column, cell in zip(columns, sheet[sheet.max_row][1:], strict=True):
            cell.number_format = "0." + "0" * column.places if column.places else FORMATS[column.kind]
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B3"
    names = [row.name for row in [*report.rows, report.total]]
    sheet.column_dimensions["A"].width = max(10, *(_width(n) + 2 for n in [report.unit_header, *names]))
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, _width(column.header) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
