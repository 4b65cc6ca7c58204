"""三长 and other roster people, and their postings (任职) with history."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.fields import IdNumberField, PhoneField
from core.scoping import ScopedModel
from governance.models.units import Level


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Person(ScopedModel):
    """Someone on a village's roster: a 三长, a representative, a mediator or a reserve."""

    class Education(models.TextChoices):
        PRIMARY = "primary", "小学及以下"
        JUNIOR = "junior", "初中"
        SENIOR = "senior", "高中/中专"
        COLLEGE = "college", "大专"
        BACHELOR = "bachelor", "本科及以上"

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="people", verbose_name="所属村/社区"
    )
    name = models.CharField("姓名", max_length=32)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True, default="")
    phone = PhoneField()
    id_number = IdNumberField()
    is_party_member = models.BooleanField("党员", default=False)
    education = models.CharField("文化程度", max_length=16, choices=Education.choices, blank=True, default="")
    is_reserve = models.BooleanField("后备人选", default=False)
    note = models.TextField("备注", blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope_path = "village"

    class Meta:
        verbose_name = "三长及代表"
        verbose_name_plural = "三长及代表"
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_id_number_unique",
                violation_error_message="该身份证号不能使用，如有疑问请联系乡镇干部核实。",
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                name="person_id_number_format",
                violation_error_message="身份证号应为18位：前17位是数字，最后一位是数字或X。",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self):
        name = self.name or "（未填姓名）"
        # Autocompletes annotate ``village_name``: many people share a name across villages.
        village = self.__dict__.get("village_name")
        return f"{name}（{village}）" if village else name


class Posting(ScopedModel):
    """A person in a role for a unit, from a date until an end date and reason (kept as history)."""

    class Role(models.TextChoices):
        AREA_LEADER = "area_leader", "片长"
        GROUP_LEADER = "group_leader", "组长"
        GRID_WORKER = "grid_worker", "网格员"
        NEIGHBORHOOD_LEADER = "neighborhood_leader", "邻长"
        REPRESENTATIVE = "representative", "村(居)民代表"
        ELDER_MEDIATOR = "elder_mediator", "五老"

    class SelectionMethod(models.TextChoices):
        SELF_NOMINATED = "self_nominated", "个人自荐"
        MASS_RECOMMENDED = "mass_recommended", "群众推荐"
        COMMITTEE_REVIEWED = "committee_reviewed", "村两委审核"
        PARTY_FILED = "party_filed", "乡镇党委备案"
        APPOINTED = "appointed", "一定（现任组长/代表担任）"
        RECOMMENDED = "recommended", "二推（5-15户推荐）"
        REGISTERED = "registered", "三报（本人报名）"
        BY_ELECTION = "by_election", "补选"

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", "任期届满"
        PERSUADED = "persuaded", "主动劝辞"
        DISMISSED = "dismissed", "依法罢免"
        FAILED_REVIEW = "failed_review", "联审未通过"
        OTHER = "other", "其他"

    # Which unit level each role is posted to.
    ROLE_LEVELS = {
        Role.AREA_LEADER: [Level.AREA],
        Role.GROUP_LEADER: [Level.VILLAGER_GROUP],
        Role.GRID_WORKER: [Level.VILLAGER_GROUP],
        Role.NEIGHBORHOOD_LEADER: [Level.NEIGHBORHOOD],
        Role.REPRESENTATIVE: [Level.VILLAGE, Level.VILLAGER_GROUP],
        Role.ELDER_MEDIATOR: [Level.VILLAGE],
    }
    SINGLE_HOLDER_ROLES = [Role.AREA_LEADER, Role.GROUP_LEADER, Role.NEIGHBORHOOD_LEADER]

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="postings", verbose_name="人员")
    role = models.CharField("职务", max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "governance.Unit", on_delete=models.PROTECT, related_name="postings", verbose_name="任职单元"
    )
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)
    selection_method = models.CharField(
        "推选方式", max_length=24, choices=SelectionMethod.choices, blank=True, default=""
    )
    end_reason = models.CharField("离任原因", max_length=24, choices=EndReason.choices, blank=True, default="")
    note = models.CharField("备注", max_length=200, blank=True, default="")

    scope_path = "unit"

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职记录"
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "role"],
                condition=Q(end_date__isnull=True, role__in=["area_leader", "group_leader", "neighborhood_leader"]),
                name="posting_one_active_leader_per_unit",
                violation_error_message="该单元已有一名在任的同职务人员，请先办理其离任。",
            ),
            models.UniqueConstraint(
                fields=["person", "unit", "role"],
                condition=Q(end_date__isnull=True),
                name="posting_person_role_unit_active_unique",
                violation_error_message="此人已在该单元担任该职务。",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="posting_end_after_start",
                violation_error_message="离任日期不能早于任职日期。",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="posting_end_reason_with_end_date",
                violation_error_message="离任时必须同时填写离任日期和离任原因。",
            ),
        ]
        indexes = [models.Index(fields=["unit", "role", "end_date"], name="posting_unit_role_idx")]

    def __str__(self):
        person = self.person.name if self.person_id else "?"
        unit = self.unit.name if self.unit_id else "?"
        return f"{unit} {self.get_role_display()} {person}"

    @property
    def is_active(self):
        return self.end_date is None

    def clean(self):
        super().clean()
        if self.unit_id and self.role:
            allowed = self.ROLE_LEVELS.get(self.role, [])
            if self.unit.level not in allowed:
                labels = "或".join(Level(level).label for level in allowed)
                raise ValidationError({"unit": f"{self.get_role_display()}应任职于{labels}一级。"})
        if self.person_id and self.unit_id and self.unit.level != Level.COUNTY:
            village_path = self.person.village.path
            if not self.unit.path.startswith(village_path):
                raise ValidationError({"unit": "任职单元必须在此人所属的村/社区之内。"})
