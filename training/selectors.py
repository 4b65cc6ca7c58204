"""Read side of 队伍建设: the training and evaluation statistics per child unit and period.

Follows the report kit (core/reports.py): one grouped query per source keyed by the child unit's
path prefix, then ``build_report`` makes a row per child unit, the rows of records in no child and
the total. Seven queries whatever the data.

Where each source hangs: a session on its organiser; an attendance, an award on the person's
village (below village level: the 片/组/邻 of the person's current posting there); the leaders, an
evaluation, an adjustment on the posting's unit.
"""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from core.reports import build_report, count, rate
from core.scoping import unit_q
from governance.models import Posting, Unit
from governance.models.units import Level, child_level, is_below_village, path_prefix_length
from training.models import Adjustment, Attendance, Award, Evaluation, TrainingSession
from training.models.evaluations import Grade, RoundKind

BELOW_VILLAGE = [Level.AREA, Level.VILLAGER_GROUP, Level.NEIGHBORHOOD]
GRADE_COLUMNS = [count(f"grade_{value}", label) for value, label in Grade.choices]
ADJUSTMENT_COLUMNS = [count(f"adjust_{value}", label) for value, label in Adjustment.Kind.choices]

STAT_COLUMNS = [
    count("sessions", "组织培训(场次)"),
    count("session_hours", "培训学时", places=1),
    count("attendance", "参训人次"),
    count("attendance_hours", "参训学时(人·学时)", places=1),
    count("leaders", "在任人员"),
    count("trained", "期间参训人员"),
    count("untrained", "未参训人员"),
    rate("trained_rate", "参训率(%)", "trained", "leaders"),
    count("evaluated", "年终总评人数"),
    *GRADE_COLUMNS,
    count("awards", "最美三长"),
    *ADJUSTMENT_COLUMNS,
    count("adjustments", "调整合计"),
]
STATS_TITLE = "队伍建设情况统计"
STATS_NOTE = (
    "培训按培训日期、参训按所参加培训的日期统计在期间内的；培训场次按组织单位计入；"
    "在任人员 = 期末在任的三长及村(居)民代表等（按任职单元，一人多职按人计）；未参训人员 = 其中期间内未参加任何培训的；"
    "年终总评和最美三长（乡镇批准）按期间所涉年度统计；动态调整按办结日期统计已办结的。"
)


def person_key(person_lookup, level, size):
    """The child's path prefix for a row hanging on a person: their village, or below village
    level the 片/组/邻 of their current posting there (None when they hold none: a cadre)."""
    if not is_below_village(level):
        return Substr(f"{person_lookup}__village__path", 1, size)
    postings = Posting.objects.filter(
        person=OuterRef(person_lookup), end_date__isnull=True, unit__level__in=BELOW_VILLAGE
    ).order_by("unit__path", "pk")
    return Substr(Subquery(postings.values("unit__path")[:1]), 1, size)


def person_in(unit, person_lookup):
    """Rows of people in ``unit``: of its villages, or below village level posted under it now."""
    if not is_below_village(unit.level):
        return unit_q(f"{person_lookup}__village", unit)
    postings = Posting.objects.filter(person=OuterRef(person_lookup), end_date__isnull=True)
    return Exists(postings.filter(unit__path__startswith=unit.path))


def years_of(start, end):
    return list(range(start.year, end.year + 1))


def training_stats(user, *, unit, start, end, today=None):
    """Per child unit of ``unit``: sessions, 人次, hours, untrained leaders, grades, awards, adjustments."""
    level = child_level(unit) or unit.level
    size = path_prefix_length(level)
    sessions = (
        TrainingSession.objects.restrict(user)
        .filter(TrainingSession.scope_q(unit), held_on__gte=start, held_on__lte=end)
        .annotate(key=Substr("organiser__path", 1, size))
        .values("key")
        .annotate(sessions=Count("pk"), session_hours=Sum("hours"))
        .order_by("key")
    )
    attendance = (
        Attendance.objects.restrict(user)
        .filter(person_in(unit, "person"), session__held_on__gte=start, session__held_on__lte=end)
        .annotate(key=person_key("person", level, size))
        .values("key")
        .annotate(attendance=Count("pk"), attendance_hours=Sum("session__hours"))
        .order_by("key")
    )
    came = Attendance.objects.filter(person=OuterRef("person"), session__held_on__gte=start, session__held_on__lte=end)
    leaders = (
        Posting.objects.restrict(user)
        .filter(Posting.scope_q(unit), start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
        .annotate(key=Substr("unit__path", 1, size))
        .values("key")
        .annotate(
            leaders=Count("person", distinct=True),
            trained=Count("person", distinct=True, filter=Exists(came)),
        )
        .order_by("key")
    )
    evaluations = (
        Evaluation.objects.restrict(user)
        .filter(unit_q("posting__unit", unit))
        .filter(kind=RoundKind.YEAR, year__in=years_of(start, end))
        .annotate(key=Substr("posting__unit__path", 1, size))
        .values("key")
        .annotate(
            evaluated=Count("pk"),
            **{f"grade_{value}": Count("pk", filter=Q(grade=value)) for value in Grade.values},
        )
        .order_by("key")
    )
    awards = (
        Award.objects.restrict(user)
        .filter(person_in(unit, "person"), status=Award.Status.APPROVED, year__in=years_of(start, end))
        .annotate(key=person_key("person", level, size))
        .values("key")
        .annotate(awards=Count("pk"))
        .order_by("key")
    )
    adjustments = (
        Adjustment.objects.restrict(user)
        .filter(
            Adjustment.scope_q(unit),
            status=Adjustment.Status.CARRIED_OUT,
            carried_out_on__gte=start,
            carried_out_on__lte=end,
        )
        .annotate(key=Substr("posting__unit__path", 1, size))
        .values("key")
        .annotate(
            adjustments=Count("pk"),
            **{f"adjust_{value}": Count("pk", filter=Q(kind=value)) for value in Adjustment.Kind.values},
        )
        .order_by("key")
    )
    with_untrained = ({**row, "untrained": row["leaders"] - row["trained"]} for row in leaders)
    if level == unit.level:
        children = [unit]
    else:
        children = Unit.objects.restrict(user).filter(parent=unit).order_by("path").only("id", "name", "path", "level")
    report = build_report(
        STAT_COLUMNS,
        title=STATS_TITLE,
        unit=unit,
        children=children,
        groups=[sessions, attendance, with_untrained, evaluations, awards, adjustments],
        start=start,
        end=end,
        unplaced="未在片/组/邻任职的人员",
        other=f"{unit.name}本级",
    )
    report.note = STATS_NOTE
    return report
