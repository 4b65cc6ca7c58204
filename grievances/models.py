"""群众诉求: a grievance, its event timeline, and the revisits that close it.

Status changes happen only in grievances/services.py, through the workflow kit (core/workflow), which
writes a GrievanceEvent for each.
Timestamps default to now (rather than auto_now_add) so demo history can carry its own dates.
"""

import datetime

from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from core.fields import PhoneField
from core.predicates import matches
from core.scoping import ScopedManager, ScopedModel, ScopedQuerySet, unit_q
from core.submission import submission_token_field
from core.workflow.models import WorkflowEvent
from governance.models.units import anchor_lookup

REVISIT_WITHIN_DAYS = 7  # 事后回访: within a week of 办结
DUE_SOON_DAYS = 7  # the work queue's "due this week"


class Satisfaction(models.TextChoices):
    """A revisit's answer (满意度); the grievance keeps its latest one."""

    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class GrievanceCategory(models.Model):
    """Configurable categories (基础设施、土地…); reference data shared by the county."""

    is_reference_data = True

    name = models.CharField("名称", max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name or "（未命名类别）"


def grievance_scope_q(unit, prefix=""):
    """Village and above: the grievance's village. 组/邻 leaders: their households' grievances."""
    return unit_q(anchor_lookup(unit.level, village=f"{prefix}village", below=f"{prefix}household__neighborhood"), unit)


def overdue_terms(today):
    """The one definition of overdue: still open after the promised deadline; due today is not overdue yet.

    The lists filter with ``Q(**terms)`` (``deadline_q``), a loaded row asks ``Grievance.is_overdue``.
    """
    return {"status__in": Grievance.OPEN_STATUSES, "due_date__lt": today}


def revisit_overdue_terms(today):
    """Resolved more than a week ago (``REVISIT_WITHIN_DAYS``) and still not revisited."""
    return {
        "status": Grievance.Status.RESOLVED,
        "resolved_on__lt": today - datetime.timedelta(days=REVISIT_WITHIN_DAYS),
    }


def deadline_q(key, today):
    """The one definition of each deadline list (work queue, changelist filter, statistics)."""
    S, open_ = Grievance.Status, Grievance.OPEN_STATUSES
    if key == "new":
        return Q(status=S.REGISTERED)
    if key == "overdue":
        return Q(**overdue_terms(today))
    if key == "due_soon":
        return Q(status__in=open_, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
    if key == "awaiting_revisit":
        return Q(status=S.RESOLVED)
    if key == "revisit_overdue":
        return Q(**revisit_overdue_terms(today))
    if key == "awaiting_reply":  # escalated, the higher level's reply not yet recorded
        return Q(status=S.IN_PROGRESS, handling_mode=Grievance.HandlingMode.ESCALATED, escalation_reply="")
    raise ValueError(f"unknown deadline list {key!r}")


DEADLINE_LISTS = [
    ("new", "待核实（新登记）"),
    ("overdue", "已超期"),
    ("due_soon", "本周到期"),
    ("awaiting_revisit", "待回访"),
    ("revisit_overdue", "回访已超期"),
    ("awaiting_reply", "上报待答复"),
]


class GrievanceQuerySet(ScopedQuerySet):
    """Business names for the deadline lists; ``today`` is passed in so pages and tests agree."""

    def deadline(self, key, today):
        return self.filter(deadline_q(key, today))

    def open(self):
        return self.filter(status__in=Grievance.OPEN_STATUSES)

    def overdue(self, today):
        return self.deadline("overdue", today)

    def due_soon(self, today):
        return self.deadline("due_soon", today)

    def awaiting_revisit(self):
        return self.filter(status=Grievance.Status.RESOLVED)

    def revisit_overdue(self, today):
        return self.deadline("revisit_overdue", today)

    def awaiting_reply(self):
        return self.deadline("awaiting_reply", None)


class Grievance(ScopedModel):
    class Status(models.TextChoices):
        REGISTERED = "registered", "已登记"
        VERIFIED = "verified", "已核实"
        REJECTED = "rejected", "不予受理"
        IN_PROGRESS = "in_progress", "办理中"
        RESOLVED = "resolved", "已办结"
        REVISITED = "revisited", "已回访"
        ARCHIVED = "archived", "已归档"

    class Channel(models.TextChoices):
        VISIT = "visit", "走访"
        WALK_IN = "walk_in", "来访"
        PHONE = "phone", "电话"
        WECHAT = "wechat", "微信"
        TALK_DAY = "talk_day", "说事日"
        MEETING = "meeting", "恳谈会"
        REFERRED = "referred", "上级转办"
        OTHER = "other", "其他"

    class Urgency(models.TextChoices):
        NORMAL = "normal", "一般"
        URGENT = "urgent", "紧急"
        CRITICAL = "critical", "特急"

    class HandlingMode(models.TextChoices):
        ON_SPOT = "on_spot", "当场解决"
        EXPLAINED = "explained", "解释答复"
        ESCALATED = "escalated", "上报上级"

    OPEN_STATUSES = [Status.REGISTERED, Status.VERIFIED, Status.IN_PROGRESS]

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="grievances", verbose_name="村/社区"
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
        verbose_name="反映户",
    )
    reporter_name = models.CharField("反映人（非本村户籍）", max_length=32, blank=True, default="")
    reporter_phone = PhoneField("反映人电话")
    visit = models.ForeignKey(
        "households.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
        verbose_name="来源走访",
    )
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.VISIT)
    category = models.ForeignKey(
        GrievanceCategory, on_delete=models.PROTECT, related_name="grievances", verbose_name="类别"
    )
    description = models.TextField("诉求内容")
    urgency = models.CharField("紧急程度", max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    received_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_grievances",
        verbose_name="受理人",
    )
    received_on = models.DateField("受理日期")
    due_date = models.DateField("承诺时限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED, db_index=True)
    handling_mode = models.CharField("办理方式", max_length=16, choices=HandlingMode.choices, blank=True, default="")
    escalated_to = models.CharField("上报至", max_length=64, blank=True, default="", help_text="乡镇或县直部门名称")
    escalation_reply = models.TextField("上级答复", blank=True, default="")
    resolution = models.TextField("办结情况", blank=True, default="")
    resolved_on = models.DateField("办结日期", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重新办理次数", default=0)
    # 延期: the promised deadline moves only through the extension step (reason on the timeline);
    # whether it was already overdue when extended is kept, so the statistics can say so.
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0, editable=False)
    extended_when_overdue = models.BooleanField("超期后延期", default=False, editable=False)
    # The latest revisit's answer (by date, then entry order), kept by Revisit's writes
    # (``refresh_satisfaction``): the statistics' 回访测评 and 满意率 read it, not the revisits.
    satisfaction = models.CharField(
        "最近一次回访满意度", max_length=16, choices=Satisfaction.choices, blank=True, default="", editable=False
    )
    submission_token = submission_token_field()
    version = models.PositiveIntegerField(
        "版本", default=1, editable=False, help_text="每次办理加一；提交时核对，防止两人同时办理同一诉求"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager.from_queryset(GrievanceQuerySet)()
    audit_exclude_fields = ["satisfaction"]  # the revisits' to keep; each revisit is an event of its own

    class Meta:
        verbose_name = "群众诉求"
        verbose_name_plural = "群众诉求"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | ~Q(reporter_name=""),
                name="grievance_has_reporter",
                violation_error_message="请选择反映户，或填写非本村户籍反映人的姓名。",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("received_on")),
                name="grievance_due_after_received",
                violation_error_message="承诺时限不能早于受理日期。",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("received_on")),
                name="grievance_resolved_after_received",
                violation_error_message="办结日期不能早于受理日期。",
            ),
            models.CheckConstraint(
                condition=~Q(handling_mode="escalated") | ~Q(escalated_to=""),
                name="grievance_escalation_has_target",
                violation_error_message="上报上级时必须填写上报至哪个单位。",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__in=["", *Satisfaction.values]),
                name="grievance_satisfaction_valid",
                violation_error_message="满意度不在可选范围内。",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="grievance_status_due_idx"),
            models.Index(fields=["village", "received_on"], name="grievance_village_date_idx"),
            # The list's default order: a township's newest 50 are read off this index instead of
            # sorting every grievance of the county (12 ms of a 50-row page, issue 15).
            models.Index(fields=["-received_on", "-id"], name="grievance_received_idx"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # Never write satisfaction from an instance read before the latest revisit (a form, a workflow step).
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key
                                       and f.name != "satisfaction"]  # fmt: skip
        super().save(*args, **kwargs)

    def __str__(self):
        who = self.household.head_name + "户" if self.household_id else (self.reporter_name or "?")
        return f"{who}：{Truncator(self.description or '').chars(20)}"

    @classmethod
    def scope_q(cls, unit):
        return grievance_scope_q(unit)

    @property
    def revisit_due_date(self):
        if self.resolved_on is None:
            return None
        return self.resolved_on + datetime.timedelta(days=REVISIT_WITHIN_DAYS)

    def is_overdue(self, today):
        return matches(self, overdue_terms(today))

    def is_revisit_overdue(self, today):
        return matches(self, revisit_overdue_terms(today))


class GrievanceEvent(WorkflowEvent):
    """One row per transition: the detail page's timeline (written by the workflow kit)."""

    class Action(models.TextChoices):
        REGISTER = "register", "登记"
        VERIFY = "verify", "核实"
        REJECT = "reject", "不予受理"
        HANDLE = "handle", "办理"
        REPLY = "reply", "登记上级答复"
        RESOLVE = "resolve", "办结"
        REVISIT = "revisit", "回访"
        REOPEN = "reopen", "不满意，重新办理"
        ARCHIVE = "archive", "归档"
        EXTEND = "extend", "延期"
        EDIT = "edit", "修改信息"

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events", verbose_name="诉求")
    # The kit's columns, with this lifecycle's choices.
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Grievance.Status.choices, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16, choices=Grievance.Status.choices)

    objects = ScopedManager()

    class Meta(WorkflowEvent.Meta):
        verbose_name = "诉求办理记录"
        verbose_name_plural = "诉求办理记录"

    @classmethod
    def scope_q(cls, unit):
        return grievance_scope_q(unit, prefix="grievance__")


class Revisit(models.Model):
    """事后敲门回访: the household's satisfaction after a grievance is resolved."""

    Satisfaction = Satisfaction

    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, related_name="revisits", verbose_name="诉求")
    revisited_on = models.DateField("回访日期")
    revisitor = models.ForeignKey(
        "governance.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="回访人"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="录入人"
    )
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices)
    comment = models.TextField("群众意见", blank=True, default="")
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访记录"
        ordering = ["-revisited_on", "-id"]

    def __str__(self):
        return f"{self.revisited_on or ''} {self.get_satisfaction_display()}".strip()

    def save(self, *args, **kwargs):
        """The grievance's latest satisfaction follows (and the former grievance's, were it moved)."""
        with transaction.atomic():
            former = None
            if self.pk is not None:
                former = Revisit._base_manager.filter(pk=self.pk).values_list("grievance_id", flat=True).first()
            super().save(*args, **kwargs)
            refresh_satisfaction({self.grievance_id, former})

    @classmethod
    def scope_q(cls, unit):
        return grievance_scope_q(unit, prefix="grievance__")


def latest_revisit():
    """The satisfaction of the outer grievance's latest revisit (by date, then entry order), as a
    subquery: the one definition of which answer counts."""
    revisits = Revisit._base_manager.filter(grievance=OuterRef("pk")).order_by("-revisited_on", "-pk")
    return Subquery(revisits.values("satisfaction")[:1])


def refresh_satisfaction(grievance_ids=None):
    """``Grievance.satisfaction`` read again from the revisits (one UPDATE, past the audit log): after a
    revisit is saved or deleted, and for revisits written in bulk (all grievances when None)."""
    grievances = Grievance._base_manager.all()
    if grievance_ids is not None:
        grievance_ids = [pk for pk in grievance_ids if pk]
        if not grievance_ids:
            return
        grievances = grievances.filter(pk__in=grievance_ids)
    grievances.update(satisfaction=Coalesce(latest_revisit(), Value("")))


def revisit_deleted(sender, instance, **kwargs):
    """post_delete of a revisit (connected in GrievancesConfig.ready)."""
    refresh_satisfaction([instance.grievance_id])
