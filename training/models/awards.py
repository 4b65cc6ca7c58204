"""最美三长: nominated by the village with reasons, decided by the township; printable certificate."""

from django.db import models
from django.utils import timezone

from core.scoping import ScopedModel


class Award(ScopedModel):
    class Status(models.TextChoices):
        NOMINATED = "nominated", "村级推荐"
        APPROVED = "approved", "乡镇批准"
        REJECTED = "rejected", "未获批准"

    person = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="awards", verbose_name="人员"
    )
    year = models.PositiveSmallIntegerField("年度")
    honour = models.CharField("荣誉称号", max_length=32, default="最美三长")
    reasons = models.TextField("推荐理由")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.NOMINATED, db_index=True)
    nominated_on = models.DateField("推荐日期", default=timezone.localdate)
    issuing_body = models.CharField("授予单位", max_length=64, blank=True, default="")
    decided_on = models.DateField("批准日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="批准人",
        editable=False,
    )  # fmt: skip

    scope_path = "person__village"

    class Meta:
        verbose_name = "最美三长"
        verbose_name_plural = "最美三长评选"
        ordering = ["-year", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "honour"],
                name="award_once_per_year",
                violation_error_message="此人本年度已被推荐该荣誉。",
            )
        ]

    def __str__(self):
        person = self.person.name if self.person_id else "?"
        return f"{self.year}年{self.honour} {person}"
