"""Sheet rows → households with their residents (cells read, units found, nothing written, no lock).

Rows are grouped into households by 户号 (or 编号 from an export); without either, a head's row
(与户主关系 = 户主, or 姓名 = 户主姓名) starts a household and the rows after it join it. Without a
姓名 column each row is a household (the export's layout). Every fault becomes a ``RowError``.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from core.importing import columns as cells
from core.importing.columns import CellError, is_blank, is_total_row
from core.importing.report import RowError
from core.validators import ID_PATTERN, id_birth_date, id_gender, validate_id_number, validate_phone
from governance.models.people import Gender
from governance.unit_lookup import UnitLookupError
from households.models import CareCategory, Resident

R = Resident.Relation
RELATION_CHOICES, GENDER_CHOICES = R.choices, Gender.choices  # once: ``.choices`` builds a new list
RELATION_ALIASES = {
    "本人": R.HEAD, "户主本人": R.HEAD, "之户主": R.HEAD, "妻": R.SPOUSE, "妻子": R.SPOUSE, "夫": R.SPOUSE,
    "丈夫": R.SPOUSE, "子": R.CHILD, "女": R.CHILD, "儿子": R.CHILD, "女儿": R.CHILD, "长子": R.CHILD,
    "次子": R.CHILD, "长女": R.CHILD, "次女": R.CHILD, "父亲": R.PARENT, "母亲": R.PARENT, "父": R.PARENT,
    "母": R.PARENT, "孙子": R.GRANDCHILD, "孙女": R.GRANDCHILD, "兄": R.SIBLING, "弟": R.SIBLING,
    "姐": R.SIBLING, "妹": R.SIBLING, "儿媳": R.OTHER, "女婿": R.OTHER,
}  # fmt: skip
GENDER_ALIASES = {"男性": Gender.MALE, "女性": Gender.FEMALE}
CARE_SPLIT = re.compile(r"[、,，;；/\s]+")
HOUSEHOLD_KEYS = ("household_number", "address", "care", "note")
UNIT_KEYS = ("township", "village", "area", "group", "neighborhood", "division_code")
FORMULA_REASON = "该单元格是公式，但文件中没有保存计算结果：请复制后“选择性粘贴→数值”再导入。"


@dataclass
class ResidentRow:
    row: int
    name: str
    relation: str = ""
    id_number: str = ""
    gender: str = ""
    birth_date: object = None
    phone: str = ""
    masked_id: bool = False
    masked_phone: bool = False
    existing: object = None
    action: str = ""
    changes: dict = field(default_factory=dict)


@dataclass
class HouseholdGroup:
    row: int  # the first row
    village_id: int
    neighborhood_id: int | None
    head_name: str = ""
    household_number: str = ""
    pk: int | None = None
    address: str = ""
    phone: str = ""
    care: frozenset = frozenset()
    note: str = ""
    masked_phone: bool = False
    residents: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    existing: object = None
    action: str = ""
    changes: dict = field(default_factory=dict)
    care_changed: bool = False
    care_before: set = field(default_factory=set)  # the existing household's category codes


@dataclass
class Parsed:
    header: object
    groups: list
    errors: list
    present: set  # column keys in the file
    rows_read: int = 0


class RowReader:
    """Reads one row's cells by column key, collecting its errors."""

    def __init__(self, sheet, header, number, values):
        self.sheet, self.header, self.number, self.values, self.errors = sheet, header, number, values, []

    def raw(self, key):
        index = self.header.columns.get(key)
        if index is None or index >= len(self.values):
            return ""
        if (self.number, index) in self.sheet.empty_formulas:
            self.error(key, FORMULA_REASON)
            return ""
        return self.values[index]

    def read(self, key, reader, *args, **kwargs):
        try:
            return reader(self.raw(key), *args, **kwargs)
        except CellError as error:
            self.error(key, str(error))
            return reader("", *args, **kwargs) if reader is not cells.choice else ""

    def has_error(self, key):
        return any(e.column_index == self.header.columns.get(key) for e in self.errors)

    def error(self, key, reason):
        index = self.header.columns.get(key)
        self.errors.append(RowError(self.number, self.header.labels.get(key, ""), reason, index))


def care_codes(raw, names, reader):
    wanted = [part for part in CARE_SPLIT.split(cells.fold(raw)) if part] if raw else []
    unknown = [part for part in wanted if part not in names]
    if unknown:
        reader.error("care", f"特殊群体类别“{'、'.join(unknown)}”不存在。")
    return frozenset(names[part] for part in wanted if part in names)


def parse(sheet, header, units, tick=None):
    """Group the rows under ``header`` into households; cells checked, units resolved, no writes."""
    present = set(header.columns)
    per_resident = "name" in present
    categories = {cells.fold(name): code for code, name in CareCategory.objects.values_list("code", "name")}
    groups, errors, keyed, current, rows_read = [], [], {}, None, 0
    seen_ids = {}
    for number, values in sheet.numbered(header.row + 1, tick):
        if is_blank(values) or is_total_row(values):
            continue
        rows_read += 1
        r = RowReader(sheet, header, number, values)
        place = {key: cells.text(r.raw(key)) for key in UNIT_KEYS}
        try:
            village_id, neighborhood_id = units.resolve(
                township=place["township"], village=place["village"], area=place["area"], group=place["group"],
                neighborhood=place["neighborhood"], code=place["division_code"],
            )  # fmt: skip
        except UnitLookupError as error:
            r.error(error.column, str(error))
            village_id = neighborhood_id = None
        head_name = r.read("head_name", cells.name, 32, "户主姓名")
        resident = None
        if per_resident:
            resident = _resident(r, seen_ids)
            if resident.relation == "" and head_name and resident.name == head_name:
                resident.relation = R.HEAD
        elif not head_name:
            r.error("head_name", "户主姓名不能为空。")
        number_cell = r.read("household_number", cells.text, 32, "户号")
        pk = _pk(r)
        key = ("no", village_id, number_cell) if number_cell else ("pk", pk) if pk else None
        starts = not per_resident or (resident is not None and resident.relation == R.HEAD)
        if key is not None:
            group = keyed.get(key)
            if group is None:
                group = keyed[key] = _new_group(groups, number, village_id, neighborhood_id, number_cell, pk)
        elif starts:
            group = _new_group(groups, number, village_id, neighborhood_id, number_cell, pk)
        else:
            group = current
            if group is not None and head_name and group.head_name and head_name != group.head_name:
                group = None
            if group is None:
                r.error("name", "无法确定该居民属于哪一户：请填写户号，或把户主的行放在本户成员之前。")
        if group is not None:
            _household_cells(group, r, head_name, resident, categories)
            group.rows.append(number)
            if resident is not None:
                group.residents.append(resident)
            current = group
        errors.extend(r.errors)
    for group in groups:
        if not group.head_name:
            head = next((res for res in group.residents if res.relation == R.HEAD), None)
            if head is None:
                errors.append(
                    RowError(group.row, "", "该户没有户主：请填写户主姓名，或把户主一行的“与户主关系”填为“户主”。")
                )
            else:
                group.head_name = head.name
    return Parsed(header, groups, errors, present, rows_read)


def _new_group(groups, number, village_id, neighborhood_id, household_number, pk):
    group = HouseholdGroup(number, village_id, neighborhood_id, household_number=household_number, pk=pk)
    groups.append(group)
    return group


def _pk(r):
    raw = r.raw("id")
    if raw in ("", None):
        return None
    try:
        return int(float(raw)) if isinstance(raw, float) else int(cells.fold(raw))
    except ValueError:
        r.error("id", f"编号“{raw}”不是有效的数字。")
        return None


def _household_cells(group, r, head_name, resident, categories):
    """Household-level cells: the first non-empty value in the household's rows wins."""
    if head_name and not group.head_name:
        group.head_name = head_name
    if resident is not None and resident.relation == R.HEAD and not group.head_name:
        group.head_name = resident.name
    address = r.read("address", cells.text, 128, "住址")
    group.address = group.address or address
    note = r.read("note", cells.text, 2000, "备注")
    group.note = group.note or note
    care = care_codes(r.raw("care"), categories, r)
    group.care = group.care | care
    if resident is None:  # the export's layout: the row is the household
        phone = r.read("phone", cells.phone)
        group.phone, group.masked_phone = _checked_phone(r, phone)
    elif resident.relation == R.HEAD or (not group.phone and head_name == resident.name):
        group.phone, group.masked_phone = resident.phone, resident.masked_phone


def _checked_phone(r, phone):
    if "*" in phone:
        return phone, True
    try:
        validate_phone(phone)
    except ValidationError as error:
        r.error("phone", error.messages[0])
    return phone, False


def _resident(r, seen_ids):
    resident = ResidentRow(r.number, r.read("name", cells.name, 32, "姓名"))
    if not resident.name and not r.has_error("name"):
        r.error("name", "姓名不能为空。")
    resident.relation = r.read("relation", cells.choice, RELATION_CHOICES, "与户主关系", RELATION_ALIASES)
    resident.phone, resident.masked_phone = _checked_phone(r, r.read("phone", cells.phone))
    number = r.read("id_number", cells.id_number)
    resident.id_number = number
    if "*" in number:
        resident.masked_id = True
    elif number:
        try:
            validate_id_number(number)
        except ValidationError as error:
            r.error("id_number", error.messages[0])
        else:
            if number in seen_ids:
                r.error("id_number", f"该身份证号与本表第{seen_ids[number]}行重复。")
            seen_ids.setdefault(number, r.number)
    if number and not resident.masked_id and ID_PATTERN.match(number) and id_birth_date(number):
        resident.birth_date, resident.gender = id_birth_date(number), id_gender(number)
    else:
        resident.gender = r.read("gender", cells.choice, GENDER_CHOICES, "性别", GENDER_ALIASES)
        resident.birth_date = r.read("birth_date", cells.date, "出生日期")
    return resident
