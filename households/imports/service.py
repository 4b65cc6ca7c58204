"""The household import's pieces for the shared preview → confirm driver (``core.importing.flow``).

``preview(path, name, user)`` and ``confirm(path, name, user)`` come from ``FLOW``. The write is
bulk statements (each changed row gets its one audit entry: ``core.importing.audit`` for created
rows, the audited ``bulk_update`` for changed ones).
"""

from django.utils import timezone

from core.importing.audit import create_entries, m2m_entries
from core.importing.flow import ImportFlow
from core.importing.report import RowError
from governance.unit_lookup import UnitIndex
from households.imports.columns import COLUMNS
from households.imports.diff import CREATE, REFUSED, UNCHANGED, UPDATE, diff
from households.imports.parse import parse
from households.models import CareCategory, Household, Resident
from households.models.households import refresh_resident_counts
from households.tallies import recount_households


def count(groups, errors):
    faulty = {e.row for e in errors}
    counts = {f"households_{a}": 0 for a in (CREATE, UPDATE, UNCHANGED, REFUSED)}
    counts.update({f"residents_{a}": 0 for a in (CREATE, UPDATE, UNCHANGED, REFUSED)})
    for group in groups:
        if faulty.intersection(group.rows):
            group.action = REFUSED
        counts[f"households_{group.action}"] += 1
        for resident in group.residents:
            if resident.row in faulty:
                resident.action = REFUSED
            counts[f"residents_{resident.action}"] += 1
    counts["errors"] = len(errors)
    return counts


def lock(parsed, user):
    """Lock the file's villages and re-check each village and 邻 (still in scope, 邻 still under it)."""
    return UnitIndex(user).check_in_transaction(
        {g.village_id for g in parsed.groups},
        {g.neighborhood_id: g.village_id for g in parsed.groups if g.neighborhood_id},
    )


def write(groups):
    """Bulk writes for the diffed groups; returns what was written."""
    now = timezone.now()
    new = [g for g in groups if g.action == CREATE]
    created = Household._base_manager.bulk_create(
        [
            Household(
                village_id=g.village_id, neighborhood_id=g.neighborhood_id, head_name=g.head_name,
                household_number=g.household_number, address=g.address, phone=g.phone, note=g.note,
            )
            for g in new
        ],
        batch_size=1000,
    )  # fmt: skip
    create_entries(Household, created)
    for group, household in zip(new, created, strict=True):
        group.existing = household
    changed = [g for g in groups if g.action == UPDATE and g.changes]
    # Households moved to another village or whose care categories change: their visits' tally moves too.
    moved = [g for g in groups if g.action == UPDATE and ("village_id" in g.changes or g.care_changed)]
    former_villages = {g.existing.village_id for g in moved}
    fields = sorted({attr for g in changed for attr in g.changes})
    for group in changed:
        for attr, value in group.changes.items():
            setattr(group.existing, attr, value)
        group.existing.updated_at = now
    if changed:
        Household.objects.bulk_update([g.existing for g in changed], [*fields, "updated_at"], batch_size=1000)
    _write_care([g for g in groups if g.action == CREATE and g.care or g.care_changed])
    recount_households([g.existing.pk for g in moved], former_villages)
    residents = _write_residents(groups)
    return {
        "households_create": len(created),
        "households_update": sum(1 for g in groups if g.action == UPDATE),
        "households_unchanged": sum(1 for g in groups if g.action == UNCHANGED),
        **residents,
    }


def _write_care(groups):
    """The households' 特殊群体类别 replaced, each addition and removal audited as auditlog records an m2m change."""
    through = Household.care_categories.through
    ids = [g.existing.pk for g in groups]
    if not ids:
        return
    through.objects.filter(household_id__in=ids).delete()
    through.objects.bulk_create(
        [through(household_id=g.existing.pk, carecategory_id=code) for g in groups for code in sorted(g.care)],
        batch_size=2000,
    )
    names = dict(CareCategory.objects.values_list("pk", "name"))
    changes = []
    for group in groups:
        before = group.care_before
        changes.append((group.existing, "add", [names[c] for c in sorted(set(group.care) - before)]))
        changes.append((group.existing, "delete", [names[c] for c in sorted(before - set(group.care))]))
    m2m_entries(Household, "care_categories", changes)


def _write_residents(groups):
    new, changed, touched = [], [], set()
    for group in groups:
        for r in group.residents:
            if r.action == CREATE:
                new.append(
                    Resident(
                        household_id=group.existing.pk, name=r.name, relation=r.relation or Resident.Relation.OTHER,
                        id_number=r.id_number, birth_date=r.birth_date, gender=r.gender, phone=r.phone,
                    )
                )  # fmt: skip
            elif r.action == UPDATE:
                touched.add(r.existing.household_id)  # before a move: the former household
                for attr, value in r.changes.items():
                    setattr(r.existing, attr, group.existing.pk if attr == "household_id" else value)
                changed.append(r)
    Resident._base_manager.bulk_create(new, batch_size=1000)
    create_entries(Resident, new)
    if changed:
        fields = sorted({attr for r in changed for attr in r.changes})
        Resident.objects.bulk_update([r.existing for r in changed], fields, batch_size=1000)
    # Written in bulk, past Resident.save: the households' counts are read again here.
    refresh_resident_counts(touched | {r.household_id for r in new} | {r.existing.household_id for r in changed})
    return {
        "residents_create": len(new),
        "residents_update": len(changed),
        "residents_unchanged": sum(1 for g in groups for r in g.residents if r.action == UNCHANGED),
    }


def file_errors(outcome):
    """Errors for the whole file (a refusal) as one RowError, for the error table."""
    return [RowError(0, "", outcome.refusal)] if outcome.refusal else []


FLOW = ImportFlow(
    columns=COLUMNS,
    has_header=lambda columns: "name" in columns or "head_name" in columns,
    no_header="没有找到表头：前10行中没有“姓名”或“户主姓名”列。请使用导入模板的列名。",
    parse=lambda sheet, header, user, tick: parse(sheet, header, UnitIndex(user), tick),
    items=lambda parsed: parsed.groups,
    diff=diff,
    count=count,
    lock=lock,
    write=write,
)
preview, confirm = FLOW.preview, FLOW.confirm
