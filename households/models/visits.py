"""The visit log (民情记录本): every contact a 三长 makes with a household."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.scoping import ScopedManager, ScopedModel, ScopedQuerySet
from core.submission import submission_token_field
from households.models.households import household_scope_q


class VisitQuerySet(ScopedQuerySet):
    """Bulk writes of visits recount the village-days they touch (``households.tallies``), as a save does.
    ``bulk_update()`` runs as ``update()`` per batch, so it is covered too."""

    def update(self, **kwargs):
        from households import tallies

        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            before = tallies.places_of(ids)
            rows = super().update(**kwargs)
            tallies.visits_written(before | tallies.places_of(ids))
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from households import tallies

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            tallies.visits_written(tallies.places_of([v.pk for v in created if v.pk is not None]))
        return created


class Visit(ScopedModel):
    class Method(models.TextChoices):
        DOOR = "door", "入户走访"
        PHONE = "phone", "电话"
        WECHAT = "wechat", "微信"
        TALK_DAY = "talk_day", "说事日"
        MEETING = "meeting", "恳谈会"
        OTHER = "other", "其他"

    class Hazard(models.TextChoices):
        ELECTRICITY = "electricity", "用电"
        GAS = "gas", "用气"
        FIRE = "fire", "用火"
        DROWNING = "drowning", "防溺水"
        OTHER = "other", "其他"

    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="visits", verbose_name="户"
    )
    visitor = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, related_name="visits", verbose_name="走访人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_visits",
        verbose_name="录入人",
    )
    visited_on = models.DateField("走访日期")
    method = models.CharField("联系方式", max_length=16, choices=Method.choices, default=Method.DOOR)
    topic = models.TextField("交谈内容", blank=True, default="")
    hazard = models.CharField("发现安全隐患", max_length=16, choices=Hazard.choices, blank=True, default="")
    problem_found = models.BooleanField("发现问题", default=False)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    submission_token = submission_token_field()

    objects = ScopedManager.from_queryset(VisitQuerySet)()

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录（民情记录本）"
        ordering = ["-visited_on", "-id"]
        indexes = [
            # Serves "last contact per household" for the due list and compliance.
            models.Index(fields=["household", "visited_on"], name="visit_household_date_idx"),
            # Date ranges, and the lists' newest-first order (visited_on, id) read straight off the index:
            # on (visited_on) alone a county's newest 50 sorted the whole last day's ~3,000 rows (35 ms).
            # On PostgreSQL it also carries the household and the method, so the reports' counts over a
            # period (who was visited in the last 7/30 days, visits by method) read the index alone
            # instead of a month's rows scattered over the whole table (SQLite ignores ``include``).
            models.Index(fields=["visited_on", "id"], name="visit_date_cover_idx", include=["household", "method"]),
        ]

    def __str__(self):
        household = self.household.head_name if self.household_id else "?"
        return f"{self.visited_on or ''} {household}户 {self.get_method_display()}".strip()

    @classmethod
    def scope_q(cls, unit):
        return household_scope_q(unit, prefix="household__")

    def clean(self):
        """A visit has happened: not dated after today (the phone page, the admin and imports alike)."""
        super().clean()
        if self.visited_on and self.visited_on > timezone.localdate():
            raise ValidationError({"visited_on": "走访日期不能晚于今天。"})

    def save(self, *args, **kwargs):
        """Saved with its village-day recounted (``households.tallies``), in one transaction."""
        from households import tallies

        with transaction.atomic():
            before = tallies.stored_place(self)
            super().save(*args, **kwargs)
            tallies.visit_written(self, before)
