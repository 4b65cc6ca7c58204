"""Visits summed per village and day (走访日汇总), kept with the visits by ``households.tallies``.

A county's year is 1.15 million visits but only ~81 thousand village-days: the county's and the
townships' period counts (visits by method, problems found, visits to special-care households)
read these rows instead of scanning the visits. Like the reports, a visit counts where its household
stands today and as special-care if the household is special-care today, so moving a household or
changing its care categories moves its visits' counts too. Never edited by hand: rebuilt from the
visits with ``manage.py rebuild_visit_days``.
"""

from django.db import models
from django.db.models import F, Q

from core.scoping import ScopedModel
from households.models.visits import Visit

METHOD_FIELDS = list(Visit.Method.values)
COUNT_FIELDS = ["visits", *METHOD_FIELDS, "problems", "special_visits"]


def _method_sum():
    total = F(METHOD_FIELDS[0])
    for name in METHOD_FIELDS[1:]:
        total = total + F(name)
    return total


class VisitDay(ScopedModel):
    audit_exempt = "derived counts kept with the visits (households.tallies); never edited, rebuilt from the visits"
    scope_path = "village"

    village = models.ForeignKey(
        "governance.Village", on_delete=models.CASCADE, related_name="visit_days", verbose_name="村/社区"
    )
    day = models.DateField("走访日期")
    visits = models.PositiveIntegerField("走访合计", default=0)
    door = models.PositiveIntegerField(Visit.Method.DOOR.label, default=0)
    phone = models.PositiveIntegerField(Visit.Method.PHONE.label, default=0)
    wechat = models.PositiveIntegerField(Visit.Method.WECHAT.label, default=0)
    talk_day = models.PositiveIntegerField(Visit.Method.TALK_DAY.label, default=0)
    meeting = models.PositiveIntegerField(Visit.Method.MEETING.label, default=0)
    other = models.PositiveIntegerField(Visit.Method.OTHER.label, default=0)
    problems = models.PositiveIntegerField("发现问题", default=0)
    special_visits = models.PositiveIntegerField("特殊群体户走访", default=0)

    class Meta:
        verbose_name = "走访日汇总"
        verbose_name_plural = "走访日汇总"
        ordering = ["-day", "village"]
        constraints = [
            # Day first: the reports read a date range of every village in scope.
            models.UniqueConstraint(fields=["day", "village"], name="visitday_day_village_unique"),
            models.CheckConstraint(condition=Q(visits=_method_sum()), name="visitday_methods_add_up"),
            models.CheckConstraint(
                condition=Q(problems__lte=F("visits"), special_visits__lte=F("visits")), name="visitday_parts_le_visits"
            ),
        ]

    def __str__(self):
        return f"{self.village} {self.day}：走访{self.visits}次"
