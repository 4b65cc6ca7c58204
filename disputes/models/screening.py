"""排查: screening rounds, the risk register (矛盾纠纷排查登记簿) and 零报告.

A risk report hangs on its village and, below it, on the 组/邻 where it was found, so a 邻长 sees
the reports of their own 邻. A round groups one village's reports of a period; a 组/邻 that found
nothing files a 零报告 in the round (one per unit and round).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from core.scoping import ScopedManager, ScopedModel, unit_q
from disputes.models.disputes import DisputeType
from governance.models.units import anchor_lookup


def risk_scope_q(unit, prefix=""):
    """Village and above: the report's village; 片/组/邻 users: reports found in their units."""
    return unit_q(anchor_lookup(unit.level, village=f"{prefix}village", below=f"{prefix}unit"), unit)


class ScreeningRound(ScopedModel):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", "月排查"
        HOLIDAY = "holiday", "节前排查"
        SENSITIVE = "sensitive", "敏感期排查"
        SPECIAL = "special", "专项排查"

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="screening_rounds", verbose_name="村/社区"
    )
    kind = models.CharField("排查类型", max_length=16, choices=Kind.choices, default=Kind.MONTHLY)
    title = models.CharField("名称", max_length=64, help_text="如：2026年3月矛盾纠纷排查")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    scope_path = "village"

    class Meta:
        verbose_name = "排查轮次"
        verbose_name_plural = "排查轮次"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="screening_round_dates",
                violation_error_message="结束日期不能早于开始日期。",
            )
        ]

    def __str__(self):
        return self.title or self.get_kind_display()


class RiskReport(ScopedModel):
    """One entry of the screening register, followed until 已化解, 持续关注 or 转为纠纷."""

    class Level(models.TextChoices):
        ORDINARY = "ordinary", "一般"
        MAJOR = "major", "较大"
        SERIOUS = "serious", "重大"

    class Status(models.TextChoices):
        OPEN = "open", "跟进中"
        RESOLVED = "resolved", "已化解"
        WATCHING = "watching", "持续关注"
        CONVERTED = "converted", "转为纠纷"

    OPEN_STATUSES = [Status.OPEN, Status.WATCHING]

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="risk_reports", verbose_name="村/社区"
    )
    unit = models.ForeignKey(
        "governance.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在组/邻",
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_reports",
        verbose_name="涉及农户",
    )
    screening_round = models.ForeignKey(
        ScreeningRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_reports",
        verbose_name="排查轮次",
    )
    found_by = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="排查人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    found_on = models.DateField("发现日期")
    dispute_type = models.CharField("类型", max_length=16, choices=DisputeType.choices, default=DisputeType.NEIGHBOUR)
    parties = models.CharField("涉及当事人", max_length=128, blank=True, default="")
    level = models.CharField("风险等级", max_length=16, choices=Level.choices, default=Level.ORDINARY)
    description = models.TextField("隐患情况")
    measure = models.TextField("采取措施", blank=True, default="")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_on = models.DateField("化解日期", null=True, blank=True)
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "矛盾纠纷隐患"
        verbose_name_plural = "矛盾纠纷排查登记簿"
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["village", "found_on"], name="risk_village_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("found_on")),
                name="risk_resolved_after_found",
                violation_error_message="化解日期不能早于发现日期。",
            )
        ]

    def __str__(self):
        return f"{self.found_on or ''} {Truncator(self.description or '').chars(20)}".strip()

    @classmethod
    def scope_q(cls, unit):
        return risk_scope_q(unit)


class ZeroReport(ScopedModel):
    """零报告: a 组/邻 leader states that the round found no risk in their unit."""

    screening_round = models.ForeignKey(
        ScreeningRound, on_delete=models.CASCADE, related_name="zero_reports", verbose_name="排查轮次"
    )
    unit = models.ForeignKey("governance.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="组/邻")
    reported_on = models.DateField("报告日期", default=timezone.localdate)
    reporter = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="报告人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    note = models.CharField("说明", max_length=128, blank=True, default="")

    objects = ScopedManager()

    class Meta:
        verbose_name = "零报告"
        verbose_name_plural = "零报告"
        ordering = ["screening_round", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening_round", "unit"],
                name="zero_report_once",
                violation_error_message="该组/邻本轮已报告过。",
            )
        ]

    def __str__(self):
        return f"零报告 {self.reported_on or ''}"

    @classmethod
    def scope_q(cls, unit):
        return unit_q(anchor_lookup(unit.level, village="screening_round__village", below="unit"), unit)
