"""The 三长 roster import: its pieces for the preview → confirm driver (``core.importing.flow``), its display.

``preview`` and ``confirm`` come from ``FLOW``; the write is bulk, one audit entry per changed row.
"""

from django.utils import timezone

from core.admin_import import SheetImporter
from core.importing.audit import create_entries
from core.importing.flow import ImportFlow
from core.masking import mask_phone
from governance.imports.columns import COLUMNS, INSTRUCTIONS
from governance.imports.diff import ACTION_LABELS, CREATE, REFUSED, ROLE_LABELS, UNCHANGED, UPDATE, diff
from governance.imports.parse import parse
from governance.models import Person, Posting
from governance.unit_lookup import UnitIndex

ACTIONS = (CREATE, UPDATE, UNCHANGED, REFUSED)


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
    for person in outcome.items:
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


FLOW = ImportFlow(
    columns=COLUMNS,
    has_header=lambda columns: "name" in columns and "role" in columns,
    no_header="没有找到表头：前10行中没有“姓名”和“职务”列。请使用导入模板的列名。",
    parse=lambda sheet, header, user, tick: parse(sheet, header, UnitIndex(user), tick),
    items=lambda parsed: parsed.people,
    diff=diff,
    count=count,
    lock=lambda parsed, user: UnitIndex(user).check_in_transaction({p.village_id for p in parsed.people}, {}),
    write=write,
    conflict="导入期间其他用户修改了相关任职，未导入任何数据，请重新上传预览。",  # someone posted to the same 邻
)
preview, confirm = FLOW.preview, FLOW.confirm

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
