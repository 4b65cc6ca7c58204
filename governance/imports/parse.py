"""Sheet rows → people with their postings (cells read, units found, nothing written, no lock).

One row per posting; rows of one person (same ID number, else same name in the same village) are
grouped. The posting's unit follows its role: a 片长's 片, a 组长's or 网格员's 组, a 邻长's 邻, a
representative's 组 or village, a 五老's village. Every fault becomes a ``RowError``.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from core.importing import columns as cells
from core.importing.columns import CellError, is_blank, is_total_row
from core.importing.report import RowError
from core.validators import ID_PATTERN, id_gender, validate_id_number, validate_phone
from governance.models import Person, Posting
from governance.models.people import Gender
from governance.models.units import Level
from governance.unit_lookup import UnitLookupError

R, M, E = Posting.Role, Posting.SelectionMethod, Person.Education
ROLE_CHOICES, GENDER_CHOICES, SELECTION_CHOICES, EDUCATION_CHOICES = R.choices, Gender.choices, M.choices, E.choices
ROLE_ALIASES = {
    "村民代表": R.REPRESENTATIVE, "居民代表": R.REPRESENTATIVE, "代表": R.REPRESENTATIVE,
    "村居民代表": R.REPRESENTATIVE, "五老人员": R.ELDER_MEDIATOR, "网格长": R.GRID_WORKER,
    "片区长": R.AREA_LEADER, "小组长": R.GROUP_LEADER, "村民小组长": R.GROUP_LEADER, "联户长": R.NEIGHBORHOOD_LEADER,
}  # fmt: skip
SELECTION_ALIASES = {
    "一定": M.APPOINTED, "二推": M.RECOMMENDED, "三报": M.REGISTERED, "两委审核": M.COMMITTEE_REVIEWED,
    "自荐": M.SELF_NOMINATED, "推荐": M.MASS_RECOMMENDED, "备案": M.PARTY_FILED,
}  # fmt: skip
EDUCATION_ALIASES = {
    "小学": E.PRIMARY, "文盲": E.PRIMARY, "高中": E.SENIOR, "中专": E.SENIOR, "职高": E.SENIOR, "本科": E.BACHELOR,
    "研究生": E.BACHELOR, "硕士": E.BACHELOR, "大学": E.BACHELOR,
}  # fmt: skip
GENDER_ALIASES = {"男性": Gender.MALE, "女性": Gender.FEMALE}
YES = {"是", "中共党员", "党员", "预备党员", "中共预备党员", "√", "Y"}
NO = {"否", "群众", "非党员", "共青团员", "团员", "无", "×", "N"}
UNIT_KEYS = ("township", "village", "area", "group", "neighborhood", "division_code")
FORMULA_REASON = "该单元格是公式，但文件中没有保存计算结果：请复制后“选择性粘贴→数值”再导入。"
ROLE_UNIT = {
    R.AREA_LEADER: Level.AREA,
    R.GROUP_LEADER: Level.VILLAGER_GROUP,
    R.GRID_WORKER: Level.VILLAGER_GROUP,
    R.NEIGHBORHOOD_LEADER: Level.NEIGHBORHOOD,
}


@dataclass
class PostingRow:
    row: int
    role: str
    unit_id: int
    start_date: object = None
    selection: str = ""
    existing: object = None
    action: str = ""
    changes: dict = field(default_factory=dict)


@dataclass
class PersonRow:
    row: int  # the first row
    village_id: int
    name: str
    id_number: str = ""
    masked_id: bool = False
    gender: str = ""
    phone: str = ""
    masked_phone: bool = False
    party: bool | None = None
    education: str = ""
    reserve: bool | None = None
    note: str = ""
    rows: list = field(default_factory=list)
    postings: list = field(default_factory=list)
    existing: object = None
    action: str = ""
    changes: dict = field(default_factory=dict)


@dataclass
class Parsed:
    header: object
    people: list
    errors: list
    present: set
    rows_read: int = 0


class RowReader:
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

    def read(self, key, reader, *args):
        try:
            return reader(self.raw(key), *args)
        except CellError as error:
            self.error(key, str(error))
            return None if reader in (cells.date, yes_no) else ""

    def error(self, key, reason):
        self.errors.append(RowError(self.number, self.header.labels.get(key, ""), reason, self.header.columns.get(key)))


def yes_no(value, label):
    raw = cells.fold(value).upper() if value not in ("", None) else ""
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(f"{label}“{raw}”无法识别，请填“是”或“否”（政治面貌可填“中共党员”或“群众”）。")


def parse(sheet, header, units, tick=None):
    """Group the rows under ``header`` into people with postings; no writes."""
    present = set(header.columns)
    people, keyed, errors, rows_read = [], {}, [], 0
    for number, values in sheet.numbered(header.row + 1, tick):
        if is_blank(values) or is_total_row(values):
            continue
        rows_read += 1
        r = RowReader(sheet, header, number, values)
        name = r.read("name", cells.name, 32, "姓名")
        if not name and not r.errors:
            r.error("name", "姓名不能为空。")
        role = r.read("role", cells.choice, ROLE_CHOICES, "职务", ROLE_ALIASES)
        if not role and not any(e.column_index == header.columns.get("role") for e in r.errors):
            r.error("role", "职务不能为空：片长、组长、网格员、邻长、村(居)民代表或五老。")
        village_id, unit_id = _place(r, units, role)
        person = _person_cells(r, village_id, name)
        posting = PostingRow(
            number,
            role,
            unit_id,
            start_date=r.read("start_date", cells.date, "任职日期"),
            selection=r.read("selection", cells.choice, SELECTION_CHOICES, "推选方式", SELECTION_ALIASES),
        )
        if name and village_id is not None:
            key = ("id", person.id_number) if person.id_number and not person.masked_id else (village_id, name)
            known = keyed.get(key)
            if known is None:
                known = keyed[key] = person
                people.append(person)
            elif known.village_id != village_id or known.name != name:
                r.error("id_number", f"该身份证号与本表第{known.row}行重复，但姓名或村/社区不同。")
            else:
                _merge(known, person)
            known.rows.append(number)
            if role and unit_id is not None:
                known.postings.append(posting)
        errors.extend(r.errors)
    return Parsed(header, _join_unnumbered(people), errors, present, rows_read)


def _join_unnumbered(people):
    """A person's rows without the ID number join their rows with it (one such person of that name in
    the village), so the same 张三 is not added twice."""
    numbered = {}
    for person in people:
        if person.id_number and not person.masked_id:
            numbered.setdefault((person.village_id, person.name), []).append(person)
    kept = []
    for person in people:
        same = numbered.get((person.village_id, person.name), [])
        if person.id_number or len(same) != 1:
            kept.append(person)
            continue
        _merge(same[0], person)
        same[0].rows.extend(person.rows)
        same[0].postings.extend(person.postings)
    return kept


def _place(r, units, role):
    """(village id, the posting's unit id), or Nones with the row's error."""
    place = {key: cells.text(r.raw(key)) for key in UNIT_KEYS}
    try:
        village_id, neighborhood_id = units.resolve(
            township=place["township"], village=place["village"], code=place["division_code"]
        )
        if not role:
            return village_id, None
        level = ROLE_UNIT.get(role)
        if role == R.REPRESENTATIVE and place["group"]:
            level = Level.VILLAGER_GROUP
        if level is None:
            return village_id, village_id
        if level == Level.NEIGHBORHOOD and neighborhood_id is not None and not place["neighborhood"]:
            return village_id, neighborhood_id  # a 邻's division code
        name = place[{Level.AREA: "area", Level.VILLAGER_GROUP: "group", Level.NEIGHBORHOOD: "neighborhood"}[level]]
        return village_id, units.find_below(village_id, level, name, area=place["area"], group=place["group"])
    except UnitLookupError as error:
        r.error(error.column, str(error))
        return None, None


def _person_cells(r, village_id, name):
    person = PersonRow(r.number, village_id, name)
    number = r.read("id_number", cells.id_number)
    person.id_number = number
    if "*" in number:
        person.masked_id = True
    elif number:
        try:
            validate_id_number(number)
        except ValidationError as error:
            r.error("id_number", error.messages[0])
    if number and not person.masked_id and ID_PATTERN.match(number):
        person.gender = id_gender(number)
    else:
        person.gender = r.read("gender", cells.choice, GENDER_CHOICES, "性别", GENDER_ALIASES)
    phone = r.read("phone", cells.phone)
    person.phone, person.masked_phone = phone, "*" in phone
    if phone and not person.masked_phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            r.error("phone", error.messages[0])
    person.party = r.read("party", yes_no, "政治面貌")
    person.education = r.read("education", cells.choice, EDUCATION_CHOICES, "文化程度", EDUCATION_ALIASES)
    person.reserve = r.read("reserve", yes_no, "后备人选")
    person.note = r.read("note", cells.text, 2000, "备注")
    return person


def _merge(known, other):
    """A person's later rows fill what the first left empty."""
    for attr in ("id_number", "gender", "phone", "education", "note"):
        if not getattr(known, attr) and getattr(other, attr):
            setattr(known, attr, getattr(other, attr))
    for attr in ("party", "reserve"):
        if getattr(known, attr) is None:
            setattr(known, attr, getattr(other, attr))
    known.masked_id = known.masked_id or other.masked_id
    known.masked_phone = "*" in known.phone
