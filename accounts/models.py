"""Users: each belongs to exactly one unit and has one role (superusers need neither)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

from core.access import AccessAction
from core.fields import PhoneField
from core.scoping import ScopedQuerySet


class Role(models.TextChoices):
    COUNTY = "county", "县级干部"
    TOWNSHIP = "township", "乡镇干部"
    VILLAGE = "village", "村干部"
    LEADER = "leader", "组长/邻长"


# The unit level each role is attached to.
ROLE_LEVELS = {
    Role.COUNTY: ["county"],
    Role.TOWNSHIP: ["township"],
    Role.VILLAGE: ["village"],
    Role.LEADER: ["villager_group", "neighborhood"],
}
# Higher rank may grant lower ranks; nobody grants a role above their own.
ROLE_RANK = {Role.LEADER: 1, Role.VILLAGE: 2, Role.TOWNSHIP: 3, Role.COUNTY: 4}


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(AbstractUser):
    unit = models.ForeignKey(
        "governance.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单元",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True, default="")
    person = models.ForeignKey(
        "governance.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name="花名册中的本人",
        help_text="该账号使用者在三长花名册中的记录；在手机上登记走访时记为走访人",
    )
    phone = PhoneField()
    # One name, written as Chinese names are (邝银祥): Django's first/last name pair would show
    # "银祥 邝" in headers, timelines and exports.
    name = models.CharField("姓名", max_length=32, blank=True, default="")
    first_name = None
    last_name = None

    objects = ScopedUserManager()
    scope_path = "unit"
    audit_exclude_fields = ["last_login", "password"]  # noise on every login; never history

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="") & Q(unit__isnull=True)) | (~Q(role="") & Q(unit__isnull=False)),
                name="user_role_and_unit_together",
                violation_error_message="角色和所属单元必须同时填写（超级管理员两者都不填）。",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username or "（未命名用户）"

    def get_full_name(self):
        return self.name.strip()

    def get_short_name(self):
        return self.name.strip()

    @classmethod
    def scope_q(cls, unit):
        return Q(unit__path__startswith=unit.path)

    @property
    def rank(self):
        return ROLE_RANK.get(self.role, 0)


class AccessLogQuerySet(ScopedQuerySet):
    def delete(self):
        raise PermissionError("访问日志只能追加，不能删除。")

    def update(self, **kwargs):
        raise PermissionError("访问日志只能追加，不能修改。")


class AccessLog(models.Model):
    """Append-only record of reads that matter: exports, reveals of full ID numbers, minors' records."""

    audit_exempt = "append-only log itself; it is never changed"

    Action = AccessAction  # defined in core, which reports the reads without importing accounts

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_logs", verbose_name="用户")
    unit = models.ForeignKey(
        "governance.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name="用户所属单元",
    )
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    model_label = models.CharField("数据类型", max_length=64, blank=True, default="")
    object_id = models.CharField("记录编号", max_length=64, blank=True, default="")
    object_repr = models.CharField("记录", max_length=200, blank=True, default="")
    filters = models.JSONField("筛选条件", default=dict, blank=True)
    row_count = models.PositiveIntegerField("导出行数", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = models.Manager.from_queryset(AccessLogQuerySet)()

    class Meta:
        verbose_name = "访问日志"
        verbose_name_plural = "访问日志"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="accesslog_user_time_idx")]

    def __str__(self):
        who = self.user.username if self.user_id else "?"
        return f"{who} {self.get_action_display()} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("访问日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("访问日志只能追加，不能删除。")

    @classmethod
    def scope_q(cls, unit):
        return Q(unit__path__startswith=unit.path)
