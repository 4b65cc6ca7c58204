"""Reads for the phone pages and reports: households due for contact, contact compliance, contact cards.

The contact rule (seed 002) is defined once, in ``households.contact``; the due list and
compliance both derive from it, so a household is "due" exactly when it is "not compliant".
"""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from core.reports import build_report, count, rate
from governance.models import Posting, Unit
from governance.models.units import (
    SEGMENT,
    Level,
    anchor_lookup,
    child_level,
    is_below_village,
    level_depth,
    path_prefix_length,
)
from governance.selectors import report_units
from households.contact import contact_interval, due_on, due_on_expression, due_q, window_start
from households.models import Household, Visit
from households.tallies import period_visits, special_households

LEADER_ROLES = [Posting.Role.NEIGHBORHOOD_LEADER, Posting.Role.GROUP_LEADER, Posting.Role.AREA_LEADER]


def with_last_visit(queryset, *, as_of=None):
    """Annotate ``is_special`` and ``last_visit`` (latest visit on or before ``as_of``), one query.

    The subquery is served by the (household, visited_on) index on Visit.
    """
    visits = Visit.objects.filter(household=OuterRef("pk"))
    if as_of is not None:
        visits = visits.filter(visited_on__lte=as_of)
    last = Subquery(visits.order_by("-visited_on").values("visited_on")[:1], output_field=DateField())
    return queryset.with_special().annotate(last_visit=last)


def households_for_contact(user, *, unit=None, today=None, due_only=True):
    """The user's households (optionally under ``unit``), most overdue first, never-visited first.

    Order: never visited, then by the day the next contact fell due (last visit + interval),
    earliest first, then by name. Fixed number of queries whatever the number of households.
    """
    today = today or timezone.localdate()
    qs = (
        with_last_visit(Household.objects.restrict(user, within=unit))
        .select_related("neighborhood")
        .prefetch_related(Prefetch("care_categories", to_attr="care_list"))  # a list per row, no queryset each
    )
    if due_only:
        qs = qs.filter(due_q(today))
    return qs.annotate(due_on=due_on_expression()).order_by(F("due_on").asc(nulls_first=True), "head_name", "pk")


def contact_status(household, today):
    """Display data for one household row: interval label, next due date, days overdue (None if never)."""
    interval = contact_interval(household.is_special)
    next_due = due_on(household.last_visit, household.is_special)
    overdue_days = None if next_due is None else (today - next_due).days
    return {"interval": interval.days, "due_on": next_due, "overdue_days": overdue_days}


# --- Contact compliance -------------------------------------------------------------------------


COMPLIANCE_COLUMNS = [
    count("households", "户数"),
    count("compliant", "按期联系户数"),
    rate("rate", "联系率(%)", "compliant", "households"),
    count("special", "特殊群体户"),
    count("special_compliant", "特殊户按期联系"),
    rate("special_rate", "特殊户联系率(%)", "special_compliant", "special"),
    count("regular", "其他户"),
    count("regular_compliant", "其他户按期联系"),
    rate("regular_rate", "其他户联系率(%)", "regular_compliant", "regular"),
    count("visits", "期间走访次数"),
]
COMPLIANCE_TITLE = "联系率统计"
COMPLIANCE_NOTE = (
    "按期联系：截至期末，特殊群体户最近一次联系在7天内、其他户在30天内；"
    "户数按现在所在的邻/村计；走访次数为所选期间内的走访记录数。"
)


def _group_key(level, prefix=""):
    """An expression giving the path of the ``level`` unit a household lies under (None if unlinked)."""
    lookup = anchor_lookup(level, village="village__path", below="neighborhood__path")
    return Substr(f"{prefix}{lookup}", 1, level_depth(level) * SEGMENT)


def keyed(queryset, level, prefix=""):
    """``queryset`` annotated with ``key``: the household's village id at village level and above (made
    the path of the ``level`` unit by ``keys_to_paths``), else the path of its ``level`` unit.

    Grouping a county's year of visits by the village id joins no unit table and hashes a few
    hundred integer groups; the village → township step costs one small query of the villages.
    """
    if is_below_village(level):
        return queryset.annotate(key=_group_key(level, prefix=prefix))
    return queryset.annotate(key=F(prefix + "village_id"))


def keys_to_paths(groups, *, unit, level, children=None):
    """Rows grouped by ``keyed`` with their keys made unit paths, as ``build_report`` groups them.

    At village level the villages are the ``children`` already read; above it one query of the villages.
    """
    if is_below_village(level):
        return groups
    if level == Level.VILLAGE and children is not None:
        paths = {child.pk: child.path for child in children}
    else:
        size = path_prefix_length(level)
        villages = Unit._base_manager.filter(path__startswith=unit.path, level=Level.VILLAGE).values_list("pk", "path")
        paths = {pk: path[:size] for pk, path in villages}
    return [[{**row, "key": paths.get(row["key"], "?") if row["key"] else None} for row in g] for g in groups]


def _ones(**conditions):
    """Sum of 1 over the rows meeting every condition (counted in the grouped query)."""
    when = When(**conditions, then=Value(1))
    return Coalesce(Sum(Case(when, default=Value(0), output_field=IntegerField())), 0)


def visited_within(end, special):
    """Households contacted in time as of ``end`` (their interval's window). As of today: their latest
    visit (``Household.last_visited_on``, no visit is dated after today). Before: one hashed set of
    the window's visits, not a probe per household (a county's 100k households in one pass)."""
    if end >= timezone.localdate():
        return Q(last_visited_on__gt=window_start(end, special), last_visited_on__lte=end)
    window = Visit.objects.filter(visited_on__gt=window_start(end, special), visited_on__lte=end)
    return Q(pk__in=window.values("household_id"))


def _compliance_counts(row):
    """A (unit, special care) group as the report's counts: its households and those in time."""
    compliant = row["in_week"] if row["special_care"] else row["in_month"]
    kind = "special" if row["special_care"] else "regular"
    return {"key": row["key"], "households": row["households"], kind: row["households"],
            f"{kind}_compliant": compliant, "compliant": compliant}  # fmt: skip


def contact_compliance(user, *, unit, start, end):
    """Contact compliance per child unit of ``unit`` for the period [start, end] (a core.reports.Report).

    Definition (chosen to match the due list): a household *complies* if, as of ``end``, its
    latest visit on or before ``end`` lies within its interval, i.e. on one of the days
    ``end − interval + 1 … end`` (7 days for a special-care household, 30 for the others).
    A household never visited by ``end`` does not comply. Compliance is the share of complying
    households among all households of the unit, and is also given separately for special-care
    households and for the others. ``visits`` counts the visits dated within [start, end]: the
    period's activity shown beside the as-of-end compliance.

    Households are counted where they stand today (their current 邻/村); those not yet in a 邻
    appear in the row "未编入邻" when grouping below the village. Everything is grouped in the
    database: three queries whatever the number of households (four above village level).
    """
    level = child_level(unit) or unit.level
    households = Household.objects.restrict(user, within=unit)
    # Grouped by unit and special care, the special-care set probed once per household (a grouping
    # column, not four filters each probing it: a county's 100k households 71 → 38 ms); those
    # visited within each interval count in both groups and the group's own interval is kept.
    grouped = (
        keyed(households, level)
        .annotate(special_care=ExpressionWrapper(Q(pk__in=special_households()), output_field=BooleanField()))
        .values("key", "special_care")
        .annotate(
            households=Count("pk"),
            in_week=Count("pk", filter=visited_within(end, True)),
            in_month=Count("pk", filter=visited_within(end, False)),
        )
        .order_by("key")
    )
    period = period_visits(user, unit=unit, start=start, end=end, level=level)
    visits = (
        keyed(period.rows, level, prefix=period.prefix)
        .values("key")
        .annotate(visits=period.counts["visits"])
        .order_by("key")
    )
    households_by_unit = [_compliance_counts(row) for row in grouped]
    children = report_units(user, unit, level)
    groups = keys_to_paths([households_by_unit, list(visits)], unit=unit, level=level, children=children)
    report = build_report(
        COMPLIANCE_COLUMNS,
        title=COMPLIANCE_TITLE,
        unit=unit,
        children=children,
        groups=groups,
        start=start,
        end=end,
        unplaced="未编入邻",
        other="未编入邻",  # households outside any child unit (not yet in a 邻)
    )
    report.note = COMPLIANCE_NOTE
    return report


# --- Contact cards --------------------------------------------------------------------------------


def contact_cards(households):
    """One card per household: its 邻长, 组长, 片长 (active postings) and the village's phone.

    ``households`` is a scoped queryset. Three queries in all: the households (with 邻 and 村),
    the ancestor 组 and 片 (for their names), and every active leader posting of those units.
    The postings are not restricted to the user's unit on purpose: a 邻长 prints cards naming
    the 组长 and 片长 above them, which is the card's purpose; they are reached only through
    households the user may see.
    """
    households = list(households.select_related("neighborhood", "village").order_by("neighborhood__path", "pk"))
    unit_paths = set()
    for household in households:
        if household.neighborhood_id:
            unit_paths.update(household.neighborhood.ancestor_paths()[-3:])
    units = {u.path: u for u in Unit.objects.filter(path__in=unit_paths)} if unit_paths else {}
    postings = (
        Posting.objects.filter(unit__path__in=unit_paths, role__in=LEADER_ROLES, end_date__isnull=True)
        .select_related("person", "unit")
        .order_by("start_date")
        if unit_paths
        else []
    )
    by_path = {(p.unit.path, p.role): p.person for p in postings}
    cards = []
    for household in households:
        leaders = []
        if household.neighborhood_id:
            area_path, group_path, hood_path = household.neighborhood.ancestor_paths()[-3:]
            for role, path in [
                (Posting.Role.NEIGHBORHOOD_LEADER, hood_path),
                (Posting.Role.GROUP_LEADER, group_path),
                (Posting.Role.AREA_LEADER, area_path),
            ]:
                leaders.append({"role": Posting.Role(role).label, "person": by_path.get((path, role))})
            group, area = units.get(group_path), units.get(area_path)
        else:
            group = area = None
        cards.append({"household": household, "leaders": leaders, "group": group, "area": area})
    return cards
