"""The county workbook layout (core.reports rows in the form offices hand upwards): one sheet per
topic; title rows; a two-row header whose grouped columns share a merged cell; per section (a
township) its subtotal row then its units (villages) indented; a grand total; a footer with
填报单位/填报人/审核人/日期. Numbers stay numbers; headers bold and frozen; widths set.
Core knows no domain app: topics come in as plain ``Sheet`` objects."""

import io
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.reports import FORMATS, Row

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
INDENT = "　"  # a full-width space before a village under its township


@dataclass
class Section:
    subtotal: Row  # the township's figures (named e.g. "塔峰镇小计")
    rows: list  # its villages' rows


@dataclass
class Sheet:
    title: str  # the topic: the sheet's name
    columns: tuple  # core.reports columns
    sections: list
    total: Row
    groups: dict = field(default_factory=dict)  # column key → the merged header above it
    note: str = ""


def add_up(columns, unit, name, rows):
    """A subtotal/total row: the counts of ``rows`` summed (rates recomputed from the sums)."""
    total = Row(columns, unit=unit, name=name)
    for row in rows:
        total.add(row.counts)
    return total


def _width(text):
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def write_sheet(sheet, topic, *, unit_name, period, exported_at, unit_header="单位"):
    columns = [c for c in topic.columns if c.shown]
    width = len(columns) + 1
    last = get_column_letter(width)
    sheet.append([f"{unit_name}{topic.title}统计表"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = CENTER
    sheet.row_dimensions[1].height = 30
    sheet.append([f"统计期间：{period}　　导出时间：{exported_at:%Y年%m月%d日 %H:%M}"])
    sheet.merge_cells(f"A2:{last}2")
    # Two header rows: a grouped column's group above it (merged across the group), others merged down.
    top = [unit_header] + [topic.groups.get(c.key, c.header) for c in columns]
    bottom = [unit_header] + [c.header if c.key in topic.groups else "" for c in columns]
    sheet.append(top)
    sheet.append(bottom)
    sheet.merge_cells("A3:A4")
    index = 0
    while index < len(columns):
        column = columns[index]
        letter = get_column_letter(index + 2)
        group = topic.groups.get(column.key)
        if group is None:
            sheet.merge_cells(f"{letter}3:{letter}4")
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and topic.groups.get(columns[end + 1].key) == group:
            end += 1
        if end > index:
            sheet.merge_cells(f"{letter}3:{get_column_letter(end + 2)}3")
        index = end + 1
    for row in sheet.iter_rows(min_row=3, max_row=4, max_col=width):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = CENTER
            cell.border = BOX

    def put(row, name, *, bold=False, fill=None):
        sheet.append([name, *row.values()])
        for column, cell in zip(columns, sheet[sheet.max_row][1:], strict=True):
            cell.number_format = FORMATS[column.kind]
        for cell in sheet[sheet.max_row]:
            cell.border = BOX
            if bold:
                cell.font = Font(bold=True)
            if fill is not None:
                cell.fill = fill

    names = []
    for section in topic.sections:
        put(section.subtotal, section.subtotal.name, bold=True, fill=SUBTOTAL_FILL)
        names.append(section.subtotal.name)
        for row in section.rows:
            put(row, INDENT + row.name)
            names.append(INDENT + row.name)
    put(topic.total, topic.total.name, bold=True, fill=HEADER_FILL)
    sheet.append([])
    if topic.note:
        sheet.append([f"说明：{topic.note}"])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
        sheet[f"A{sheet.max_row}"].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[sheet.max_row].height = 32
    footer = [f"填报单位：{unit_name}", "", "填报人：", "", "审核人：", "", f"填报日期：{exported_at:%Y年%m月%d日}"]
    sheet.append(footer)
    sheet.freeze_panes = "B5"
    sheet.column_dimensions["A"].width = max(12, *(_width(n) + 2 for n in [unit_header, *names, topic.total.name]))
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = max(9, min(_width(column.header) + 2, 18))


def county_workbook(sheets, *, unit_name, period, exported_at=None):
    """The workbook's bytes: one sheet per topic in ``sheets``."""
    exported_at = timezone.localtime(exported_at or timezone.now())
    workbook = Workbook()
    workbook.remove(workbook.active)
    for topic in sheets:
        write_sheet(workbook.create_sheet(topic.title[:31]), topic, unit_name=unit_name, period=period,
                    exported_at=exported_at)  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
