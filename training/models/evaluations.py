"""考核: per-county weights and grade thresholds, rounds (半年小评/年终总评) and one evaluation per person.

The measured components are computed by ``training.measures`` and stored on the evaluation with
their values and weights, so each evaluation shows how its score was made.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from core.scoping import ScopedModel

SCORE_MAX = MaxValueValidator(100)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class RoundKind(models.TextChoices):
    HALF = "half", "半年小评"
    YEAR = "year", "年终总评"


def weight_field(label, default):
    return models.PositiveSmallIntegerField(label, default=default, validators=[SCORE_MAX])


class EvaluationPolicy(ScopedModel):
    """A county's weights (relative, renormalised over the components present) and thresholds."""

    county = models.OneToOneField(
        "governance.Unit", on_delete=models.PROTECT, related_name="evaluation_policy", verbose_name="县/区"
    )
    weight_rating = weight_field("权重：群众评议", 25)
    weight_compliance = weight_field("权重：联系率", 15)
    weight_visits = weight_field("权重：走访", 10)
    weight_grievances = weight_field("权重：反映问题办结", 10)
    weight_satisfaction = weight_field("权重：回访满意度", 10)
    weight_disputes = weight_field("权重：矛盾纠纷", 10)
    weight_training = weight_field("权重：培训学时", 10)
    weight_assessment = weight_field("权重：考核评分", 20)
    training_hours_half = models.DecimalField("半年应训学时", max_digits=4, decimal_places=1, default=Decimal("8"))
    excellent_from = models.DecimalField("优秀分数线", max_digits=4, decimal_places=1, default=Decimal("90"))
    competent_from = models.DecimalField("称职分数线", max_digits=4, decimal_places=1, default=Decimal("75"))
    basic_from = models.DecimalField("基本称职分数线", max_digits=4, decimal_places=1, default=Decimal("60"))

    scope_path = "county"

    class Meta:
        verbose_name = "考核权重与等次"
        verbose_name_plural = "考核权重与等次"

    def __str__(self):
        return f"{self.county.name if self.county_id else ''}考核权重与等次"

    def clean(self):
        super().clean()
        if self.county_id and self.county.level != "county":
            raise ValidationError({"county": "考核权重按县/区设置。"})
        if not (self.excellent_from > self.competent_from > self.basic_from >= 0) or self.excellent_from > 100:
            raise ValidationError("分数线应满足：100 ≥ 优秀 > 称职 > 基本称职 ≥ 0。")

    def weights(self):
        return {
            f.name.removeprefix("weight_"): getattr(self, f.name)
            for f in self._meta.fields
            if f.name.startswith("weight_")
        }

    def grade_for(self, score):
        if score is None:
            return ""
        if score >= self.excellent_from:
            return Grade.EXCELLENT
        if score >= self.competent_from:
            return Grade.COMPETENT
        if score >= self.basic_from:
            return Grade.BASIC
        return Grade.INCOMPETENT


class EvaluationRound(ScopedModel):
    """A round for a village or township; once the township confirms it, it is locked."""

    class Status(models.TextChoices):
        OPEN = "open", "评定中"
        CONFIRMED = "confirmed", "已确认（锁定）"

    unit = models.ForeignKey(
        "governance.Unit", on_delete=models.PROTECT, related_name="evaluation_rounds", verbose_name="考核单位"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("考核类型", max_length=8, choices=RoundKind.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.OPEN)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="确认人",
        editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    scope_path = "unit"

    class Meta:
        verbose_name = "考核轮次"
        verbose_name_plural = "考核轮次"
        ordering = ["-year", "kind", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"],
                name="evaluation_round_once",
                violation_error_message="该单位本轮考核已创建。",
            )
        ]

    def __str__(self):
        unit = self.unit.name if self.unit_id else ""
        return f"{unit}{self.year}年{self.get_kind_display()}"

    @property
    def start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        return datetime.date(self.year, 6, 30) if self.kind == RoundKind.HALF else datetime.date(self.year, 12, 31)

    @property
    def is_locked(self):
        return self.status == self.Status.CONFIRMED


class Evaluation(ScopedModel):
    """One person's evaluation in one round: measured components, the officer's score, the grade."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="evaluations", verbose_name="考核轮次"
    )
    person = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="evaluations", verbose_name="人员"
    )
    posting = models.ForeignKey(
        "governance.Posting", on_delete=models.PROTECT, related_name="evaluations", verbose_name="考核时任职"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("考核类型", max_length=8, choices=RoundKind.choices)
    # [{"key", "label", "value", "score", "weight"}]: how the score was made.
    components = models.JSONField("考核构成", default=list, blank=True, editable=False)
    assessment_score = models.DecimalField(
        "考核评分", max_digits=4, decimal_places=1, null=True, blank=True, validators=[SCORE_MAX],
        help_text="乡镇/村考核小组评分（0-100）",
    )  # fmt: skip
    remarks = models.TextField("考核意见", blank=True, default="")
    score = models.DecimalField("综合得分", max_digits=4, decimal_places=1, null=True, blank=True, editable=False)
    grade = models.CharField("等次", max_length=16, choices=Grade.choices, blank=True, default="", editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    scope_path = "person__village"

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "三长考核"
        ordering = ["-year", "kind", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "kind"],
                name="evaluation_once_per_round",
                violation_error_message="此人本轮已有考核。",
            ),
            models.CheckConstraint(
                condition=models.Q(assessment_score__isnull=True)
                | models.Q(assessment_score__gte=0, assessment_score__lte=100),
                name="evaluation_assessment_0_100",
                violation_error_message="考核评分应在0到100之间。",
            ),
        ]
        indexes = [models.Index(fields=["round", "grade"], name="evaluation_round_grade_idx")]

    def __str__(self):
        person = self.person.name if self.person_id else "?"
        return f"{person} {self.year}年{self.get_kind_display()}"
