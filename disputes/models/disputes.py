"""A dispute (纠纷), its parties, its six-step timeline (DisputeEvent) and its mediation sessions.

A dispute hangs on its village and, below it, on the 邻 of the household where it arose (the first
resident party's), like a grievance. Mediation normally ends within a month of acceptance
(``due_date``); it moves only through 延期 with the parties' consent recorded.
"""

import calendar
import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from core.fields import IdNumberField, PhoneField
from core.predicates import matches
from core.scoping import ScopedManager, ScopedModel, ScopedQuerySet, unit_q
from core.workflow.models import WorkflowEvent
from governance.models.people import Gender
from governance.models.units import anchor_lookup

DUE_SOON_DAYS = 7


def one_month_after(day):
    """The same day next month (the last day when next month is shorter): 1月31日 → 2月28日."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DisputeType(models.TextChoices):
    LAND = "land", "土地纠纷"
    FOREST = "forest", "山林/草山纠纷"
    HOMESTEAD = "homestead", "宅基地纠纷"
    CONTRACT = "contract", "合同纠纷"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    FAMILY = "family", "婚姻家庭纠纷"
    SUPPORT = "support", "赡养抚养纠纷"
    DEBT = "debt", "债务纠纷"
    DAMAGES = "damages", "损害赔偿纠纷"
    OTHER = "other", "其他纠纷"


def dispute_scope_q(unit, prefix=""):
    return unit_q(anchor_lookup(unit.level, village=f"{prefix}village", below=f"{prefix}household__neighborhood"), unit)


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    ASSIGNED = "assigned", "已指定主持人"
    INVESTIGATED = "investigated", "已核实情况"
    NOTIFIED = "notified", "已告知权利义务"
    MEDIATING = "mediating", "调解中"
    SUCCEEDED = "succeeded", "调解成功"
    FAILED = "failed", "调解不成"
    WITHDRAWN = "withdrawn", "当事人撤回"
    ARCHIVED = "archived", "已归档"


# Accepted and not yet ended: the month's deadline runs.
OPEN_STATUSES = [Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATED, Status.NOTIFIED, Status.MEDIATING]
ENDED_STATUSES = [Status.SUCCEEDED, Status.FAILED, Status.WITHDRAWN]


def deadline_q(key, today):
    """The one definition of each work-queue list (queue, changelist filter, statistics)."""
    if key == "new":
        return Q(status=Status.REGISTERED)
    if key == "overdue":
        return Q(status__in=OPEN_STATUSES, due_date__lt=today)
    if key == "due_soon":
        return Q(
            status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )
    if key == "revisit_due":
        return Q(status=Status.SUCCEEDED, revisit_due_on__lte=today)
    if key == "escalated":
        return Q(status__in=OPEN_STATUSES, escalated=True)
    raise ValueError(f"unknown deadline list {key!r}")


DEADLINE_LISTS = [
    ("new", "待受理"),
    ("overdue", "调解已超期"),
    ("due_soon", "本周到期"),
    ("revisit_due", "待回访"),
    ("escalated", "上报乡镇办理中"),
]


class DisputeQuerySet(ScopedQuerySet):
    def deadline(self, key, today):
        return self.filter(deadline_q(key, today))


class Dispute(ScopedModel):
    Status = Status
    OPEN_STATUSES = OPEN_STATUSES
    ENDED_STATUSES = ENDED_STATUSES

    class Source(models.TextChoices):
        APPLICATION = "application", "当事人申请"
        INITIATIVE = "initiative", "调委会主动调解"
        SCREENING = "screening", "排查发现"
        VISIT = "visit", "走访发现"
        REFERRED = "referred", "上级转办/其他部门移交"

    class FailureRoute(models.TextChoices):
        LAWSUIT = "lawsuit", "告知通过诉讼解决"
        ARBITRATION = "arbitration", "告知申请仲裁"
        ADMINISTRATIVE = "administrative", "告知请求行政处理"
        TOWNSHIP = "township", "上报乡镇"

    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="disputes", verbose_name="村/社区"
    )
    committee = models.ForeignKey(
        "disputes.MediationCommittee", on_delete=models.PROTECT, related_name="disputes", verbose_name="调委会"
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name="发生户",
        help_text="纠纷发生地的农户（通常为申请人所在户）",
    )
    risk_report = models.OneToOneField(
        "disputes.RiskReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute",
        verbose_name="来源隐患",
    )
    title = models.CharField("纠纷名称", max_length=64, help_text="如：张某与李某宅基地纠纷")
    dispute_type = models.CharField("纠纷类型", max_length=16, choices=DisputeType.choices)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.APPLICATION)
    facts = models.TextField("纠纷事实")
    requests = models.TextField("当事人请求", blank=True, default="")
    persons_involved = models.PositiveSmallIntegerField("涉及人数", default=2)
    prevents_crime = models.BooleanField("防止民转刑", default=False)
    prevents_mass_petition = models.BooleanField("防止群体性上访", default=False)
    received_on = models.DateField("登记日期")
    registered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED, db_index=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    due_date = models.DateField("调解期限", null=True, blank=True)
    presiding = models.ForeignKey(
        "disputes.CommitteeMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_disputes",
        verbose_name="调解主持人",
    )
    investigation = models.TextField("调查核实情况", blank=True, default="")
    evidence = models.TextField("证据清单", blank=True, default="")
    notified_on = models.DateField("告知日期", null=True, blank=True)
    session_count = models.PositiveSmallIntegerField("调解次数", default=0, editable=False)
    ended_on = models.DateField("结案日期", null=True, blank=True)
    failure_route = models.CharField("告知途径", max_length=16, choices=FailureRoute.choices, blank=True, default="")
    extension_count = models.PositiveSmallIntegerField("延期次数", default=0, editable=False)
    escalated = models.BooleanField("上报乡镇", default=False, editable=False)
    escalated_to = models.CharField("上报至", max_length=64, blank=True, default="")
    lead_official = models.CharField("包案领导", max_length=32, blank=True, default="")
    # The next fulfilment revisit is due on this day; None once the agreement is kept.
    revisit_due_on = models.DateField("应回访日期", null=True, blank=True, editable=False)
    revisit_count = models.PositiveSmallIntegerField("回访次数", default=0, editable=False)
    rebounded = models.BooleanField("曾反弹", default=False, editable=False)
    file_number = models.CharField("卷号", max_length=32, blank=True, default="")
    filed_by = models.CharField("立卷人", max_length=32, blank=True, default="")
    retention = models.CharField("保管期限", max_length=16, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager.from_queryset(DisputeQuerySet)()

    class Meta:
        verbose_name = "矛盾纠纷"
        verbose_name_plural = "矛盾纠纷（人民调解登记簿）"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(accepted_on__isnull=False),
                name="dispute_due_after_acceptance",
                violation_error_message="受理后才有调解期限。",
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=models.F("received_on")),
                name="dispute_accepted_after_received",
                violation_error_message="受理日期不能早于登记日期。",
            ),
            models.CheckConstraint(
                condition=~Q(escalated=True) | ~Q(lead_official=""),
                name="dispute_escalation_has_lead",
                violation_error_message="上报乡镇时必须写明包案领导。",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="dispute_status_due_idx"),
            models.Index(fields=["village", "received_on"], name="dispute_village_date_idx"),
        ]

    def __str__(self):
        return self.title or Truncator(self.facts or "").chars(20)

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit)

    def is_overdue(self, today):
        return matches(self, {"status__in": OPEN_STATUSES, "due_date__lt": today})


class DisputeParty(ScopedModel):
    """A party: a resident of the village (chosen, masked) or an outside person with their particulars."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name="纠纷")
    side = models.CharField("当事人类别", max_length=16, choices=Side.choices, default=Side.APPLICANT)
    resident = models.ForeignKey(
        "households.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispute_parties",
        verbose_name="本村居民",
    )
    name = models.CharField("姓名（非本村居民）", max_length=32, blank=True, default="")
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True, default="")
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=16, blank=True, default="")
    occupation = models.CharField("职业", max_length=32, blank=True, default="")
    address = models.CharField("住址", max_length=128, blank=True, default="")
    phone = PhoneField("联系电话")
    id_number = IdNumberField("身份证号")

    objects = ScopedManager()

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["dispute", "side", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""),
                name="dispute_party_named",
                violation_error_message="请选择本村居民，或填写非本村当事人的姓名。",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.resident.name if self.resident_id else self.name

    @property
    def full_id_number(self):
        return self.resident.id_number if self.resident_id else self.id_number

    @property
    def full_phone(self):
        return self.resident.phone if self.resident_id else self.phone

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit, prefix="dispute__")


class DisputeEvent(WorkflowEvent):
    class Action(models.TextChoices):
        REGISTER = "register", "登记"
        ACCEPT = "accept", "受理"
        REJECT = "reject", "不予受理"
        ASSIGN = "assign", "指定调解主持人"
        INVESTIGATE = "investigate", "了解核实情况"
        NOTIFY = "notify", "告知权利义务"
        MEDIATE = "mediate", "依法调解"
        SUCCEED = "succeed", "调解成功，签订协议"
        FAIL = "fail", "调解不成"
        WITHDRAW = "withdraw", "当事人撤回"
        EXTEND = "extend", "延期"
        ESCALATE = "escalate", "上报乡镇包案"
        REVISIT = "revisit", "履行回访"
        REMEDIATE = "remediate", "回访后重新调解"
        CONFIRM = "confirm", "司法确认"
        ARCHIVE = "archive", "卷宗归档"
        EDIT = "edit", "修改信息"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events", verbose_name="纠纷")
    action = models.CharField("操作", max_length=32, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices)

    objects = ScopedManager()

    class Meta(WorkflowEvent.Meta):
        verbose_name = "调解记录"
        verbose_name_plural = "调解记录"

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit, prefix="dispute__")


class MediationSession(ScopedModel):
    """依法调解: one session (date, place, who took part, the record)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name="纠纷")
    held_on = models.DateField("调解日期")
    place = models.CharField("调解地点", max_length=64)
    participants = models.CharField("参加人员", max_length=200)
    record = models.TextField("调解记录")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="记录人"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = "调解记录（场次）"
        verbose_name_plural = "调解场次"
        ordering = ["dispute", "held_on", "id"]

    def __str__(self):
        return f"{self.held_on or ''} {self.place}".strip()

    @classmethod
    def scope_q(cls, unit):
        return dispute_scope_q(unit, prefix="dispute__")
