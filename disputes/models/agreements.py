"""调解协议书 (written, numbered per committee and year; or an oral agreement recorded in the
register) with its 司法确认, and the fulfilment revisits (履行回访) that follow it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.scoping import ScopedManager, ScopedModel
from disputes.models.disputes import dispute_scope_q


class Agreement(ScopedModel):
    class Kind(models.TextChoices):
        WRITTEN = "written", "书面协议"
        ORAL = "oral", "口头协议"

    class Confirmation(models.TextChoices):
        NONE = "", "未申请"
        REQUESTED = "requested", "已申请，待法院答复"
        CONFIRMED = "confirmed", "法院裁定确认有效"
        REFUSED = "refused", "法院驳回申请"

    dispute = models.OneToOneField(
        "disputes.Dispute", on_delete=models.PROTECT, related_name="agreement", verbose_name="纠纷"
    )
    committee = models.ForeignKey(
        "disputes.MediationCommittee", on_delete=models.PROTECT, related_name="agreements", verbose_name="调委会"
    )
    kind = models.CharField("协议形式", max_length=16, choices=Kind.choices, default=Kind.WRITTEN)
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号", null=True, blank=True, help_text="书面协议按调委会、年度顺序编号")
    disputed_points = models.TextField("争议事项", blank=True, default="")
    responsibilities = models.TextField("各方责任", blank=True, default="")
    terms = models.TextField("协议内容")
    fulfil_method = models.CharField("履行方式", max_length=128, blank=True, default="")
    fulfil_place = models.CharField("履行地点", max_length=64, blank=True, default="")
    fulfil_by = models.DateField("履行期限", null=True, blank=True)
    signed_on = models.DateField("签订日期")
    copies = models.PositiveSmallIntegerField("份数", default=3, help_text="当事人各执一份，调委会留存一份")
    confirmation = models.CharField(
        "司法确认", max_length=16, choices=Confirmation.choices, blank=True, default=Confirmation.NONE
    )
    confirmation_requested_on = models.DateField("申请司法确认日期", null=True, blank=True)
    court = models.CharField("受理法院", max_length=64, blank=True, default="")
    confirmation_decided_on = models.DateField("法院答复日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "调解协议"
        verbose_name_plural = "调解协议"
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"],
                name="agreement_number_unique",
                violation_error_message="该调委会本年度已有此编号的协议书。",
            ),
            models.CheckConstraint(
                condition=Q(kind="oral", number__isnull=True) | Q(kind="written", number__isnull=False),
                name="agreement_written_numbered",
                violation_error_message="书面协议须有编号，口头协议不编号。",
            ),
        ]

    def __str__(self):
        return self.document_number or f"口头协议（{self.signed_on or ''}）"

    @property
    def document_number(self):
        """(2026)岭头人调字第7号 for a written agreement; '' for an oral one."""
        if self.number is None:
            return ""
        return f"（{self.year}）{self.committee.short_name}人调字第{self.number}号"

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit, prefix="dispute__")


class FulfilmentRevisit(ScopedModel):
    """履行回访: is the agreement kept, are the parties satisfied, did the dispute flare up again."""

    class Fulfilment(models.TextChoices):
        FULFILLED = "fulfilled", "已履行"
        PARTIAL = "partial", "部分履行"
        UNFULFILLED = "unfulfilled", "未履行"

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    class FollowUp(models.TextChoices):
        NONE = "none", "无需跟进"
        URGE = "urge", "督促履行"
        LAWSUIT = "lawsuit", "告知起诉"
        REMEDIATE = "remediate", "重新调解"

    dispute = models.ForeignKey(
        "disputes.Dispute", on_delete=models.PROTECT, related_name="revisits", verbose_name="纠纷"
    )
    revisited_on = models.DateField("回访日期")
    revisitor = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="回访人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    fulfilment = models.CharField("履行情况", max_length=16, choices=Fulfilment.choices)
    satisfaction = models.CharField("当事人满意度", max_length=16, choices=Satisfaction.choices)
    rebounded = models.BooleanField("纠纷反弹", default=False)
    follow_up = models.CharField("后续措施", max_length=16, choices=FollowUp.choices, default=FollowUp.NONE)
    note = models.TextField("回访情况", blank=True, default="")
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "履行回访"
        verbose_name_plural = "履行回访记录"
        ordering = ["-revisited_on", "-id"]

    def __str__(self):
        return f"{self.revisited_on or ''} {self.get_fulfilment_display()}".strip()

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit, prefix="dispute__")
