"""恳谈会 / 说事日 / 村民代表大会, the matters raised there, and the villagers' ratings (民主评议)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.scoping import ScopedModel


def rating_round(day):
    """The 民主评议 round a meeting day belongs to: its quarter ("2026Q2")."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


class Meeting(ScopedModel):
    class Kind(models.TextChoices):
        TALK = "talk", "恳谈会"
        TALK_DAY = "talk_day", "说事日"
        CONGRESS = "congress", "村民代表大会"

    unit = models.ForeignKey(
        "governance.Unit", on_delete=models.PROTECT, related_name="meetings", verbose_name="召开单位"
    )
    kind = models.CharField("会议类型", max_length=16, choices=Kind.choices)
    held_on = models.DateField("召开日期", db_index=True)
    topic = models.CharField("议题", max_length=100)
    host = models.CharField("主持人", max_length=32, blank=True, default="")
    attendance_count = models.PositiveIntegerField("参会人数", default=0)
    attendees = models.ManyToManyField(
        "governance.Person", blank=True, related_name="meetings_attended", verbose_name="参会的三长及代表"
    )
    minutes = models.TextField("会议记录", blank=True, default="")
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    scope_path = "unit"

    class Meta:
        verbose_name = "群众会议"
        verbose_name_plural = "恳谈会与说事日"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        kind = self.get_kind_display() if self.kind else ""
        return f"{self.held_on or ''} {kind} {self.topic or ''}".strip()

    @property
    def rating_round(self):
        return rating_round(self.held_on)

    def clean(self):
        super().clean()
        if self.unit_id and self.unit.level in ("county", "township"):
            raise ValidationError({"unit": "会议应由村/社区或其下的片、组召开。"})


class MeetingMatter(ScopedModel):
    """A matter raised at a meeting and registered as a grievance (the grievance carries it on)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="matters", verbose_name="会议")
    # Declared by name: training and grievances are siblings and never import each other.
    grievance = models.OneToOneField(
        "grievances.Grievance", on_delete=models.PROTECT, related_name="meeting_matter", verbose_name="登记的诉求"
    )

    scope_path = "meeting__unit"

    class Meta:
        verbose_name = "会上反映的事项"
        verbose_name_plural = "会上反映的事项"
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.meeting_id}·{self.grievance_id}"


class Rating(ScopedModel):
    """One household's answer about one leader in one round (entered from the paper ballot)."""

    class Answer(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings", verbose_name="会议")
    round = models.CharField("评议轮次", max_length=8, db_index=True)
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="ratings", verbose_name="评议户"
    )
    leader = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="ratings_received", verbose_name="被评议人"
    )
    answer = models.CharField("评议结果", max_length=16, choices=Answer.choices)
    comment = models.CharField("意见", max_length=200, blank=True, default="")

    scope_path = "meeting__unit"

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        ordering = ["meeting", "leader", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household", "leader"],
                name="rating_once_per_round",
                violation_error_message="该户本轮已对此人评议过。",
            )
        ]
        indexes = [models.Index(fields=["leader", "round"], name="rating_leader_round_idx")]

    def __str__(self):
        return f"{self.round} {self.get_answer_display()}"
