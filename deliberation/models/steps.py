"""What each step of a matter leaves behind: 谋事 consultations and suggestions, 亮事 the notice and
objections, 定事 votes (counts, or one ballot per entitled voter), 审事 supervision entries, 评事
survey answers. Every row hangs on its matter's village.

Meetings are the 队伍建设 app's (``training.Meeting``: 恳谈会/说事日/村民代表大会), named by string:
the two lifecycle apps never import each other.
"""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator

from core.scoping import ScopedModel

NOTICE_MIN_DAYS = 5  # 公示 at least five days unless the village rules require more
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png"]
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def validate_photo_size(file):
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError("照片不能超过10MB。")


def photo_field(verbose_name, upload_to):
    return models.FileField(
        verbose_name,
        upload_to=upload_to,
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), validate_photo_size],
        help_text="JPG或PNG照片，不超过10MB",
    )


class MatterPart(ScopedModel):
    """Abstract: a row of one matter, scoped through the matter's village."""

    scope_path = "matter__village"

    class Meta:
        abstract = True


class Consultation(MatterPart):
    """征求意见谋事: one round of consultation (a meeting of the 两委, the representatives, a 恳谈会…)."""

    class Body(models.TextChoices):
        COMMITTEES = "committees", "村“两委”会议"
        PARTY = "party", "党员大会"
        REPRESENTATIVES = "representatives", "村民代表会议"
        TALK = "talk", "恳谈会/说事日"
        DOOR = "door", "入户征求意见"

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="consultations", verbose_name="议事事项"
    )
    held_on = models.DateField("日期")
    body = models.CharField("形式", max_length=16, choices=Body.choices)
    meeting = models.ForeignKey(
        "training.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name="会议记录",
    )
    participants = models.CharField("参加人员", max_length=200)
    options = models.TextField("讨论的方案", blank=True, default="")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "征求意见（谋事）"
        verbose_name_plural = "征求意见（谋事）"
        ordering = ["matter", "held_on", "id"]

    def __str__(self):
        return f"{self.held_on or ''} {self.get_body_display() if self.body else ''}".strip()


class Suggestion(MatterPart):
    """A suggestion received while consulting, who made it, and whether the plan adopted it."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="suggestions", verbose_name="议事事项"
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="suggestions", verbose_name="征求意见"
    )
    made_by = models.CharField("提出人", max_length=32)
    text = models.TextField("建议内容")
    made_on = models.DateField("提出日期")
    adopted = models.BooleanField("是否采纳", default=False)

    class Meta:
        verbose_name = "意见建议"
        verbose_name_plural = "意见建议"
        ordering = ["matter", "made_on", "id"]

    def __str__(self):
        return f"{self.made_by}：{Truncator(self.text or '').chars(20)}"


class Notice(MatterPart):
    """公开透明亮事: the plan posted on the noticeboard for at least ``min_days`` days."""

    matter = models.OneToOneField(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="notice", verbose_name="议事事项"
    )
    text = models.TextField("公示内容")
    posted_at = models.CharField("张贴地点", max_length=100, help_text="如：村务公开栏、各组公示牌、村民微信群")
    start_on = models.DateField("公示开始日期")
    end_on = models.DateField("公示截止日期")
    days = models.PositiveSmallIntegerField("公示天数", editable=False)
    min_days = models.PositiveSmallIntegerField(
        "村规要求的最少公示天数", default=NOTICE_MIN_DAYS, help_text=f"不少于{NOTICE_MIN_DAYS}天"
    )
    photo = photo_field("公示照片", "deliberation/notices/%Y/")
    posted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="公示人"
    )

    class Meta:
        verbose_name = "公示（亮事）"
        verbose_name_plural = "公示（亮事）"
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_days__gte=NOTICE_MIN_DAYS),
                name="notice_min_days_floor",
                violation_error_message=f"最少公示天数不能少于{NOTICE_MIN_DAYS}天。",
            ),
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="notice_ends_after_start",
                violation_error_message="公示截止日期不能早于开始日期。",
            ),
            models.CheckConstraint(
                condition=Q(days__gte=F("min_days")),
                name="notice_long_enough",
                violation_error_message="公示期不足村规要求的天数。",
            ),
        ]

    def __str__(self):
        return f"{self.start_on or ''}至{self.end_on or ''} {self.posted_at}".strip()

    def save(self, *args, **kwargs):
        if self.start_on and self.end_on:
            self.days = (self.end_on - self.start_on).days + 1
        super().save(*args, **kwargs)


class Objection(MatterPart):
    """An objection received during the notice period, and the answer given."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="objections", verbose_name="议事事项"
    )
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("提出人", max_length=32)
    text = models.TextField("异议内容")
    response = models.TextField("答复情况", blank=True, default="")

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["matter", "received_on", "id"]

    def __str__(self):
        return f"{self.raised_by}：{Truncator(self.text or '').chars(20)}"


class Rule(models.TextChoices):
    HALF = "half", "过半数"
    TWO_THIRDS = "two_thirds", "三分之二以上"


def meets(rule, part, whole):
    """过半数: more than half; 三分之二以上: two thirds or more (integers, no rounding)."""
    return part * 3 >= whole * 2 if rule == Rule.TWO_THIRDS else part * 2 > whole


class Vote(MatterPart):
    """村民表决定事: one sitting of the 村民会议 or 村民代表会议 and its result.

    Paper ballots are entered as counts, or one ballot per entitled voter (``Ballot``). The result
    is computed: 无效 when fewer than the quorum are present, else 通过 or 未通过 by the majority rule.
    """

    class Body(models.TextChoices):
        ASSEMBLY = "assembly", "村民会议"
        REPRESENTATIVES = "representatives", "村民代表会议"

    class Method(models.TextChoices):
        COUNTS = "counts", "按票数录入"
        BALLOTS = "ballots", "逐人录入"

    class Result(models.TextChoices):
        PASSED = "passed", "通过"
        FAILED = "failed", "未通过"
        NO_QUORUM = "no_quorum", "无效（到会人数不足）"

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="votes", verbose_name="议事事项"
    )
    body = models.CharField("表决机构", max_length=16, choices=Body.choices)
    held_on = models.DateField("表决日期")
    meeting = models.ForeignKey(
        "training.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name="会议记录",
    )
    method = models.CharField("录入方式", max_length=16, choices=Method.choices, default=Method.COUNTS)
    entitled = models.PositiveIntegerField("应到人数（户）")
    present = models.PositiveIntegerField("实到人数（户）")
    votes_for = models.PositiveIntegerField("同意")
    votes_against = models.PositiveIntegerField("反对")
    abstentions = models.PositiveIntegerField("弃权")
    quorum_rule = models.CharField("到会要求", max_length=16, choices=Rule.choices, default=Rule.HALF)
    majority_rule = models.CharField("通过要求", max_length=16, choices=Rule.choices, default=Rule.HALF)
    result = models.CharField("表决结果", max_length=16, choices=Result.choices)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )

    class Meta:
        verbose_name = "村民表决（定事）"
        verbose_name_plural = "村民表决（定事）"
        ordering = ["matter", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entitled__gte=1),
                name="vote_someone_entitled",
                violation_error_message="应到人数至少为1。",
            ),
            models.CheckConstraint(
                condition=Q(present__lte=F("entitled")),
                name="vote_present_within_entitled",
                violation_error_message="实到人数不能多于应到人数。",
            ),
            models.CheckConstraint(
                condition=Q(present__gte=F("votes_for") + F("votes_against") + F("abstentions")),
                name="vote_ballots_within_present",
                violation_error_message="同意、反对、弃权票数之和不能多于实到人数。",
            ),
            # The stored result agrees with the counts under the default rules (过半数).
            models.CheckConstraint(
                condition=~Q(quorum_rule=Rule.HALF) | Q(result="no_quorum") | Q(entitled__lt=F("present") * 2),
                name="vote_half_quorum_met",
                violation_error_message="到会人数未过半数，表决无效。",
            ),
            models.CheckConstraint(
                condition=~Q(quorum_rule=Rule.HALF, result="no_quorum") | Q(entitled__gte=F("present") * 2),
                name="vote_half_no_quorum_is_true",
                violation_error_message="到会人数已过半数，表决不应为无效。",
            ),
            models.CheckConstraint(
                condition=~Q(majority_rule=Rule.HALF, result="passed") | Q(present__lt=F("votes_for") * 2),
                name="vote_half_majority_passed",
                violation_error_message="同意票未过到会人数的半数，不能为通过。",
            ),
        ]

    def __str__(self):
        return (
            f"{self.held_on or ''} {self.get_body_display() if self.body else ''} {self.get_result_display()}".strip()
        )

    def compute_result(self):
        if not meets(self.quorum_rule, self.present, self.entitled):
            return self.Result.NO_QUORUM
        return self.Result.PASSED if meets(self.majority_rule, self.votes_for, self.present) else self.Result.FAILED

    @property
    def turnout(self):
        return round(100 * self.present / self.entitled, 1) if self.entitled else None


class Ballot(ScopedModel):
    """One entitled voter's ballot (逐人录入): each voter once per vote."""

    class Choice(models.TextChoices):
        FOR = "for", "同意"
        AGAINST = "against", "反对"
        ABSTAIN = "abstain", "弃权"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots", verbose_name="表决")
    voter = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="deliberation_ballots", verbose_name="表决人"
    )
    choice = models.CharField("意见", max_length=16, choices=Choice.choices)

    scope_path = "vote__matter__village"

    class Meta:
        verbose_name = "表决票"
        verbose_name_plural = "表决票"
        ordering = ["vote", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "voter"], name="ballot_once_per_voter", violation_error_message="每位表决人只能投一票。"
            )
        ]

    def __str__(self):
        return f"{self.voter_id} {self.get_choice_display()}"


class SupervisionEntry(MatterPart):
    """全程监督审事: the 村务监督委员会's record of progress and spending, with a photo."""

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="supervision", verbose_name="议事事项"
    )
    entry_on = models.DateField("日期")
    supervisor = models.CharField("监督人", max_length=32, help_text="村务监督委员会成员")
    progress = models.TextField("实施进度")
    spending = models.DecimalField("本次支出（元）", max_digits=12, decimal_places=2, default=0)
    photo = photo_field("现场照片", "deliberation/supervision/%Y/")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )

    class Meta:
        verbose_name = "监督记录（审事）"
        verbose_name_plural = "监督记录（审事）"
        ordering = ["matter", "entry_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spending__gte=0), name="supervision_spending_not_negative",
                violation_error_message="支出金额不能为负数。",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.entry_on or ''} {Truncator(self.progress or '').chars(20)}".strip()


class SurveyAnswer(MatterPart):
    """回访调查评事: one household's answer (each household once per matter)."""

    class Answer(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    matter = models.ForeignKey(
        "deliberation.Matter", on_delete=models.CASCADE, related_name="survey_answers", verbose_name="议事事项"
    )
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="deliberation_answers", verbose_name="回访户"
    )
    answer = models.CharField("满意度", max_length=16, choices=Answer.choices)
    comment = models.CharField("意见", max_length=200, blank=True, default="")
    surveyed_on = models.DateField("回访日期", default=timezone.localdate)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )

    class Meta:
        verbose_name = "回访评议（评事）"
        verbose_name_plural = "回访评议（评事）"
        ordering = ["matter", "surveyed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "household"], name="survey_once_per_household",
                violation_error_message="该户已就此事项回访评议过。",
            )
        ]  # fmt: skip

    def __str__(self):
        return f"{self.household_id} {self.get_answer_display()}"
