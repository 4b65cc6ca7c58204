"""Read side of deliberation: the statistics table and the notices open on a village's noticeboard.

Statistics follow the report kit: one grouped query per source keyed by the child unit's path
prefix (an opinion's village, or its household's 邻 below village level; everything else hangs
on the matter's village), then core.reports builds a row per child unit, the rows of records in
no child and the total. Below village level a matter's figures fall in the row "全村议事事项".
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from core.reports import build_report, count, rate
from deliberation.models import Matter, Opinion, Suggestion, SupervisionEntry, SurveyAnswer, Vote
from governance.models.units import Level, anchor_lookup, child_level, is_below_village, path_prefix_length
from governance.selectors import report_units

S = Matter.Status

STAT_COLUMNS = [
    count("opinions", "收集民意"),
    count("grouped", "民意归入事项"),
    count("suggestions", "征集意见建议"),
    count("adopted", "采纳意见建议"),
    rate("adoption_rate", "采纳率(%)", "adopted", "suggestions"),
    count("proposed", "提事"),
    count("rejected", "不予立项"),
    count("votes", "表决次数"),
    count("no_quorum", "无效表决（到会不足）"),
    count("decided", "表决通过（定事）"),
    count("voted_down", "表决未通过"),
    count("entitled", "应到人数", shown=False),
    count("present", "实到人数", shown=False),
    rate("turnout", "到会率(%)", "present", "entitled"),
    count("supervision", "监督记录"),
    count("completed", "办结事项"),
    count("answers", "回访户次"),
    count("content", "满意及基本满意", shown=False),
    rate("satisfaction", "满意率(%)", "content", "answers"),
]
STATS_TITLE = "群众议事（六事）情况统计"
STATS_NOTE = (
    "民意按收集日期、意见建议按提出日期、提事按提事日期、表决按表决日期、办结和不予立项按办结日期、"
    "回访按回访日期统计在期间内的；到会率 = 实到人数之和 / 应到人数之和；满意率 = （满意 + 基本满意）/ 回访户次。"
    "事项属于全村，按片、组、邻查看时列在“全村议事事项”一行。"
)


def in_period(field, start, end):
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def deliberation_stats(user, *, unit, start, end, today=None, level=None):
    """Per ``level`` unit under ``unit`` (default: its children): the six steps' figures. Seven
    queries whatever the data."""
    level = level or child_level(unit) or unit.level
    size = path_prefix_length(level)
    opinion_key = Substr(anchor_lookup(level, village="village__path", below="household__neighborhood__path"), 1, size)
    opinions = (
        Opinion.objects.restrict(user, within=unit)
        .filter(in_period("collected_on", start, end))
        .annotate(key=opinion_key)
        .values("key")
        .annotate(opinions=Count("pk"), grouped=Count("pk", filter=Q(matter__isnull=False)))
        .order_by("key")
    )

    def of_matters(model, field, prefix="matter__"):
        """A model hanging on a matter's village, in the period, grouped by the unit key."""
        return (
            model.objects.restrict(user, within=unit)
            .filter(in_period(field, start, end))
            .annotate(key=Substr(f"{prefix}village__path", 1, size))
            .values("key")
        )

    suggestions = (
        of_matters(Suggestion, "made_on")
        .annotate(suggestions=Count("pk"), adopted=Count("pk", filter=Q(adopted=True)))
        .order_by("key")
    )
    matters = (
        Matter.objects.restrict(user, within=unit)
        .filter(in_period("proposed_on", start, end) | in_period("closed_on", start, end))
        .annotate(key=Substr("village__path", 1, size))
        .values("key")
        .annotate(
            proposed=Count("pk", filter=in_period("proposed_on", start, end)),
            completed=Count("pk", filter=Q(status=S.CLOSED) & in_period("closed_on", start, end)),
            rejected=Count("pk", filter=Q(status=S.REJECTED) & in_period("closed_on", start, end)),
        )
        .order_by("key")
    )
    votes = (
        of_matters(Vote, "held_on")
        .annotate(
            votes=Count("pk"),
            no_quorum=Count("pk", filter=Q(result=Vote.Result.NO_QUORUM)),
            decided=Count("pk", filter=Q(result=Vote.Result.PASSED)),
            voted_down=Count("pk", filter=Q(result=Vote.Result.FAILED)),
            entitled=Sum("entitled"),
            present=Sum("present"),
        )
        .order_by("key")
    )
    answers = (
        of_matters(SurveyAnswer, "surveyed_on")
        .annotate(
            answers=Count("pk"),
            content=Count("pk", filter=~Q(answer=SurveyAnswer.Answer.UNSATISFIED)),
        )
        .order_by("key")
    )
    supervision = of_matters(SupervisionEntry, "entry_on").annotate(supervision=Count("pk")).order_by("key")
    report = build_report(
        STAT_COLUMNS,
        title=STATS_TITLE,
        unit=unit,
        children=report_units(user, unit, level),
        groups=[opinions, suggestions, matters, votes, answers, supervision],
        start=start,
        end=end,
        unplaced="未关联农户或未编入邻的民意",
        other="全村议事事项",
    )
    report.note = STATS_NOTE
    return report


# ---------------------------------------------------------------- the noticeboard


def open_notices(user, today=None):
    """The matters of the user's village now 公示中, the notice's end first.

    A 公示 is posted for the whole village to read: a 邻长 or 村民代表 (whose unit is a 片/组/邻)
    sees those of their own village, though the matter hangs above their unit; village cadres and
    above see those in their scope. Nothing for a user without a unit.
    """
    unit = getattr(user, "unit", None)
    if not user.is_active or (unit is None and not user.is_superuser):
        return Matter.objects.none()
    if unit is not None and is_below_village(unit.level):
        matters = Matter.objects.filter(village__path=unit.path[: path_prefix_length(Level.VILLAGE)])
    else:
        matters = Matter.objects.restrict(user)
    return (
        matters.filter(status=S.NOTICE, notice__isnull=False)
        .select_related("village", "notice")
        .order_by("notice__end_on", "pk")
    )


def days_left(notice, today=None):
    today = today or timezone.localdate()
    return (notice.end_on - today).days + 1
