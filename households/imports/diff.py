"""Parsed households against the database: what is created, updated, unchanged or refused.

A household is found by 户号 in its village, by 编号, by its head's ID number, or (none of those)
by its head's name in its 邻 when exactly one matches. A resident is found by ID number, else by
name in the household. Reads only (a few queries for the whole file, none per row), so the
preview holds no lock; the confirm runs it again inside its transaction.
"""

from collections import defaultdict

from core.importing.report import RowError
from core.masking import mask_id_number, mask_phone
from households.models import Household, Resident

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTION_LABELS = {CREATE: "新增", UPDATE: "修改", UNCHANGED: "不变", REFUSED: "有问题"}
CHUNK = 5000
RESIDENT_FIELDS = ("id", "household_id", "name", "relation", "id_number", "birth_date", "gender", "phone")
NOT_USABLE = "该身份证号不能使用，如有疑问请联系乡镇干部核实。"
HOUSEHOLD_FIELDS = {
    "household_number": "household_number", "address": "address", "note": "note", "phone": "phone",
    "head_name": "head_name",
}  # fmt: skip


class Errors(list):
    """RowErrors keyed by column key, labelled and placed as the file heads its columns."""

    def __init__(self, header):
        super().__init__()
        self.header = header

    def add(self, row, key, reason):
        self.append(RowError(row, self.header.labels.get(key, ""), reason, self.header.columns.get(key)))


def chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def diff(parsed, user):
    """Set ``existing``, ``action`` and ``changes`` on every household and resident; returns new errors."""
    groups, present = parsed.groups, parsed.present
    errors = Errors(parsed.header)
    scoped = Household.objects.restrict(user)
    village_ids = {g.village_id for g in groups if g.village_id}
    by_number = {}
    if "household_number" in present and village_ids:
        for household in scoped.filter(village_id__in=village_ids).exclude(household_number=""):
            by_number[(household.village_id, household.household_number)] = household
    pks = {g.pk for g in groups if g.pk}
    by_pk = {h.pk: h for part in chunks(pks) for h in scoped.filter(pk__in=part)}
    ids = {r.id_number for g in groups for r in g.residents if r.id_number and not r.masked_id}
    id_owner, owner_villages = {}, set()
    for part in chunks(ids):
        rows = Resident.objects.filter(id_number__in=part)
        for number, household, village in rows.values_list("id_number", "household_id", "household__village"):
            id_owner[number] = household
            owner_villages.add(village)
    in_scope_households = set()
    for part in chunks(set(id_owner.values())):
        # The owners' villages named too: SQLite then probes those few villages per household, not
        # every unit of the scope (10,000 households: ~1.5 s down to a few ms). No ordering: no join.
        owners = scoped.filter(village_id__in=owner_villages, pk__in=part).order_by()
        in_scope_households.update(owners.values_list("pk", flat=True))
    outside = {number for number, household in id_owner.items() if household not in in_scope_households}
    for group in groups:
        group.existing = None
        if group.household_number and (group.village_id, group.household_number) in by_number:
            group.existing = by_number[(group.village_id, group.household_number)]
        elif group.pk:
            group.existing = by_pk.get(group.pk)
            if group.existing is None:
                errors.add(group.row, "id", f"编号为{group.pk}的户不存在，或不在您的管辖范围内。")
    head_households = {}
    for group in groups:
        if group.existing is None and not group.household_number and not group.pk:
            head = next((r for r in group.residents if r.relation == "head" and r.id_number in id_owner), None)
            if head is not None and head.id_number not in outside:
                head_households[id(group)] = id_owner[head.id_number]
    loaded = {h.pk: h for part in chunks(set(head_households.values())) for h in scoped.filter(pk__in=part)}
    by_head = defaultdict(list)
    unkeyed = [g for g in groups if g.existing is None and not g.household_number and not g.pk]
    if unkeyed:
        names = {g.head_name for g in unkeyed}
        villages = {g.village_id for g in unkeyed if g.village_id}
        for part in chunks(names):
            for h in scoped.filter(village_id__in=villages, head_name__in=part, household_number=""):
                by_head[(h.village_id, h.neighborhood_id, h.head_name)].append(h)
    for group in unkeyed:
        if id(group) in head_households:
            group.existing = loaded.get(head_households[id(group)])
        else:
            matches = by_head.get((group.village_id, group.neighborhood_id, group.head_name), [])
            group.existing = matches[0] if len(matches) == 1 else None
    existing_ids = {g.existing.pk for g in groups if g.existing is not None}
    members, by_id = defaultdict(list), {}
    for part in chunks(existing_ids):
        for resident in Resident.objects.filter(household_id__in=part).only(*RESIDENT_FIELDS):
            members[resident.household_id].append(resident)
            if resident.id_number:
                by_id[resident.id_number] = resident
    moved_ids = {number for number in id_owner if number not in outside and number not in by_id}
    for part in chunks(moved_ids):
        for resident in Resident.objects.filter(id_number__in=part).only(*RESIDENT_FIELDS):
            by_id[resident.id_number] = resident
    care = defaultdict(set)
    through = Household.care_categories.through
    for part in chunks(existing_ids):
        for household_id, code in through.objects.filter(household_id__in=part).values_list(
            "household_id", "carecategory_id"
        ):
            care[household_id].add(code)
    for group in groups:
        _diff_household(group, present, care, errors)
        for resident in group.residents:
            _diff_resident(resident, group, members, by_id, outside, present, errors)
    return errors


def _diff_household(group, present, care, errors):
    existing = group.existing
    if existing is None:
        if group.masked_phone:
            errors.add(group.row, "phone", "联系电话是打码后的号码，请填写完整号码。")
        group.action, group.changes = CREATE, {}
        return
    changes = {}
    wanted = {"head_name": group.head_name, "village_id": group.village_id}
    if present & {"neighborhood", "division_code"}:
        wanted["neighborhood_id"] = group.neighborhood_id
    for key in ("household_number", "address", "note"):
        if key in present and (key != "household_number" or group.household_number):
            wanted[key] = getattr(group, key)
    if "phone" in present:
        if group.masked_phone:
            if mask_phone(existing.phone) != group.phone:
                errors.add(group.row, "phone", "联系电话是打码后的号码，请填写完整号码。")
        else:
            wanted["phone"] = group.phone
    for attr, value in wanted.items():
        if getattr(existing, attr) != value:
            changes[attr] = value
    group.care_before = care.get(existing.pk, set())
    group.care_changed = "care" in present and set(group.care) != group.care_before
    group.changes = changes
    group.action = UPDATE if changes or group.care_changed else UNCHANGED


def _same_person(member, resident):
    """By name when at most one side has an ID number (equal numbers were matched already)."""
    return member.name == resident.name and not (member.id_number and resident.id_number)


def _diff_resident(resident, group, members, by_id, outside, present, errors):
    existing = None
    if resident.masked_id:
        pool = members.get(group.existing.pk, []) if group.existing else []
        existing = next((m for m in pool if mask_id_number(m.id_number) == resident.id_number), None)
        if existing is None:
            errors.add(resident.row, "id_number", "身份证号是打码后的号码，请填写完整号码。")
    elif resident.id_number:
        if resident.id_number in outside:
            errors.add(resident.row, "id_number", NOT_USABLE)
        existing = by_id.get(resident.id_number)
    if existing is None and group.existing is not None and not resident.masked_id:
        existing = next((m for m in members.get(group.existing.pk, []) if _same_person(m, resident)), None)
    resident.existing = existing
    if existing is None:
        resident.action, resident.changes = CREATE, {}
        return
    wanted = {"name": resident.name}
    if group.existing is None or existing.household_id != group.existing.pk:
        wanted["household_id"] = None  # moves to the group's (new or other) household
    if "relation" in present and resident.relation:
        wanted["relation"] = resident.relation
    if resident.id_number and not resident.masked_id:
        wanted.update(id_number=resident.id_number, birth_date=resident.birth_date, gender=resident.gender)
    else:
        if "gender" in present and resident.gender:
            wanted["gender"] = resident.gender
        if "birth_date" in present and resident.birth_date:
            wanted["birth_date"] = resident.birth_date
    if "phone" in present:
        if resident.masked_phone:
            if mask_phone(existing.phone) != resident.phone:
                errors.add(resident.row, "phone", "联系电话是打码后的号码，请填写完整号码。")
        else:
            wanted["phone"] = resident.phone
    changes = {
        attr: value for attr, value in wanted.items() if attr == "household_id" or getattr(existing, attr) != value
    }
    resident.changes = changes
    resident.action = UPDATE if changes else UNCHANGED
