"""The abstract timeline row: one per transition or correction, written only by the workflow kit.

A concrete event model adds its foreign key to the subject and may redeclare ``action``,
``from_status`` and ``to_status`` with its own choices (same column shapes); the ``*_label``
properties read those choices, so the generic timeline template works with or without them.
``created_at`` defaults to now (not auto_now_add) so demo history can carry its own dates.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkflowEvent(models.Model):
    action = models.CharField("操作", max_length=32)
    from_status = models.CharField("原状态", max_length=16, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    note = models.TextField("说明", blank=True, default="")
    created_at = models.DateTimeField("时间", default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.to_status_label} {self.note[:20]}".strip()

    def choice_label(self, name):
        value = getattr(self, name)
        return dict(self._meta.get_field(name).flatchoices).get(value, value)

    @property
    def action_label(self):
        return self.choice_label("action")

    @property
    def from_status_label(self):
        return self.choice_label("from_status")

    @property
    def to_status_label(self):
        return self.choice_label("to_status")
