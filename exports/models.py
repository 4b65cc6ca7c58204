"""A background export: who asked for which ledger with which filters, its progress and its file."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportJobQuerySet(models.QuerySet):
    def of(self, user):
        """A job is private to its requester: nobody else sees or downloads it, whatever their unit."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class ExportJob(models.Model):
    audit_exempt = "the export itself is written to the access log; the job row only tracks progress"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导出中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"
        EXPIRED = "expired", "已过期"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField("类型", max_length=24, default="ledger")  # a ledger, or a kind in core.jobs
    params = models.JSONField("参数", default=dict, blank=True)  # what a core.jobs writer needs
    model_label = models.CharField("数据类型", max_length=100, blank=True, default="")
    ledger_name = models.CharField("台账", max_length=50)
    query = models.TextField("筛选条件", blank=True, default="")  # the changelist's query string
    keys = models.JSONField("导出列", default=list, blank=True)
    extension = models.CharField("格式", max_length=8, default="xlsx")
    filename = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已导出行数", default=0)
    error = models.TextField("错误", blank=True, default="")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0

    @property
    def path(self):
        return settings.EXPORT_ROOT / f"{self.pk}.{self.extension}"

    def is_downloadable(self, now=None):
        kept = self.expires_at is None or self.expires_at > (now or timezone.now())
        return self.status == self.Status.DONE and kept
