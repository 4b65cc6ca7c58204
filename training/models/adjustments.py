"""动态调整: 劝辞/罢免/联审 cases, proposed by the village, decided by the township, then carried out.

Status changes only through training/services_adjustments.py (the workflow kit); carrying one out
ends the posting with the matching end reason (governance.services.end_posting).
"""

from django.db import models
from django.utils import timezone

from core.scoping import ScopedManager, ScopedModel, unit_q
from core.workflow.models import WorkflowEvent
from governance.models import Posting


class Adjustment(ScopedModel):
    class Kind(models.TextChoices):
        PERSUADE = "persuade", "劝辞"
        DISMISS = "dismiss", "罢免"
        REVIEW = "review", "联审"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "村级提出"
        APPROVED = "approved", "乡镇同意"
        REJECTED = "rejected", "乡镇不同意"
        CARRIED_OUT = "carried_out", "已办结"

    # The posting's end reason when the case is carried out.
    END_REASONS = {
        Kind.PERSUADE: Posting.EndReason.PERSUADED,
        Kind.DISMISS: Posting.EndReason.DISMISSED,
        Kind.REVIEW: Posting.EndReason.FAILED_REVIEW,
    }

    posting = models.ForeignKey(
        "governance.Posting", on_delete=models.PROTECT, related_name="adjustments", verbose_name="任职"
    )
    kind = models.CharField("调整方式", max_length=16, choices=Kind.choices)
    reason = models.TextField("调整理由")
    evaluation = models.ForeignKey(
        "training.Evaluation", on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments",
        verbose_name="依据的考核",
    )  # fmt: skip
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    proposed_on = models.DateField("提出日期", default=timezone.localdate)
    decision = models.TextField("乡镇意见", blank=True, default="")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    carried_out_on = models.DateField("办结日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    scope_path = "posting__unit"

    class Meta:
        verbose_name = "动态调整"
        verbose_name_plural = "动态调整"
        ordering = ["-proposed_on", "-pk"]

    def __str__(self):
        posting = str(self.posting) if self.posting_id else "?"
        kind = self.get_kind_display() if self.kind else ""
        return f"{kind}：{posting}"


class AdjustmentEvent(WorkflowEvent):
    class Action(models.TextChoices):
        PROPOSE = "propose", "提出"
        APPROVE = "approve", "乡镇同意"
        REJECT = "reject", "乡镇不同意"
        CARRY_OUT = "carry_out", "办结（离任）"

    adjustment = models.ForeignKey(Adjustment, on_delete=models.CASCADE, related_name="events", verbose_name="调整")
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Adjustment.Status.choices, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16, choices=Adjustment.Status.choices)

    objects = ScopedManager()

    class Meta(WorkflowEvent.Meta):
        verbose_name = "调整记录"
        verbose_name_plural = "调整记录"

    @classmethod
    def scope_q(cls, unit):
        return unit_q("adjustment__posting__unit", unit)
