"""民意 (opinions) and the 议事事项 (a matter) with its six-step timeline (MatterEvent).

An opinion hangs on its village and, below it, on the 邻 of the household it came from (like a
grievance), so the 邻长 who recorded it sees it. A matter concerns the whole village and hangs on
the village. Status changes of a matter happen only in deliberation/services through the workflow kit.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from core.scoping import ScopedManager, ScopedModel, unit_q
from core.submission import submission_token_field
from core.workflow.models import WorkflowEvent
from governance.models.units import anchor_lookup


def opinion_scope_q(unit, prefix=""):
    return unit_q(anchor_lookup(unit.level, village=f"{prefix}village", below=f"{prefix}household__neighborhood"), unit)


class Status(models.TextChoices):
    PROPOSED = "proposed", "已提事"
    CONSULTING = "consulting", "谋事中（征求意见）"
    NOTICE = "notice", "公示中"
    DECIDED = "decided", "表决通过"
    VOTED_DOWN = "voted_down", "表决未通过"
    SUPERVISING = "supervising", "实施中（监督审事）"
    EVALUATING = "evaluating", "回访评事中"
    CLOSED = "closed", "已办结"
    REJECTED = "rejected", "不予立项"


class Category(models.TextChoices):
    ROAD = "road", "道路交通"
    WATER = "water", "水利饮水"
    FUNDS = "funds", "集体资金资产使用"
    RULES = "rules", "村规民约"
    ENVIRONMENT = "environment", "人居环境"
    WELFARE = "welfare", "民生服务"
    OTHER = "other", "其他"


class Opinion(ScopedModel):
    """民意调查提事: one opinion heard from a household (a visit, a meeting, 说事日, a WeChat group…)."""

    class Channel(models.TextChoices):
        VISIT = "visit", "入户走访"
        PHONE_PAGE = "phone_page", "邻长手机录入"
        TALK_DAY = "talk_day", "支部说事日"
        MEETING = "meeting", "恳谈会/会议"
        WECHAT = "wechat", "微信群"
        SURVEY = "survey", "问卷调查"
        OTHER = "other", "其他"

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="opinions", verbose_name="村/社区"
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name="反映户",
    )
    topic = models.CharField("议题", max_length=64)
    text = models.TextField("意见内容")
    channel = models.CharField("收集渠道", max_length=16, choices=Channel.choices, default=Channel.VISIT)
    collected_by = models.ForeignKey(
        "governance.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions_collected",
        verbose_name="收集人",
    )
    collected_on = models.DateField("收集日期", default=timezone.localdate)
    matter = models.ForeignKey(
        "deliberation.Matter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name="归入议事事项",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    submission_token = submission_token_field()
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "民意"
        verbose_name_plural = "民意（收集的群众意见）"
        ordering = ["-collected_on", "-id"]
        indexes = [models.Index(fields=["village", "collected_on"], name="opinion_village_date_idx")]

    def __str__(self):
        return f"{self.topic}：{Truncator(self.text or '').chars(20)}"

    @classmethod
    def scope_q(cls, unit):
        return opinion_scope_q(unit)

    def clean(self):
        super().clean()
        if self.household_id and self.village_id and self.household.village_id != self.village_id:
            raise ValidationError({"household": "反映户须是该村/社区的农户。"})


class Matter(ScopedModel):
    """议事事项: a matter of the whole village taken through the six steps."""

    Status = Status
    Category = Category
    # Still open to 谋事/亮事/定事: a rejection may end it here.
    BEFORE_VOTE = [Status.PROPOSED, Status.CONSULTING, Status.NOTICE]

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="matters", verbose_name="村/社区"
    )
    title = models.CharField("事项名称", max_length=64)
    category = models.CharField("事项类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    description = models.TextField("事项说明")
    proposer = models.CharField("提议人", max_length=64)
    estimated_cost = models.DecimalField("预计费用（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    proposed_on = models.DateField("提事日期", default=timezone.localdate)
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    decided_on = models.DateField("表决通过日期", null=True, blank=True)
    completed_on = models.DateField("完工日期", null=True, blank=True)
    total_spent = models.DecimalField("累计支出（元）", max_digits=12, decimal_places=2, default=0, editable=False)
    outcome = models.TextField("办理结果", blank=True, default="")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    rejection_reason = models.TextField("不予立项理由", blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope_path = "village"

    class Meta:
        verbose_name = "议事事项"
        verbose_name_plural = "议事事项（六事）"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="matter_cost_not_negative",
                violation_error_message="预计费用不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(total_spent__gte=0),
                name="matter_spent_not_negative",
                violation_error_message="累计支出不能为负数。",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="matter_closed_has_outcome",
                violation_error_message="办结的事项须有办结日期和办理结果。",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="matter_rejected_has_reason",
                violation_error_message="不予立项须写明理由。",
            ),
        ]
        indexes = [models.Index(fields=["village", "proposed_on"], name="matter_village_date_idx")]

    def __str__(self):
        return self.title or Truncator(self.description or "").chars(20)


class MatterEvent(WorkflowEvent):
    class Action(models.TextChoices):
        PROPOSE = "propose", "提事"
        CONSULT = "consult", "谋事（征求意见）"
        PUBLISH = "publish", "亮事（公示）"
        OBJECT = "object", "收到异议"
        VOTE = "vote", "定事（村民表决）"
        VOTE_FAILED = "vote_failed", "表决未通过"
        NO_QUORUM = "no_quorum", "表决无效（到会人数不足）"
        SUPERVISE = "supervise", "审事（监督记录）"
        COMPLETE = "complete", "完工，转入回访"
        SURVEY = "survey", "评事（回访调查）"
        CLOSE = "close", "办结"
        REJECT = "reject", "不予立项"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events", verbose_name="议事事项")
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices)

    objects = ScopedManager()

    class Meta(WorkflowEvent.Meta):
        verbose_name = "议事记录"
        verbose_name_plural = "议事记录"

    @classmethod
    def scope_q(cls, unit):
        return unit_q("matter__village", unit)
