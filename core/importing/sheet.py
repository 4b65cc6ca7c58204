"""Read every row of a sheet with python-calamine, with the sheet's own row numbers.

python-calamine reads ~10× faster than openpyxl and reads every cell that is there (not only the
declared ``<dimension>``). Merged cells get the top-left value in every cell of the range (a
household's cells merged down over its members). A formula cell without a stored result would
read as empty: those are found in the sheet XML and reported, never dropped silently.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

import python_calamine
from defusedxml import ElementTree

from core.importing.files import ImportRefused, check_xlsx

MAX_ROWS = 60_000
MAX_COLUMNS = 60
PROGRESS_ROWS = 500  # a job's row count is written this often: one small file write per 500 rows
INSTRUCTION_SHEETS = ("填写说明", "说明", "导入说明")
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]+)([0-9]+)$")


@dataclass
class Sheet:
    name: str
    rows: list  # list of lists of cell values; rows[i] is sheet row i + 1
    empty_formulas: set = field(default_factory=set)  # (row number, column index) without a value

    def numbered(self, start, tick=None):
        """(sheet row number, cells) from row ``start`` (1-based) on; ``tick(done, total)`` (a job's
        progress) is called before the first row and then every ``PROGRESS_ROWS`` rows."""
        total = max(0, len(self.rows) - start + 1)
        for index in range(start - 1, len(self.rows)):
            done = index - start + 1
            if tick is not None and done % PROGRESS_ROWS == 0:
                tick(done, total)
            yield index + 1, self.rows[index]


def sheet_height(path, name):
    """Rows in the first data sheet (header and blanks included), 0 for a refused or unreadable file:
    tells a large import (a background job) from a small one without reading any row."""
    try:
        check_xlsx(path, name)  # before calamine opens it
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        for meta in workbook.sheets_metadata:
            if str(meta.typ).endswith("WorkSheet") and meta.name.strip() not in INSTRUCTION_SHEETS:
                sheet = workbook.get_sheet_by_name(meta.name)
                return max(sheet.height, sheet.total_height)
    except Exception:  # the preview says in Chinese what is wrong with the file
        return 0
    return 0


def read_sheet(path):
    """The first data sheet (not an instructions sheet) of a checked .xlsx file."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = [
            meta.name
            for meta in workbook.sheets_metadata
            if str(meta.typ).endswith("WorkSheet") and meta.name.strip() not in INSTRUCTION_SHEETS
        ]
        if not names:
            raise ImportRefused("文件中没有可导入的工作表。")
        name = names[0]
        sheet = workbook.get_sheet_by_name(name)
        if sheet.total_height > MAX_ROWS:
            raise ImportRefused(
                f"表格行数过多（{sheet.total_height} 行），一次最多导入 {MAX_ROWS} 行，请分成几个文件。"
            )
        if sheet.total_width > MAX_COLUMNS:
            raise ImportRefused(f"表格列数过多（{sheet.total_width} 列），最多 {MAX_COLUMNS} 列。")
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except ImportRefused:
        raise
    except Exception:  # calamine's own errors (zip, xml, password): say it in Chinese
        raise ImportRefused("文件已损坏或无法读取，请在 Excel 中重新保存为 .xlsx 后再导入。") from None
    _fill_merged(rows, merged)
    return Sheet(name=name, rows=rows, empty_formulas=_empty_formulas(path, names.index(name), name))


def _fill_merged(rows, merged):
    for (top, left), (bottom, right) in merged:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(left, min(right, len(row) - 1) + 1):
                if row[c] in ("", None):
                    row[c] = value


def column_index(letters):
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _sheet_part(archive, name):
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for sheet in workbook.iter(f"{NS}sheet"):
        if sheet.get("name") == name:
            rel_id = sheet.get(f"{REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return None


def _empty_formulas(path, index, name):
    """(row, column) of formula cells that carry no stored result (they read as empty)."""
    found = set()
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, name)
            if part is None:
                return found
            with archive.open(part) as stream:
                if not _mentions_formula(stream):
                    return found
            with archive.open(part) as stream:
                for _event, element in ElementTree.iterparse(stream):
                    if element.tag != f"{NS}c":
                        continue
                    formula, value = element.find(f"{NS}f"), element.find(f"{NS}v")
                    if formula is not None and (value is None or value.text in (None, "")):
                        match = _CELL_REF.match(element.get("r", ""))
                        if match:
                            found.add((int(match.group(2)), column_index(match.group(1))))
                    element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return found
    return found


def _mentions_formula(stream):
    tail = b""
    while chunk := stream.read(1 << 20):
        data = tail + chunk
        if b"<f>" in data or b"<f " in data:
            return True
        tail = data[-4:]
    return False
