"""Parsed people and postings against the database: what is created, updated, unchanged or refused.

A person is found by ID number (anywhere: one outside the importer's scope cannot be used), else
by name in the village when exactly one person (without a different ID number) bears it. A
posting is found as the person's active posting of that role in that unit. A 片/组/邻 that already
has another active 片长/组长/邻长 is refused: the office ends that posting first. A few queries for
the whole file, none per row, so the preview holds no lock; the confirm runs it again inside its
transaction.
"""

from collections import defaultdict

from core.importing.report import RowError
from core.masking import mask_id_number, mask_phone
from governance.models import Person, Posting, Unit

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTION_LABELS = {CREATE: "新增", UPDATE: "修改", UNCHANGED: "不变", REFUSED: "有问题"}
NOT_USABLE = "该身份证号不能使用，如有疑问请联系乡镇干部核实。"
SINGLE = set(Posting.SINGLE_HOLDER_ROLES)
ROLE_LABELS = dict(Posting.Role.choices)


class Errors(list):
    def __init__(self, header):
        super().__init__()
        self.header = header

    def add(self, row, key, reason):
        self.append(RowError(row, self.header.labels.get(key, ""), reason, self.header.columns.get(key)))


def diff(parsed, user):
    """Set ``existing``, ``action`` and ``changes`` on every person and posting; returns new errors."""
    people, present = parsed.people, parsed.present
    errors = Errors(parsed.header)
    scoped = Person.objects.restrict(user)
    ids = {p.id_number for p in people if p.id_number and not p.masked_id}
    owners = dict(Person._base_manager.filter(id_number__in=ids).values_list("id_number", "pk"))
    visible = {p.pk: p for p in scoped.filter(pk__in=set(owners.values()))}
    villages = {p.village_id for p in people}
    by_name = defaultdict(list)
    for person in scoped.filter(village_id__in=villages, name__in={p.name for p in people}):
        by_name[(person.village_id, person.name)].append(person)
    for person in people:
        person.existing = None
        if person.id_number and not person.masked_id and person.id_number in owners:
            found = visible.get(owners[person.id_number])
            if found is None:
                errors.add(person.row, "id_number", NOT_USABLE)
            elif found.village_id != person.village_id:
                errors.add(person.row, "id_number", "持该身份证号的人员已登记在其他村/社区，请核实后再导入。")
            else:
                person.existing = found
            continue
        candidates = by_name.get((person.village_id, person.name), [])
        if person.masked_id:
            candidates = [c for c in candidates if mask_id_number(c.id_number) == person.id_number]
            if not candidates:
                errors.add(person.row, "id_number", "身份证号是打码后的号码，请填写完整号码。")
        elif person.id_number:
            candidates = [c for c in candidates if not c.id_number]  # another number is another person
        if len(candidates) > 1:
            errors.add(
                person.row, "name", f"本村/社区有{len(candidates)}名叫“{person.name}”的人员，请填写身份证号以区分。"
            )
        elif candidates:
            person.existing = candidates[0]
    existing_ids = {p.existing.pk for p in people if p.existing is not None}
    active = {
        (p.person_id, p.unit_id, p.role): p
        for p in Posting.objects.filter(person_id__in=existing_ids, end_date__isnull=True)
    }
    units = {posting.unit_id for p in people for posting in p.postings}
    held = {
        (p.unit_id, p.role): p
        for p in Posting.objects.filter(unit_id__in=units, role__in=SINGLE, end_date__isnull=True).select_related(
            "person"
        )
    }
    unit_names = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
    for person in people:
        _diff_person(person, present, errors)
    claimed = {}
    for person in people:
        for posting in person.postings:
            _diff_posting(person, posting, active, held, claimed, unit_names, errors)
    return errors


def _diff_person(person, present, errors):
    existing = person.existing
    if existing is None:
        if person.masked_phone:
            errors.add(person.row, "phone", "联系电话是打码后的号码，请填写完整号码。")
        person.action, person.changes = CREATE, {}
        return
    wanted = {}
    if person.id_number and not person.masked_id:
        wanted["id_number"] = person.id_number
    if person.gender:
        wanted["gender"] = person.gender
    if "phone" in present and person.phone:
        if person.masked_phone:
            if mask_phone(existing.phone) != person.phone:
                errors.add(person.row, "phone", "联系电话是打码后的号码，请填写完整号码。")
        else:
            wanted["phone"] = person.phone
    if person.party is not None:
        wanted["is_party_member"] = person.party
    if person.reserve is not None:
        wanted["is_reserve"] = person.reserve
    if person.education:
        wanted["education"] = person.education
    if person.note:
        wanted["note"] = person.note
    person.changes = {attr: value for attr, value in wanted.items() if getattr(existing, attr) != value}
    person.action = UPDATE if person.changes else UNCHANGED


def _diff_posting(person, posting, active, held, claimed, unit_names, errors):
    key = (posting.unit_id, posting.role)
    role, unit = ROLE_LABELS[posting.role], unit_names.get(posting.unit_id, "")
    earlier = claimed.get(key) if posting.role in SINGLE else claimed.get((*key, id(person)))
    if earlier is not None:
        errors.add(posting.row, "role", f"与本表第{earlier}行重复：{unit}只能有一名在任{role}。")
    claimed[key if posting.role in SINGLE else (*key, id(person))] = posting.row
    found = active.get((person.existing.pk, *key)) if person.existing is not None else None
    posting.existing = found
    if found is None:
        holder = held.get(key)
        if holder is not None and posting.role in SINGLE:
            errors.add(
                posting.row, "role", f"{unit}已有在任{role}“{holder.person.name}”，请先在系统中办理其离任后再导入。"
            )
        posting.action, posting.changes = CREATE, {}
        return
    wanted = {}
    if posting.start_date:
        wanted["start_date"] = posting.start_date
    if posting.selection:
        wanted["selection_method"] = posting.selection
    posting.changes = {attr: value for attr, value in wanted.items() if getattr(found, attr) != value}
    posting.action = UPDATE if posting.changes else UNCHANGED
