"""Keeping ``VisitDay`` (visits per village and day) equal to the visits, and reading periods from it.

Kept by recounting, never by adding and subtracting: every write that changes what a visit counts
for (a visit saved, deleted or written in bulk by its queryset, a household moved to another
village, a household's care categories changed, the household import) recounts the village-days
it touched from the visits themselves, after locking those rows. A recount is exact whatever
happened before, so the tally cannot drift by a lost increment, and two cadres logging visits in
one village on one day wait for each other on the row instead of overwriting each other's count.
Bulk loads (the demo, a restore) call ``rebuild``.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum

from core.scoping import sees_everything, user_unit
from governance.models.units import is_below_village
from households.models import Household, Visit, VisitDay
from households.models.tallies import COUNT_FIELDS, METHOD_FIELDS


def special_households():
    """Households with any care category, as a subquery (special-care: contacted weekly)."""
    return Household.care_categories.through.objects.values("household_id")


def visit_counts():
    """The aggregates of ``COUNT_FIELDS`` over visits: the one definition the tally and a scan share."""
    return {
        "visits": Count("pk"),
        **{method: Count("pk", filter=Q(method=method)) for method in METHOD_FIELDS},
        "problems": Count("pk", filter=Q(problem_found=True)),
        "special_visits": Count("pk", filter=Q(household__in=special_households())),
    }


def _village_days(visits):
    """``visits`` grouped by their household's village and their day, with every count."""
    return (
        visits.values(village_key=F("household__village_id"), day_key=F("visited_on"))
        .annotate(**visit_counts())
        .order_by()
    )


@transaction.atomic
def recount_places(places):
    """Make the tally of every (village id, day) in ``places`` what the visits say."""
    places = {(v, d) for v, d in places if v and d}
    if not places:
        return
    villages, days = sorted({v for v, _ in places}), sorted({d for _, d in places})
    # Rows to lock even where there were none: a first visit of the day waits here for another one.
    VisitDay.objects.bulk_create(
        [VisitDay(village_id=v, day=d) for v, d in sorted(places, key=lambda p: (p[1], p[0]))],
        ignore_conflicts=True,
        batch_size=2000,
    )
    within = {"village_id__in": villages, "day__in": days}  # a superset of the places: recounted alike
    rows = list(VisitDay.objects.select_for_update().filter(**within).order_by("day", "village"))
    # Read after the lock: under READ COMMITTED this statement sees every visit committed before it.
    found = {
        (row.pop("village_key"), row.pop("day_key")): row
        for row in _village_days(Visit.objects.filter(household__village_id__in=villages, visited_on__in=days))
    }
    changed, empty = [], []
    for row in rows:
        counts = found.get((row.village_id, row.day))
        if counts is None:
            empty.append(row.pk)
            continue
        if any(getattr(row, name) != counts[name] for name in COUNT_FIELDS):
            for name in COUNT_FIELDS:
                setattr(row, name, counts[name])
            changed.append(row)
    if empty:
        VisitDay.objects.filter(pk__in=empty).delete()
    if changed:
        VisitDay.objects.bulk_update(changed, COUNT_FIELDS, batch_size=1000)


def recount(villages, days):
    """Recount every (village, day) of ``villages`` × ``days``."""
    recount_places({(v, d) for v in villages for d in days})


def places_of(visit_ids):
    """The (village id, day, household id) of these visits as they stand now."""
    if not visit_ids:
        return set()
    rows = Visit._base_manager.filter(pk__in=visit_ids)
    return set(rows.values_list("household__village_id", "visited_on", "household_id").distinct())


def visits_written(places):
    """After a bulk write of visits: recount their places (``places_of`` before and after) and refresh
    their households' latest visit."""
    recount_places({place[:2] for place in places})
    refresh_last_visits({place[2] for place in places})


def recount_households(household_ids, former_villages=()):
    """Recount every day of these households' visits, in their villages now and ``former_villages``."""
    household_ids = list(household_ids)
    if not household_ids:
        return
    days = set(Visit.objects.filter(household_id__in=household_ids).values_list("visited_on", flat=True).distinct())
    if not days:
        return
    villages = set(Household._base_manager.filter(pk__in=household_ids).values_list("village_id", flat=True))
    recount(villages | set(former_villages), days)


@transaction.atomic
def rebuild(villages=None):
    """The tally counted again from every visit (of ``villages``, or all): after a bulk load."""
    tally, visits = VisitDay.objects.all(), Visit.objects.all()
    if villages is not None:
        villages = list(villages)
        tally, visits = tally.filter(village_id__in=villages), visits.filter(household__village_id__in=villages)
    tally.delete()
    households = Household._base_manager.all()
    _refresh(households if villages is None else households.filter(village_id__in=villages))
    rows = (
        VisitDay(village_id=row.pop("village_key"), day=row.pop("day_key"), **row)
        for row in _village_days(visits).iterator(chunk_size=5000)
    )
    return len(VisitDay.objects.bulk_create(rows, batch_size=2000))


def differences(villages=None):
    """(village id, day, tally counts, counted counts) where the tally and the visits disagree, and
    ("户", household id, kept latest visit, actual latest visit) where a household's is stale."""
    tally, visits = VisitDay.objects.all(), Visit.objects.all()
    if villages is not None:
        tally, visits = tally.filter(village_id__in=villages), visits.filter(household__village_id__in=villages)
    kept = {(r.pop("village_id"), r.pop("day")): r for r in tally.values("village_id", "day", *COUNT_FIELDS)}
    counted = {(r.pop("village_key"), r.pop("day_key")): r for r in _village_days(visits)}
    wrong = [
        (*key, kept.get(key), counted.get(key))
        for key in sorted(kept.keys() | counted.keys())
        if kept.get(key) != counted.get(key)
    ]
    # Households whose latest visit is not the one kept (the second part of what tallies keeps).
    households = Household._base_manager.all()
    if villages is not None:
        households = households.filter(village_id__in=villages)
    latest = Visit._base_manager.filter(household=OuterRef("pk")).order_by().values("household")
    counted_last = households.annotate(day=Subquery(latest.annotate(d=Max("visited_on")).values("d")))
    stale = counted_last.exclude(last_visited_on__isnull=True, day__isnull=True).exclude(last_visited_on=F("day"))
    wrong += [("户", pk, kept_day, day) for pk, kept_day, day in stale.values_list("pk", "last_visited_on", "day")]
    return wrong


@dataclass(frozen=True)
class PeriodVisits:
    """A period's visits under a unit, to group: ``rows`` with ``date`` (its day field) and ``prefix``
    (to the household's fields, for ``households.selectors.keyed``), and ``counts`` to annotate."""

    rows: QuerySet
    date: str
    prefix: str
    counts: dict


def answers(user, unit, level):
    """Whether the tally can give the counts of ``unit`` grouped at ``level``: whole villages only, for
    a user who sees whole villages (a 片长's account sees part of one)."""
    if is_below_village(level) or is_below_village(unit.level):
        return False
    if sees_everything(user):
        return True
    own = user_unit(user)
    return own is not None and not is_below_village(own.level)


def period_visits(user, *, unit, start, end, level):
    """The visits of [start, end] under ``unit`` as the report pages count them: from the tally where
    it answers (a county's year: ~81 thousand village-days instead of 1.15 million visits)."""
    if answers(user, unit, level):
        rows = VisitDay.objects.restrict(user, within=unit).filter(day__gte=start, day__lte=end)
        return PeriodVisits(rows, "day", "", {name: Sum(name) for name in COUNT_FIELDS})
    rows = Visit.objects.restrict(user, within=unit).filter(visited_on__gte=start, visited_on__lte=end)
    return PeriodVisits(rows, "visited_on", "household__", visit_counts())


# --- Keeping it: the writes of visits and households ------------------------------------------------


def stored_place(visit):
    """(village id, day, household id) of a visit as the database has it, or None for a new one."""
    if visit.pk is None:
        return None
    rows = Visit._base_manager.filter(pk=visit.pk)
    return rows.values_list("household__village_id", "visited_on", "household_id").first()


def visit_written(visit, before=None):
    """After a visit is saved or deleted: recount where it counted ``before`` and where it counts now,
    and its household's (and its former household's) latest visit."""
    village = Household._base_manager.filter(pk=visit.household_id).values_list("village_id", flat=True).first()
    recount_places({place[:2] for place in (before, (village, visit.visited_on)) if place})
    refresh_last_visits({visit.household_id, *(before[2:] if before else ())})


def refresh_last_visits(household_ids):
    """``Household.last_visited_on`` read again from the visits (one UPDATE; past the audit log)."""
    household_ids = [pk for pk in household_ids if pk]
    if household_ids:
        _refresh(Household._base_manager.filter(pk__in=household_ids))


def _refresh(households):
    latest = Visit._base_manager.filter(household=OuterRef("pk")).order_by().values("household")
    households.update(last_visited_on=Subquery(latest.annotate(day=Max("visited_on")).values("day")))


def visit_deleting(sender, instance, **kwargs):
    """pre_delete of a visit: where it counts as the database has it (the instance may be stale)."""
    instance._tally_before = stored_place(instance)


def visit_deleted(sender, instance, **kwargs):
    """post_delete of a visit (an admin's delete or a queryset's: each deleted row is sent)."""
    visit_written(instance, getattr(instance, "_tally_before", None))


def care_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of ``Household.care_categories``: the households' visits change special-care count."""
    if reverse and action == "pre_clear":  # a category cleared of its households: note them before
        instance._tally_households = list(instance.households.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        recount_households([instance.pk])
    else:
        recount_households(getattr(instance, "_tally_households", []) if action == "post_clear" else pk_set or [])


def connect():
    """Connected once by ``HouseholdsConfig.ready``."""
    from django.db.models.signals import m2m_changed, post_delete, pre_delete

    pre_delete.connect(visit_deleting, sender=Visit, dispatch_uid="visitday-visit-deleting")
    post_delete.connect(visit_deleted, sender=Visit, dispatch_uid="visitday-visit-deleted")
    m2m_changed.connect(care_changed, sender=Household.care_categories.through, dispatch_uid="visitday-care")
