"""Read side of training for the county workbook (队伍建设): sessions organised, person-times and
hours attended, and the villagers' ratings (民主评议), per unit and period.

Follows the report kit: one grouped query per source keyed by the grouping unit's path prefix,
then ``core.reports.build_report``. Sessions hang on their organiser and ratings on their
meeting's unit; attendance on the attendee's village. What is organised above the grouping level
(a township's own training, seen per village) goes to the row "<unit>本级".
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from core.reports import average, build_report, count, rate
from governance.models import Unit
from governance.models.units import child_level, path_prefix_length
from training.models import Attendance, Rating, TrainingSession

L = TrainingSession.Level
A = Rating.Answer
TRAINING_TITLE = "队伍培训与民主评议"
TRAINING_COLUMNS = [
    count("sessions", "培训场次"),
    *(count(f"sessions_{value}", label[:4]) for value, label in L.choices),
    count("attendances", "参训人次"),
    count("trainees", "参训人数"),
    count("hours", "参训学时", shown=False),
    average("hours_per_trainee", "人均学时", "hours", "trainees"),
    count("ratings", "评议票数"),
    count("rated_satisfied", "满意"),
    count("rated_basic", "基本满意"),
    count("rated_unsatisfied", "不满意"),
    count("rated_ok", "满意及基本满意", shown=False),
    rate("rating_rate", "评议满意率(%)", "rated_ok", "ratings"),
]
TRAINING_GROUPS = {
    **dict.fromkeys(["sessions", *(f"sessions_{v}" for v in L.values)], "组织培训"),
    **dict.fromkeys(["attendances", "trainees", "hours_per_trainee"], "参加培训"),
    **dict.fromkeys(["ratings", "rated_satisfied", "rated_basic", "rated_unsatisfied", "rating_rate"], "民主评议"),
}
TRAINING_NOTE = (
    "培训场次按组织单位、培训日期计（上级组织的计入“本级”）；参训人次、人数、学时按参训人员所在村计；"
    "人均学时 = 参训学时 / 参训人数；民主评议按召开会议的单位、会议日期计，"
    "评议满意率 =（满意 + 基本满意）/ 评议票数。"
)


def training_report(user, *, unit, start, end, today=None, level=None):
    """Per ``level`` unit under ``unit`` (default: its children). Three queries whatever the data."""
    level = level or child_level(unit) or unit.level
    size = path_prefix_length(level)
    sessions = (
        TrainingSession.objects.restrict(user)
        .filter(TrainingSession.scope_q(unit), held_on__gte=start, held_on__lte=end)
        .annotate(key=Substr("organiser__path", 1, size))
        .values("key")
        .annotate(
            sessions=Count("pk"),
            **{f"sessions_{value}": Count("pk", filter=Q(level=value)) for value in L.values},
        )
        .order_by("key")
    )
    attendances = (
        Attendance.objects.restrict(user)
        .filter(Attendance.scope_q(unit), session__held_on__gte=start, session__held_on__lte=end)
        .annotate(key=Substr("person__village__path", 1, size))
        .values("key")
        .annotate(attendances=Count("pk"), trainees=Count("person", distinct=True), hours=Sum("session__hours"))
        .order_by("key")
    )
    ratings = (
        Rating.objects.restrict(user)
        .filter(Rating.scope_q(unit), meeting__held_on__gte=start, meeting__held_on__lte=end)
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
    if level == unit.level:
        children = [unit]
    else:
        children = (
            Unit.objects.restrict(user)
            .under(unit)
            .filter(level=level)
            .order_by("path")
            .only("id", "name", "path", "level")
        )
    report = build_report(
        TRAINING_COLUMNS,
        title=TRAINING_TITLE,
        unit=unit,
        children=children,
        groups=[sessions, attendances, ratings],
        start=start,
        end=end,
        unplaced=f"{unit.name}本级",
        other=f"{unit.name}本级",
    )
    report.note = TRAINING_NOTE
    return report
