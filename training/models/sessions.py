"""培训: sessions at three levels, their attendance (grid or QR check-in) and 传帮带 pairs."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone

from core.scoping import ScopedModel
from governance.models import Posting

MATERIAL_EXTENSIONS = ["pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "jpg", "jpeg", "png"]
MATERIAL_MAX_BYTES = 20 * 1024 * 1024
CHECK_IN_MARGIN = datetime.timedelta(minutes=30)  # QR check-in opens before the start, closes after the end


def validate_material_size(file):
    if file.size > MATERIAL_MAX_BYTES:
        raise ValidationError("培训材料不能超过20MB。")


def new_token():
    return secrets.token_urlsafe(16)


class TrainingSession(ScopedModel):
    """One training: who organised it, when, for whom (roles under units)."""

    class Level(models.TextChoices):
        COUNTY = "county", "县级示范培训"
        TOWNSHIP = "township", "乡镇普遍培训"
        VILLAGE = "village", "村级兜底培训"

    class Topic(models.TextChoices):
        POLICY = "policy", "政策理论"
        EXPERIENCE = "experience", "经验做法"
        EMERGENCY = "emergency", "应急处突"
        LAW = "law", "法律法规"
        SKILLS = "skills", "实用技术"
        OTHER = "other", "其他"

    organiser = models.ForeignKey(
        "governance.Unit", on_delete=models.PROTECT, related_name="training_sessions", verbose_name="组织单位"
    )
    level = models.CharField("培训层级", max_length=16, choices=Level.choices)
    topic = models.CharField("培训类别", max_length=16, choices=Topic.choices)
    title = models.CharField("培训主题", max_length=100)
    held_on = models.DateField("培训日期", db_index=True)
    start_time = models.TimeField("开始时间", default=datetime.time(9, 0))
    end_time = models.TimeField("结束时间", default=datetime.time(11, 0))
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1, default=2)
    place = models.CharField("地点", max_length=100, blank=True, default="")
    trainer = models.CharField("授课人", max_length=64, blank=True, default="")
    materials = models.FileField(
        "培训材料",
        upload_to="training/materials/%Y/",
        blank=True,
        validators=[FileExtensionValidator(MATERIAL_EXTENSIONS), validate_material_size],
        help_text="PDF、Word、PPT、Excel或图片，不超过20MB",
    )
    audience_roles = models.JSONField("参训对象（职务）", default=list, blank=True)
    audience_units = models.ManyToManyField(
        "governance.Unit", blank=True, related_name="+", verbose_name="参训范围", help_text="不选则为组织单位全部"
    )
    qr_token = models.CharField("签到码", max_length=32, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)

    scope_path = "organiser"

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = "培训"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on or ''} {self.title or '（未填主题）'}".strip()

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "结束时间应晚于开始时间。"})
        bad = [r for r in self.audience_roles or [] if r not in Posting.Role.values]
        if bad:
            raise ValidationError({"audience_roles": "参训对象的职务不正确。"})

    def audience_role_labels(self):
        return "、".join(Posting.Role(r).label for r in self.audience_roles or []) or "全部职务"

    def check_in_window(self):
        """(opens, closes) as aware datetimes: half an hour either side of the session."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.held_on, self.start_time, tzinfo=tz)
        end = datetime.datetime.combine(self.held_on, self.end_time, tzinfo=tz)
        return start - CHECK_IN_MARGIN, end + CHECK_IN_MARGIN


class Attendance(ScopedModel):
    """One person at one session (参训人次), ticked in the grid or checked in by QR."""

    class Method(models.TextChoices):
        GRID = "grid", "签到表录入"
        QR = "qr", "扫码签到"

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", verbose_name="培训"
    )
    person = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="training_attendances", verbose_name="参训人员"
    )
    method = models.CharField("签到方式", max_length=8, choices=Method.choices, default=Method.GRID)
    checked_in_at = models.DateTimeField("签到时间", default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )

    scope_path = "person__village"

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        ordering = ["session", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="attendance_once_per_session", violation_error_message="已签到。"
            )
        ]

    def __str__(self):
        return f"{self.person.name if self.person_id else '?'} · {self.session if self.session_id else '?'}"


class Mentorship(ScopedModel):
    """传帮带: a cadre paired with a representative or new leader, from a date (until a date)."""

    mentor = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="mentees_as_mentor", verbose_name="带教人"
    )
    mentee = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="mentors_as_mentee", verbose_name="结对对象"
    )
    start_date = models.DateField("结对日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    goals = models.TextField("带教内容", blank=True, default="")

    scope_path = "mentee__village"

    class Meta:
        verbose_name = "传帮带结对"
        verbose_name_plural = "传帮带结对"
        ordering = ["-start_date"]

    def __str__(self):
        mentor = self.mentor.name if self.mentor_id else "?"
        mentee = self.mentee.name if self.mentee_id else "?"
        return f"{mentor} 带 {mentee}"

    def clean(self):
        super().clean()
        if self.mentor_id and self.mentor_id == self.mentee_id:
            raise ValidationError({"mentee": "带教人和结对对象不能是同一人。"})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于结对日期。"})
