"""Read side of governance for the county workbook: the 三长 and other postings per unit."""

from django.db.models import Count, Q
from django.db.models.functions import Substr

from core.reports import build_report, count, rate
from governance.models import Posting, Unit
from governance.models.units import child_level, path_prefix_length

R = Posting.Role
LEADERS = [R.AREA_LEADER, R.GROUP_LEADER, R.NEIGHBORHOOD_LEADER]

ROSTER_TITLE = "三长队伍"
ROSTER_COLUMNS = [
    count("area_leader", "片长"),
    count("group_leader", "组长"),
    count("neighborhood_leader", "邻长"),
    count("leaders", "三长合计"),
    count("party_leaders", "其中党员"),
    rate("party_rate", "党员占比(%)", "party_leaders", "leaders"),
    count("grid_worker", "网格员"),
    count("representative", "村(居)民代表"),
    count("elder_mediator", "五老"),
]
ROSTER_GROUPS = {
    "area_leader": "三长",
    "group_leader": "三长",
    "neighborhood_leader": "三长",
    "leaders": "三长",
    "party_leaders": "三长",
    "party_rate": "三长",
    "grid_worker": "其他力量",
    "representative": "其他力量",
    "elder_mediator": "其他力量",
}
ROSTER_NOTE = "在任：任职日期不晚于期末、期末时尚未离任的任职；一人多职分别计数。"


def report_units(user, unit, level):
    """The units a report groups ``unit``'s rows by: those at ``level`` under it the user sees, in
    tree order (the unit itself when ``level`` is its own). Grouping by any level, not only the
    children, lets the county workbook count a whole county per village in one query per source."""
    if level == unit.level:
        return [unit]
    return list(Unit.objects.restrict(user).under(unit).filter(level=level).order_by("path"))


def active_on(day):
    """Postings held on ``day``: begun by then and not yet ended."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def roster_report(user, *, unit, start, end, today=None, level=None):
    """Postings in office at the end of the period per ``level`` unit under ``unit`` (default: its children)."""
    level = level or child_level(unit) or unit.level
    grouped = (
        Posting.objects.restrict(user)
        .filter(active_on(end), unit__path__startswith=unit.path)
        .annotate(key=Substr("unit__path", 1, path_prefix_length(level)))
        .values("key")
        .annotate(
            **{role: Count("pk", filter=Q(role=role)) for role in R.values},
            leaders=Count("pk", filter=Q(role__in=LEADERS)),
            party_leaders=Count("pk", filter=Q(role__in=LEADERS, person__is_party_member=True)),
        )
        .order_by("key")
    )
    report = build_report(
        ROSTER_COLUMNS,
        title=ROSTER_TITLE,
        unit=unit,
        children=report_units(user, unit, level),
        groups=[grouped],
        start=start,
        end=end,
        unplaced="其他",
        other="村级任职",  # village-level postings when grouping below a village
    )
    report.note = ROSTER_NOTE
    return report
