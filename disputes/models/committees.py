"""The village 人民调解委员会 and its members (drawn from the roster: 三长, 五老, representatives)."""

from django.db import models
from django.db.models import Q

from core.scoping import ScopedManager, ScopedModel


class MediationCommittee(ScopedModel):
    """One per village; its short name goes into agreement numbers: (2026)岭头人调字第7号."""

    village = models.OneToOneField(
        "governance.Village", on_delete=models.PROTECT, related_name="mediation_committee", verbose_name="村/社区"
    )
    name = models.CharField("名称", max_length=64, help_text="如：岭头村人民调解委员会")
    short_name = models.CharField("文书简称", max_length=16, help_text="协议书编号用，如“岭头”→（2026）岭头人调字第7号")
    established_on = models.DateField("成立日期", null=True, blank=True)
    term_start = models.DateField("本届任期起", null=True, blank=True)
    term_end = models.DateField("本届任期止", null=True, blank=True)

    scope_path = "village"

    class Meta:
        verbose_name = "人民调解委员会"
        verbose_name_plural = "人民调解委员会"
        ordering = ["village__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="committee_term_order",
                violation_error_message="任期止不能早于任期起。",
            )
        ]

    def __str__(self):
        return self.name or "（未命名调委会）"

    def active_members(self):
        return self.members.filter(end_date__isnull=True).select_related("person")


class CommitteeMember(ScopedModel):
    """A roster person serving on the committee; only current members may preside over a mediation."""

    class Role(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE_CHAIR = "vice_chair", "副主任"
        MEMBER = "member", "委员"

    class Background(models.TextChoices):
        SANZHANG = "sanzhang", "三长"
        WULAO = "wulao", "五老"
        REPRESENTATIVE = "representative", "村(居)民代表"
        CADRE = "cadre", "村两委干部"
        OTHER = "other", "其他"

    committee = models.ForeignKey(
        MediationCommittee, on_delete=models.CASCADE, related_name="members", verbose_name="调委会"
    )
    person = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="committee_memberships", verbose_name="人员"
    )
    role = models.CharField("职务", max_length=16, choices=Role.choices, default=Role.MEMBER)
    background = models.CharField("身份", max_length=16, choices=Background.choices, default=Background.SANZHANG)
    start_date = models.DateField("任职日期", null=True, blank=True)
    end_date = models.DateField("离任日期", null=True, blank=True)

    objects = ScopedManager()
    scope_path = "committee__village"

    class Meta:
        verbose_name = "调解员"
        verbose_name_plural = "调解员"
        ordering = ["committee", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "person"],
                condition=Q(end_date__isnull=True),
                name="committee_member_once",
                violation_error_message="此人已是该调委会的在任成员。",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(end_date__isnull=True, role="chair"),
                name="committee_one_chair",
                violation_error_message="调委会只能有一名在任主任。",
            ),
        ]

    def __str__(self):
        name = self.person.name if self.person_id else "?"
        return f"{name}（{self.get_role_display()}）"

    @property
    def is_active(self):
        return self.end_date is None
