"""The two steps of a 三长 roster import, and how it is shown (households/imports/service.py's shape).

``preview`` reads, checks and compares, writing nothing and holding no lock. ``confirm`` reads
outside any transaction, then in one short transaction locks the villages, re-checks the scope,
compares again against what is committed now (two confirms of one file cannot both create) and
writes everything or nothing in bulk, one audit entry per changed row. Both return an ``Outcome``.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.admin_import import SheetImporter
from core.importing.audit import create_entries
from core.importing.columns import map_header
from core.importing.files import ImportRefused, check_xlsx
from core.importing.sheet import read_sheet
from core.masking import mask_phone
from governance.imports.columns import COLUMNS, INSTRUCTIONS
from governance.imports.diff import ACTION_LABELS, CREATE, REFUSED, ROLE_LABELS, UNCHANGED, UPDATE, diff
from governance.imports.parse import parse
from governance.models import Person, Posting
from governance.unit_lookup import UnitIndex

ACTIONS = (CREATE, UPDATE, UNCHANGED, REFUSED)


@dataclass
class Outcome:
    sheet: object = None
    header: object = None
    people: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    refusal: str = ""
    counts: dict = field(default_factory=dict)
    committed: bool = False
    rows_read: int = 0

    @property
    def ok(self):
        return not self.refusal and not self.errors


def count(people, errors):
    faulty = {e.row for e in errors}
    counts = {f"{kind}_{a}": 0 for kind in ("people", "postings") for a in ACTIONS}
    for person in people:
        if faulty.intersection(person.rows):
            person.action = REFUSED
        counts[f"people_{person.action}"] += 1
        for posting in person.postings:
            if posting.row in faulty:
                posting.action = REFUSED
            counts[f"postings_{posting.action}"] += 1
    counts["errors"] = len(errors)
    return counts


def read(path, name, user):
    try:
        check_xlsx(path, name)
        sheet = read_sheet(path)
    except ImportRefused as error:
        return Outcome(refusal=str(error)), None
    header = map_header(sheet, COLUMNS)
    if header is None or "name" not in header.columns or "role" not in header.columns:
        refusal = "没有找到表头：前10行中没有“姓名”和“职务”列。请使用导入模板的列名。"
        return Outcome(sheet=sheet, refusal=refusal), None
    parsed = parse(sheet, header, UnitIndex(user))
    if not parsed.rows_read:
        return Outcome(sheet=sheet, header=header, refusal="表头下面没有数据行。"), None
    return Outcome(sheet=sheet, header=header, rows_read=parsed.rows_read), parsed


def preview(path, name, user):
    outcome, parsed = read(path, name, user)
    if parsed is None:
        return outcome
    errors = parsed.errors + diff(parsed, user)
    errors.sort(key=lambda e: (e.row, e.column_index if e.column_index is not None else -1))
    outcome.people, outcome.errors, outcome.counts = parsed.people, errors, count(parsed.people, errors)
    return outcome


class Stale(Exception):
    pass


def confirm(path, name, user):
    """Everything or nothing; the outcome's counts are what was committed."""
    outcome, parsed = read(path, name, user)
    if parsed is None or parsed.errors:
        if parsed is not None:
            outcome.errors = parsed.errors
        return outcome
    units = UnitIndex(user)
    try:
        with transaction.atomic():
            reason = units.check_in_transaction({p.village_id for p in parsed.people}, {})
            if reason:
                raise Stale(reason)
            errors = diff(parsed, user)
            if errors:
                outcome.errors = errors
                raise Stale("")
            outcome.counts = write(parsed.people)
    except Stale as stale:
        outcome.refusal, outcome.counts = str(stale) or "确认时发现数据有问题，未导入任何数据。", {}
        return outcome
    except IntegrityError:  # another user posted someone to the same 邻 meanwhile
        outcome.refusal, outcome.counts = "导入期间其他用户修改了相关任职，未导入任何数据，请重新上传预览。", {}
        return outcome
    outcome.people, outcome.committed = parsed.people, True
    return outcome


def write(people):
    new = [p for p in people if p.action == CREATE]
    created = Person._base_manager.bulk_create(
        [
            Person(
                village_id=p.village_id, name=p.name, id_number=p.id_number, gender=p.gender, phone=p.phone,
                is_party_member=bool(p.party), education=p.education, is_reserve=bool(p.reserve), note=p.note,
            )
            for p in new
        ],
        batch_size=1000,
    )  # fmt: skip
    create_entries(Person, created)
    for person, row in zip(new, created, strict=True):
        person.existing = row
    changed = [p for p in people if p.action == UPDATE]
    if changed:
        for person in changed:
            for attr, value in person.changes.items():
                setattr(person.existing, attr, value)
        fields = sorted({attr for p in changed for attr in p.changes})
        Person.objects.bulk_update([p.existing for p in changed], fields, batch_size=1000)
    today = timezone.localdate()
    postings = Posting._base_manager.bulk_create(
        [
            Posting(person_id=p.existing.pk, role=r.role, unit_id=r.unit_id, start_date=r.start_date or today,
                    selection_method=r.selection)
            for p in people for r in p.postings if r.action == CREATE
        ],
        batch_size=1000,
    )  # fmt: skip
    create_entries(Posting, postings)
    moved = [r for p in people for r in p.postings if r.action == UPDATE]
    if moved:
        for posting in moved:
            for attr, value in posting.changes.items():
                setattr(posting.existing, attr, value)
        fields = sorted({attr for r in moved for attr in r.changes})
        Posting.objects.bulk_update([r.existing for r in moved], fields, batch_size=1000)
    all_postings = [r for p in people for r in p.postings]
    return {
        "people_create": len(created),
        "people_update": len(changed),
        "people_unchanged": sum(1 for p in people if p.action == UNCHANGED),
        "postings_create": len(postings),
        "postings_update": len(moved),
        "postings_unchanged": sum(1 for r in all_postings if r.action == UNCHANGED),
    }


HEADERS = ["行号", "操作", "姓名", "联系电话", "任职"]


def describe(outcome):
    """People that change or are refused, with their postings (unchanged ones only counted)."""
    rows = []
    for person in outcome.people:
        if person.action == UNCHANGED and all(r.action == UNCHANGED for r in person.postings):
            continue
        postings = "、".join(
            f"{ROLE_LABELS[r.role]}（{ACTION_LABELS.get(r.action, '')}）" for r in person.postings
            if r.action != UNCHANGED
        )  # fmt: skip
        phone = person.phone if "*" in person.phone else mask_phone(person.phone)
        rows.append([person.row, ACTION_LABELS.get(person.action, ""), person.name, phone, postings])
    return HEADERS, rows


def summary(counts):
    p = {k: counts.get(f"people_{k}", 0) for k in ACTIONS}
    r = {k: counts.get(f"postings_{k}", 0) for k in ACTIONS}
    text = (
        f"人员：新增{p['create']}人，修改{p['update']}人，不变{p['unchanged']}人"
        f"；任职：新增{r['create']}条，修改{r['update']}条，不变{r['unchanged']}条"
    )
    if p["refused"] or r["refused"]:
        text += f"；有问题：{p['refused']}人、{r['refused']}条任职"
    return text + "。"


ROSTER_IMPORTER = SheetImporter(
    title="三长花名册",
    columns=COLUMNS,
    instructions=INSTRUCTIONS,
    preview=preview,
    confirm=confirm,
    describe=describe,
    summary=summary,
    rows_title="将要写入的人员及任职",
    row_unit="人",
)
