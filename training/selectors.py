"""Read side of 队伍建设: the training, rating and evaluation statistics per unit and period.

One definition per figure, read by the 队伍建设统计 page (/reports/training/ and its export) and by
the county workbook's two training sheets: each source below is one grouped query keyed by the
grouping unit's path prefix (the report kit, core/reports.py); a report picks its sources and
columns (``Stats``) and ``build_report`` makes a row per unit at the grouping ``level`` (default:
the unit's children), the rows of records in no such unit and the total.

Where each source hangs: a session on its organiser; an attendance, an award on the person's
village (below village level: the 片/组/邻 of the person's current posting there); the leaders, an
evaluation, an adjustment on the posting's unit; a rating on its meeting's unit. What hangs above
the grouping level (a township's own training, seen per village) goes to the row "<unit>本级".
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Substr

from core.reports import average, build_report, count, rate
from core.scoping import unit_q
from governance.models import Posting
from governance.models.units import Level, child_level, is_below_village, path_prefix_length
from governance.selectors import report_units
from training.models import Adjustment, Attendance, Award, Evaluation, Rating, TrainingSession
from training.models.evaluations import Grade, RoundKind

BELOW_VILLAGE = [Level.AREA, Level.VILLAGER_GROUP, Level.NEIGHBORHOOD]
L = TrainingSession.Level
A = Rating.Answer


def person_key(person_lookup, level, size):
    """The grouping unit's path prefix for a row hanging on a person: their village, or below village
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


# ---------------------------------------------------------------- sources (one grouped query each)


def sessions(user, unit, start, end, level, size):
    """Sessions held in the period, on their organiser: count, 学时, and by level (县/乡/村)."""
    return (
        TrainingSession.objects.restrict(user, within=unit)
        .filter(held_on__gte=start, held_on__lte=end)
        .annotate(key=Substr("organiser__path", 1, size))
        .values("key")
        .annotate(
            sessions=Count("pk"),
            session_hours=Sum("hours"),
            **{f"sessions_{value}": Count("pk", filter=Q(level=value)) for value in L.values},
        )
        .order_by("key")
    )


def attendance(user, unit, start, end, level, size):
    """Attendances at the period's sessions, on the attendee: 人次, people and 人·学时."""
    return (
        Attendance.objects.restrict(user)
        .filter(person_in(unit, "person"), session__held_on__gte=start, session__held_on__lte=end)
        .annotate(key=person_key("person", level, size))
        .values("key")
        .annotate(
            attendance=Count("pk"), trainees=Count("person", distinct=True), attendance_hours=Sum("session__hours")
        )
        .order_by("key")
    )


def leaders(user, unit, start, end, level, size):
    """People in office at the end of the period (by posting unit) and those of them who trained."""
    came = Attendance.objects.filter(person=OuterRef("person"), session__held_on__gte=start, session__held_on__lte=end)
    rows = (
        Posting.objects.restrict(user, within=unit)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
        .annotate(key=Substr("unit__path", 1, size))
        .values("key")
        .annotate(
            leaders=Count("person", distinct=True),
            trained=Count("person", distinct=True, filter=Exists(came)),
        )
        .order_by("key")
    )
    return ({**row, "untrained": row["leaders"] - row["trained"]} for row in rows)


def evaluations(user, unit, start, end, level, size):
    """Year-end evaluations (年终总评) of the period's years by grade, on the posting's unit."""
    return (
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


def awards(user, unit, start, end, level, size):
    """最美三长 approved for the period's years, on the person."""
    return (
        Award.objects.restrict(user)
        .filter(person_in(unit, "person"), status=Award.Status.APPROVED, year__in=years_of(start, end))
        .annotate(key=person_key("person", level, size))
        .values("key")
        .annotate(awards=Count("pk"))
        .order_by("key")
    )


def adjustments(user, unit, start, end, level, size):
    """动态调整 carried out in the period by kind, on the posting's unit."""
    return (
        Adjustment.objects.restrict(user, within=unit)
        .filter(
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


def ratings(user, unit, start, end, level, size):
    """民主评议 ballots at the period's meetings, on the meeting's unit, by answer."""
    return (
        Rating.objects.restrict(user, within=unit)
        .filter(meeting__held_on__gte=start, meeting__held_on__lte=end)
        .annotate(key=Substr("meeting__unit__path", 1, size))
        .values("key")
        .annotate(
            ratings=Count("pk"),
            rated_satisfied=Count("pk", filter=Q(answer=A.SATISFIED)),
            rated_basic=Count("pk", filter=Q(answer=A.BASIC)),
            rated_unsatisfied=Count("pk", filter=Q(answer=A.UNSATISFIED)),
            rated_ok=Count("pk", filter=Q(answer__in=[A.SATISFIED, A.BASIC])),
        )
        .order_by("key")
    )


# ---------------------------------------------------------------- reports


@dataclass(frozen=True)
class Stats:
    """A report: its title, columns (keys named as the sources count them), sources and definitions."""

    title: str
    columns: tuple
    sources: tuple
    note: str
    groups: dict = None  # column key → the merged header above it (the county workbook)


def unit_stats(stats, user, *, unit, start, end, level=None):
    """``stats`` per ``level`` unit under ``unit`` (default: its children): one query per source, and the units."""
    level = level or child_level(unit) or unit.level
    size = path_prefix_length(level)
    report = build_report(
        stats.columns,
        title=stats.title,
        unit=unit,
        children=report_units(user, unit, level),
        groups=[source(user, unit, start, end, level, size) for source in stats.sources],
        start=start,
        end=end,
        unplaced="未在片/组/邻任职的人员",
        other=f"{unit.name}本级",
    )
    report.note = stats.note
    return report


GRADE_COLUMNS = [count(f"grade_{value}", label) for value, label in Grade.choices]
ADJUSTMENT_COLUMNS = [count(f"adjust_{value}", label) for value, label in Adjustment.Kind.choices]
SESSION_LEVEL_COLUMNS = [count(f"sessions_{value}", label[:4]) for value, label in L.choices]
EVALUATION_NOTE = "年终总评和最美三长（乡镇批准）按期间所涉年度统计；动态调整按办结日期统计已办结的。"

# 队伍建设统计 (/reports/training/ and its export).
STATS = Stats(
    title="队伍建设情况统计",
    columns=(
        count("sessions", "组织培训(场次)"),
        count("session_hours", "培训学时", places=1),
        count("attendance", "参训人次"),
        count("trainees", "参训人数"),
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
    ),
    sources=(sessions, attendance, leaders, evaluations, awards, adjustments),
    note=(
        "培训按培训日期、参训按所参加培训的日期统计在期间内的；培训场次按组织单位计入；"
        "在任人员 = 期末在任的三长及村(居)民代表等（按任职单元，一人多职按人计）；"
        "未参训人员 = 其中期间内未参加任何培训的；" + EVALUATION_NOTE
    ),
)

# The county workbook's 队伍培训与民主评议 sheet.
TRAINING = Stats(
    title="队伍培训与民主评议",
    columns=(
        count("sessions", "培训场次"),
        *SESSION_LEVEL_COLUMNS,
        count("attendance", "参训人次"),
        count("trainees", "参训人数"),
        count("attendance_hours", "参训学时", shown=False, places=1),
        average("hours_per_trainee", "人均学时", "attendance_hours", "trainees"),
        count("ratings", "评议票数"),
        count("rated_satisfied", "满意"),
        count("rated_basic", "基本满意"),
        count("rated_unsatisfied", "不满意"),
        count("rated_ok", "满意及基本满意", shown=False),
        rate("rating_rate", "评议满意率(%)", "rated_ok", "ratings"),
    ),
    sources=(sessions, attendance, ratings),
    note=(
        "培训场次按组织单位、培训日期计（上级组织的计入“本级”）；参训人次、人数、学时按参训人员所在村计；"
        "人均学时 = 参训学时 / 参训人数；民主评议按召开会议的单位、会议日期计，"
        "评议满意率 =（满意 + 基本满意）/ 评议票数。"
    ),
    groups={
        **dict.fromkeys(["sessions", *(f"sessions_{v}" for v in L.values)], "组织培训"),
        **dict.fromkeys(["attendance", "trainees", "hours_per_trainee"], "参加培训"),
        **dict.fromkeys(["ratings", "rated_satisfied", "rated_basic", "rated_unsatisfied", "rating_rate"], "民主评议"),
    },
)

# The county workbook's 考核、表彰与动态调整 sheet: the same figures as the 队伍建设统计 page's.
PEOPLE = Stats(
    title="三长考核、表彰与动态调整",
    columns=(
        count("evaluated", "年终总评人数"),
        *GRADE_COLUMNS,
        count("awards", "最美三长"),
        *ADJUSTMENT_COLUMNS,
        count("adjustments", "调整合计"),
    ),
    sources=(evaluations, awards, adjustments),
    note="考核按考核时任职单位、调整按被调整任职的单位计，最美三长按本人所在村计；" + EVALUATION_NOTE,
    groups={
        **dict.fromkeys(["evaluated", *(f"grade_{v}" for v in Grade.values)], "年终总评（按等次）"),
        **dict.fromkeys([*(f"adjust_{v}" for v in Adjustment.Kind.values), "adjustments"], "动态调整（按类型）"),
    },
)


def training_stats(user, *, unit, start, end, today=None, level=None):
    """队伍建设统计: sessions, 人次, hours, untrained leaders, grades, awards, adjustments. Seven queries."""
    return unit_stats(STATS, user, unit=unit, start=start, end=end, level=level)


def training_report(user, *, unit, start, end, today=None, level=None):
    """The county sheet 队伍培训与民主评议: sessions by level, attendance, ratings. Four queries."""
    return unit_stats(TRAINING, user, unit=unit, start=start, end=end, level=level)


def people_report(user, *, unit, start, end, today=None, level=None):
    """The county sheet of evaluations by grade, awards and adjustments by kind. Four queries."""
    return unit_stats(PEOPLE, user, unit=unit, start=start, end=end, level=level)
