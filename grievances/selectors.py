"""Read side of grievances: the work queue and the statistics that pages and exports share.

Statistics are grouped in the database by the child units of a given unit: the grievance's
village path (township/village children) or its household's 邻 path (片/组/邻 children) is cut
with ``Substr(path, 1, path_prefix_length(level))``, so one query groups by any level, and one
more fetches the child units' names; core.reports turns both into rows and a total.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from core.reports import average, build_report, count, rate
from governance.models.units import anchor_lookup, child_level, is_below_village, path_prefix_length
from governance.selectors import report_units
from grievances.models import DEADLINE_LISTS, Grievance, Revisit, deadline_q
from households.selectors import keys_to_paths

S = Grievance.Status
H = Grievance.HandlingMode
SAT = Revisit.Satisfaction

PAST_VERIFICATION = [S.VERIFIED, S.IN_PROGRESS, S.RESOLVED, S.REVISITED, S.ARCHIVED]
PAST_RESOLUTION = [S.RESOLVED, S.REVISITED, S.ARCHIVED]
PAST_REVISIT = [S.REVISITED, S.ARCHIVED]

# In display order; the page and the Excel export both use them.
STAT_COLUMNS = [
    count("collected", "收集诉求"),
    count("verified", "已核实"),
    count("rejected", "不予受理"),
    count("on_spot", "当场解决"),
    count("explained", "解释答复"),
    count("escalated", "上报上级"),
    count("resolved", "已办结"),
    count("overdue", "超期未办结"),
    count("extended", "延期"),
    count("extended_when_overdue", "超期后延期"),
    count("revisited", "已回访"),
    count("reopened", "不满意重办"),
    count("rated", "回访测评"),
    rate("satisfaction_rate", "满意率(%)", "satisfied", "rated"),
    average("avg_days", "平均办结天数", "days_total", "resolved_dated"),
    count("satisfied", "满意及基本满意", shown=False),  # latest revisit 满意 or 基本满意
    count("resolved_dated", "有办结日期的已办结", shown=False),
    count("days_total", "办结天数合计", shown=False),
]
STATS_TITLE = "群众诉求办理情况统计"
# Each column once, by the grievance's state today (of those received in the period), so columns
# that must nest do: 收集 ≥ 已核实 ≥ 已办结 ≥ 已回访; 延期 ≥ 超期后延期; 回访测评 ≥ 满意.
STATS_NOTE = (
    "统计期间内受理的诉求，按今天的状态计：已核实 = 核实后的各状态（含办理中、已办结、已回访、已归档）；"
    "已办结 = 已办结、已回访、已归档；超期未办结 = 仍未办结且已过承诺时限；延期 = 承诺时限延期过的诉求，"
    "其中“超期后延期”为延期时已超期的；已回访 = 回访满意或基本满意而结案的（已回访、已归档）；"
    "不满意重办 = 曾因回访不满意重新办理的；回访测评 = 至少回访过一次的诉求；"
    "满意率 =（最近一次回访为满意或基本满意）/ 回访测评。"
)


def _days(duration):
    if duration is None:
        return 0.0
    if isinstance(duration, datetime.timedelta):
        return duration.total_seconds() / 86400
    return float(duration) / 86400e6  # microseconds on backends without a native interval


def grievance_stats(user, *, unit, start, end, today=None, level=None):
    """Per ``level`` unit under ``unit`` (default: its children): the grievances the user may see,
    received between ``start`` and ``end`` (the county workbook groups a whole county by village).

    Returns a core.reports.Report: one row per child unit (zero rows included), a row
    "未编入邻/非本村户籍" for grievances without a 邻 when grouping below the village, and the total.
    Two queries whatever the data: the grouped aggregate and the child units (three above the
    village level: the villages' paths).
    """
    today = today or timezone.localdate()
    level = level or child_level(unit) or unit.level
    # At village level and above grouped by the village's id, the villages made paths after
    # (``keys_to_paths``): no join to every grievance's unit, integer groups (a county's year 78 → 66 ms).
    below = is_below_village(level)
    lookup = anchor_lookup(level, village="village__path", below="household__neighborhood__path")
    # Rated at all, and latest revisit 满意/基本满意: the grievance's kept latest answer
    # (``Grievance.satisfaction``), not its revisits sorted again (a county's year 66 → 35 ms).
    rated = ~Q(satisfaction="")
    satisfied = Q(satisfaction__in=[SAT.SATISFIED, SAT.BASIC])
    days = ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=DurationField())
    grouped = (
        Grievance.objects.restrict(user, within=unit)
        .filter(received_on__gte=start, received_on__lte=end)
        .annotate(key=Substr(lookup, 1, path_prefix_length(level)) if below else F("village_id"))
        .values("key")
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
            extended=Count("pk", filter=Q(extension_count__gt=0)),
            extended_when_overdue=Count("pk", filter=Q(extended_when_overdue=True)),
            revisited=Count("pk", filter=Q(status__in=PAST_REVISIT)),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            rated=Count("pk", filter=rated),
            satisfied=Count("pk", filter=satisfied),
            avg_duration=Avg(days, filter=Q(status__in=PAST_RESOLUTION, resolved_on__isnull=False)),
        )
        .order_by("key")
    )
    children = report_units(user, unit, level)
    groups = [{**row, "days_total": _days(row["avg_duration"]) * row["resolved_dated"]} for row in grouped]
    report = build_report(
        STAT_COLUMNS,
        title=STATS_TITLE,
        unit=unit,
        children=children,
        groups=keys_to_paths([groups], unit=unit, level=level, children=children),
        start=start,
        end=end,
        unplaced="未编入邻/非本村户籍",  # non-resident reporters, households not yet in a 邻
    )
    report.note = STATS_NOTE
    return report


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
