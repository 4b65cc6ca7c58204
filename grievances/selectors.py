"""Read side of grievances: the work queue and the statistics that pages and exports share.

Statistics are grouped in the database by the child units of a given unit: the grievance's
village path (township/village children) or its household's 邻 path (片/组/邻 children) is cut
with ``Substr(path, 1, path_prefix_length(level))``, so one query groups by any level, and one
more fetches the child units' names.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from governance.models import Unit
from governance.models.units import anchor_lookup, child_level, path_prefix_length
from grievances.models import DEADLINE_LISTS, Grievance, Revisit, deadline_q, grievance_scope_q

S = Grievance.Status
H = Grievance.HandlingMode
SAT = Revisit.Satisfaction

PAST_VERIFICATION = [S.VERIFIED, S.IN_PROGRESS, S.RESOLVED, S.REVISITED, S.ARCHIVED]
PAST_RESOLUTION = [S.RESOLVED, S.REVISITED, S.ARCHIVED]

# (key, Chinese header) in display order; the page and the Excel export both use it.
STAT_COLUMNS = [
    ("collected", "收集诉求"),
    ("verified", "已核实"),
    ("rejected", "不予受理"),
    ("on_spot", "当场解决"),
    ("explained", "解释答复"),
    ("escalated", "上报上级"),
    ("resolved", "已办结"),
    ("overdue", "超期未办结"),
    ("revisited", "已回访"),
    ("satisfaction_rate", "满意率(%)"),
    ("avg_days", "平均办结天数"),
]
COUNT_KEYS = [key for key, _ in STAT_COLUMNS if key not in ("satisfaction_rate", "avg_days")]


@dataclass
class StatsRow:
    unit_id: int | None
    unit_name: str
    counts: dict = field(default_factory=dict)
    satisfied: int = 0  # 满意 + 基本满意 among revisited (latest revisit)
    days_total: float = 0.0  # sum of days to resolve over ``resolved`` rows with a date

    def __getitem__(self, key):
        if key == "satisfaction_rate":
            revisited = self.counts.get("revisited", 0)
            return round(100 * self.satisfied / revisited, 1) if revisited else None
        if key == "avg_days":
            resolved = self.counts.get("resolved_dated", 0)
            return round(self.days_total / resolved, 1) if resolved else None
        return self.counts.get(key, 0)

    def values(self):
        return [self[key] for key, _ in STAT_COLUMNS]


def _days(duration):
    if duration is None:
        return 0.0
    if isinstance(duration, datetime.timedelta):
        return duration.total_seconds() / 86400
    return float(duration) / 86400e6  # microseconds on backends without a native interval


def grievance_stats(*, unit, start, end, today=None):
    """Per child unit of ``unit``: rows for grievances received between ``start`` and ``end``.

    Returns (rows, total): one StatsRow per child unit (zero rows included), and the total.
    Three queries whatever the data: the grouped aggregate, the child units, nothing else.
    """
    today = today or timezone.localdate()
    level = child_level(unit) or unit.level
    lookup = anchor_lookup(level, village="village__path", below="household__neighborhood__path")
    last_satisfaction = Subquery(
        Revisit.objects.filter(grievance=OuterRef("pk")).order_by("-revisited_on", "-id").values("satisfaction")[:1]
    )
    days = ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=DurationField())
    grouped = (
        Grievance.objects.filter(grievance_scope_q(unit), received_on__gte=start, received_on__lte=end)
        .annotate(unit_path=Substr(lookup, 1, path_prefix_length(level)), last_satisfaction=last_satisfaction)
        .values("unit_path")
        .annotate(
            collected=Count("pk"),
            verified=Count("pk", filter=Q(status__in=PAST_VERIFICATION)),
            rejected=Count("pk", filter=Q(status=S.REJECTED)),
            on_spot=Count("pk", filter=Q(handling_mode=H.ON_SPOT)),
            explained=Count("pk", filter=Q(handling_mode=H.EXPLAINED)),
            escalated=Count("pk", filter=Q(handling_mode=H.ESCALATED)),
            resolved=Count("pk", filter=Q(status__in=PAST_RESOLUTION)),
            resolved_dated=Count("pk", filter=Q(status__in=PAST_RESOLUTION, resolved_on__isnull=False)),
            overdue=Count("pk", filter=deadline_q("overdue", today)),
            revisited=Count("pk", filter=Q(last_satisfaction__isnull=False)),
            satisfied=Count("pk", filter=Q(last_satisfaction__in=[SAT.SATISFIED, SAT.BASIC])),
            avg_duration=Avg(days, filter=Q(status__in=PAST_RESOLUTION, resolved_on__isnull=False)),
        )
        .order_by("unit_path")
    )
    by_path = {}
    for row in grouped:
        counts = {key: row[key] for key in [*COUNT_KEYS, "resolved_dated"]}
        by_path[row["unit_path"]] = (counts, row["satisfied"], _days(row["avg_duration"]) * row["resolved_dated"])

    if level == unit.level:
        children = [unit]
    else:
        children = list(Unit.objects.filter(parent=unit).order_by("path").only("id", "name", "path", "level"))
    rows = []
    for child in children:
        counts, satisfied, days_total = by_path.pop(child.path, ({}, 0, 0.0))
        rows.append(StatsRow(child.pk, child.name, counts, satisfied, days_total))
    for path, (counts, satisfied, days_total) in by_path.items():
        # Grievances without a 邻 (non-resident reporters, households not yet in a 邻).
        rows.append(StatsRow(None, "未编入邻/非本村户籍" if path is None else "其他", counts, satisfied, days_total))
    return rows, _total(unit, rows)


def _total(unit, rows):
    keys = [*COUNT_KEYS, "resolved_dated"]
    counts = {key: sum(row.counts.get(key, 0) for row in rows) for key in keys}
    return StatsRow(
        unit.pk,
        f"{unit.name}合计",
        counts,
        sum(row.satisfied for row in rows),
        sum(row.days_total for row in rows),
    )


# ---------------------------------------------------------------- work queue

QUEUE_SECTIONS = ["new", "overdue", "due_soon", "awaiting_revisit", "awaiting_reply"]


SECTION_ORDERING = {
    "new": ["received_on", "id"],
    "overdue": ["due_date", "id"],
    "due_soon": ["due_date", "id"],
    "awaiting_revisit": ["resolved_on", "id"],
    "awaiting_reply": ["received_on", "id"],
}


@dataclass
class QueueSection:
    key: str
    title: str
    count: int
    items: list


def work_queue(*, user, today=None, limit=10):
    """The user's work queue for the admin home page, scoped to the user's units.

    One counting query plus one query per section, whatever the number of grievances.
    """
    today = today or timezone.localdate()
    base = Grievance.objects.restrict(user)
    counts = base.aggregate(**{key: Count("pk", filter=deadline_q(key, today)) for key in QUEUE_SECTIONS})
    titles = dict(DEADLINE_LISTS)
    sections = []
    for key in QUEUE_SECTIONS:
        items = []
        if counts[key]:
            items = list(
                base.deadline(key, today)
                .select_related("village", "household", "category")
                .order_by(*SECTION_ORDERING[key])[:limit]
            )
        sections.append(QueueSection(key, titles[key], counts[key], items))
    return sections
