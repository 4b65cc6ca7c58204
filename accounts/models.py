"""Users: each belongs to exactly one unit and has one role (superusers need neither)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q

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
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")

    objects = ScopedUserManager()
    scope_path = "unit"

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

    @classmethod
    def scope_q(cls, unit):
        return Q(unit__path__startswith=unit.path)

    @property
    def rank(self):
        return ROLE_RANK.get(self.role, 0)
