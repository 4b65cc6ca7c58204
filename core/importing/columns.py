"""Columns recognised by the names offices give them, and cells read the way offices fill them.

A ``Column`` has a key, the template's header and the other names in use (身份证号码, 公民身份号码…).
``map_header`` looks for the header among the first rows (a title and a 填报单位 row may stand
above it), ignoring spaces, full-width forms, "*" marks and notes in brackets. Cell readers
return the clean value or raise ``CellError`` with a Chinese reason.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from core.resources import restore_formula_text

HEADER_SEARCH_ROWS = 10
TOTAL_MARKERS = ("合计", "总计", "小计")
_SPACES = re.compile(r"\s+")
_NOTE = re.compile(r"[(（][^)）]*[)）]")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read unambiguously; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header
    aliases: tuple = ()
    required: bool = False
    help: str = ""  # one line for the instructions sheet
    example: tuple = field(default=())  # values for the template's example rows


def fold(value):
    """Full-width to half-width, no white space (inner spaces too)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


def header_key(value):
    return _NOTE.sub("", fold(value).replace("*", "").replace("：", "").replace(":", ""))


@dataclass
class HeaderMap:
    row: int  # sheet row number of the header
    columns: dict  # key → column index
    labels: dict  # key → the header as written in the file
    ignored: list  # headers of columns nobody reads


def map_header(sheet, specs):
    """The header row among the first rows: the one naming the most columns; None if none names any."""
    names = {}
    for spec in specs:
        for alias in (spec.label, *spec.aliases):
            names[header_key(alias)] = spec.key
    best = None
    for number, cells in sheet.numbered(1):
        if number > HEADER_SEARCH_ROWS:
            break
        found, labels, ignored = {}, {}, []
        for index, cell in enumerate(cells):
            if cell in ("", None):
                continue
            key = names.get(header_key(cell))
            if key and key not in found:
                found[key], labels[key] = index, str(cell).strip()
            else:
                ignored.append(str(cell).strip())
        if found and (best is None or len(found) > len(best.columns)):
            best = HeaderMap(number, found, labels, ignored)
    return best


def is_blank(cells):
    return all(cell in ("", None) or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def is_total_row(cells):
    """A 合计/总计 row: a marker cell and nothing that looks like a name beside it."""
    texts = [fold(cell) for cell in cells if cell not in ("", None)]
    return any(text.replace(":", "") in TOTAL_MARKERS for text in texts[:3])


# --- cell readers -------------------------------------------------------------------------------


def text(value, max_length=None, label=""):
    """Text as written (a leading = + - @ stays text), spaces trimmed, full-width letters folded."""
    if value in ("", None):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    # An exported cell that began with = + - @ carries a leading apostrophe (core.resources): drop it.
    result = restore_formula_text(unicodedata.normalize("NFKC", str(value)).strip())
    result = _SPACES.sub(" ", result)
    if max_length and len(result) > max_length:
        raise CellError(f"{label or '内容'}过长：最多{max_length}个字，这里有{len(result)}个字。")
    return result


def name(value, max_length=32, label="姓名"):
    """Names lose inner spaces too (“张 三” is 张三)."""
    return text(value, max_length, label).replace(" ", "")


def id_number(value):
    """Digits as text; an ID number stored as a number has lost its last digits and is refused."""
    if value in ("", None):
        return ""
    if isinstance(value, int | float):
        raise CellError("身份证号被保存成了数字，后几位已丢失：请把该列设为“文本”格式，重新填写完整号码。")
    return fold(value).upper()


def phone(value):
    if value in ("", None):
        return ""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("电话号码不应含有小数。")
        value = int(value)
    return fold(value)


_DATE_FORMS = (
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def date(value, label="日期"):
    """A date cell, an Excel serial, or text: 2026年3月5日, 2026.3.5, 2026-03-05, 2026/3/5, 20260305."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        elif 1 <= value < 80000:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        else:
            raise CellError(f"{label}“{value}”无法识别，请写成 2026-03-05 或 2026年3月5日。")
    raw = fold(value)
    for form in _DATE_FORMS:
        match = form.match(raw)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(f"{label}“{raw}”不是有效日期。") from None
    raise CellError(f"{label}“{raw}”无法识别，请写成 2026-03-05 或 2026年3月5日。")


_CHOICE_TABLES = {}


def choice(value, choices, label, aliases=None):
    """A TextChoices value by its Chinese label (or a known alias); '' for an empty cell."""
    raw = fold(value) if value not in ("", None) else ""
    if not raw:
        return ""
    key = (tuple(choices), id(aliases))
    table = _CHOICE_TABLES.get(key)
    if table is None:  # built once per choice list: a sheet has tens of thousands of these cells
        table = {fold(lbl): val for val, lbl in choices}
        table.update({fold(k): v for k, v in (aliases or {}).items()})
        _CHOICE_TABLES[key] = table
    if raw in table:
        return table[raw]
    raise CellError(f"{label}“{raw}”无法识别，可填：{'、'.join(str(lbl) for _v, lbl in choices)}。")
