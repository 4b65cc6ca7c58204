"""What a file's faults are, and the file given back with them marked.

Each fault is a ``RowError``: the sheet's own row number, the column as headed in the file and a
Chinese reason. ``marked_workbook`` writes the sheet's rows back (same row numbers) with faulty
cells filled red and a 错误原因 column, so the office fixes its own file and imports it again.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

REASON_HEADER = "错误原因"
FAULT_FILL = PatternFill("solid", fgColor="FFC7CE")
FAULT_FONT = Font(color="9C0006")


@dataclass(frozen=True)
class RowError:
    row: int  # the sheet's row number (0 for the file as a whole)
    column: str  # the header as written in the file ('' for the whole row)
    reason: str
    column_index: int | None = None


def as_text_cell(sheet, value):
    """A cell whose text starting with = + - @ stays text (never a formula)."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value[:1] in "=+-@":
        cell.data_type = "s"
    return cell


def marked_workbook(sheet, header_row, errors, out=None, tick=None):
    """The .xlsx bytes of ``sheet`` with ``errors`` marked; written to ``out`` (a path) instead when given."""
    by_row = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    workbook = Workbook(write_only=True)
    target = workbook.create_sheet(sheet.name[:31] or "Sheet1")
    width = max((len(row) for row in sheet.rows), default=0)
    for number, cells in sheet.numbered(1, tick):
        row_errors = by_row.get(number, [])
        marked = {e.column_index for e in row_errors if e.column_index is not None}
        line = []
        for index in range(width):
            value = cells[index] if index < len(cells) else None
            cell = as_text_cell(target, None if value == "" else value)
            if index in marked:
                cell.fill, cell.font = FAULT_FILL, FAULT_FONT
            line.append(cell)
        if number == header_row:
            reason = REASON_HEADER
        else:
            reason = "；".join(f"{e.column}：{e.reason}" if e.column else e.reason for e in row_errors)
        line.append(as_text_cell(target, reason or None))
        target.append(line)
    if out is not None:
        workbook.save(out)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook(title, columns, instructions):
    """The downloadable template: headers, example rows, and an instructions sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.append([as_text_cell(sheet, c.label + ("*" if c.required else "")) for c in columns])
    examples = max((len(c.example) for c in columns), default=0)
    for index in range(examples):
        sheet.append([as_text_cell(sheet, c.example[index] if index < len(c.example) else None) for c in columns])
    notes = workbook.create_sheet("填写说明")
    for line in instructions:
        notes.append([line])
    notes.append([])
    notes.append(["列名", "是否必填", "说明", "也可写作"])
    for c in columns:
        notes.append([c.label, "必填" if c.required else "选填", c.help, "、".join(c.aliases)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
