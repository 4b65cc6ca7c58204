"""The 县 → 乡镇 → 村 → 片 → 组 → 邻 tree as one table with a materialised path.

Why one table: "everything under unit X" is a single indexed ``path LIKE 'X%'`` query whatever
X's level, scoping is one rule for every model, and a report can group any rows by any level
with ``Substr(path, 1, level_depth * SEGMENT)`` in the database. Proxy models give each level
its own admin page and a readable foreign key target (``Household.neighborhood``).
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Substr

from core.expressions import related_count
from core.fields import PhoneField
from core.scoping import ScopedManager, ScopedQuerySet, unit_q

SEGMENT = 9  # 8 zero-padded digits of the pk and a "/"


class Level(models.TextChoices):
    COUNTY = "county", "县/区"
    TOWNSHIP = "township", "乡镇/街道"
    VILLAGE = "village", "村/社区"
    AREA = "area", "片"
    VILLAGER_GROUP = "villager_group", "组/网格"
    NEIGHBORHOOD = "neighborhood", "邻"


LEVEL_ORDER = [choice.value for choice in Level]


def level_depth(level):
    """1 for county … 6 for neighbourhood."""
    return LEVEL_ORDER.index(level) + 1


def is_below_village(level):
    """The one rule for where village business hangs: on the village down to village level,
    on the 片/组/邻 below it (households, grievances, reports, the phone menus all ask this)."""
    return level_depth(level) > level_depth(Level.VILLAGE)


def anchor_lookup(level, *, village, below):
    """``below`` (a lookup to the row's 邻) for a unit under village level, else ``village``."""
    return below if is_below_village(level) else village


def level_below(level):
    """The level directly under ``level`` (None under 邻)."""
    depth = level_depth(level)
    return LEVEL_ORDER[depth] if depth < len(LEVEL_ORDER) else None


def level_above(level):
    """The level directly above ``level`` (None above the county)."""
    depth = level_depth(level)
    return LEVEL_ORDER[depth - 2] if depth > 1 else None


def child_level(unit):
    """The level directly under ``unit`` (None for a 邻: it reports on itself)."""
    return level_below(unit.level)


# The size rule of a 邻 (三长制): 5 to 15 households.
NEIGHBORHOOD_MIN, NEIGHBORHOOD_MAX = 5, 15


class NeighborhoodSize(models.TextChoices):
    SMALL = "small", f"少于{NEIGHBORHOOD_MIN}户"
    LARGE = "large", f"多于{NEIGHBORHOOD_MAX}户"
    OK = "ok", f"合规（{NEIGHBORHOOD_MIN}-{NEIGHBORHOOD_MAX}户）"


def neighborhood_size(household_count):
    """Where a 邻 of ``household_count`` households stands against the 5–15 rule."""
    if household_count < NEIGHBORHOOD_MIN:
        return NeighborhoodSize.SMALL
    if household_count > NEIGHBORHOOD_MAX:
        return NeighborhoodSize.LARGE
    return NeighborhoodSize.OK


def neighborhood_size_q(size, count="household_count"):
    """The same rule as a filter on an annotated household count."""
    return {
        NeighborhoodSize.SMALL: models.Q(**{f"{count}__lt": NEIGHBORHOOD_MIN}),
        NeighborhoodSize.LARGE: models.Q(**{f"{count}__gt": NEIGHBORHOOD_MAX}),
        NeighborhoodSize.OK: models.Q(**{f"{count}__gte": NEIGHBORHOOD_MIN, f"{count}__lte": NEIGHBORHOOD_MAX}),
    }[NeighborhoodSize(size)]


PATH_END = "~"  # sorts after the digits and "/" of every path (bytewise, as C and SQLite's BINARY collate)


def under_path_q(path, field="path"):
    """Rows whose ``field`` (a unit path) lies at or under ``path`` (an expression such as
    ``OuterRef("village__path")``), as the index range [path, path + "~"): a correlated
    ``LIKE path || '%'`` cannot use the path index and scans every unit."""
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": Concat(path, models.Value(PATH_END))})


def path_prefix_length(level):
    return level_depth(level) * SEGMENT


class UnitQuerySet(ScopedQuerySet):
    def under(self, unit, include_self=True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def at_level(self, level):
        return self.filter(level=level)

    def with_household_count(self):
        """Annotate ``household_count``: the households in each 邻 (the reverse of Household.neighborhood)."""
        return self.annotate(household_count=related_count(self.model, "households"))

    def of_size(self, size):
        """邻 that are too small, too large or of the right size (``NeighborhoodSize``)."""
        return self.with_household_count().filter(neighborhood_size_q(size))


class Unit(models.Model):
    Level = Level

    class Kind(models.TextChoices):
        VILLAGE = "village", "行政村"
        COMMUNITY = "community", "社区"

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级单元"
    )
    level = models.CharField("层级", max_length=16, choices=Level.choices, db_index=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField(
        "村/社区类型", max_length=16, choices=Kind.choices, blank=True, default="", help_text="仅村/社区一级填写"
    )
    division_code = models.CharField(
        "统计用区划代码", max_length=12, blank=True, default="", help_text="12位国家统计用区划代码，片/组/邻可不填"
    )
    contact_phone = PhoneField("联系电话", personal=False, help_text="村/社区的对外联系电话，印在联系卡上")
    path = models.CharField("路径", max_length=64, editable=False, db_index=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager.from_queryset(UnitQuerySet)()
    proxy_level = None

    class Meta:
        verbose_name = "行政单元"
        verbose_name_plural = "行政单元"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="unit_name_unique_in_parent",
                violation_error_message="同一上级单元下已有同名的单元，请换一个名称。",
            ),
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~models.Q(division_code=""),
                name="unit_division_code_unique",
                violation_error_message="该统计用区划代码已被其他单元使用。",
            ),
            models.CheckConstraint(
                condition=models.Q(division_code="") | models.Q(division_code__regex=r"^[0-9]{12}$"),
                name="unit_division_code_12_digits",
                violation_error_message="统计用区划代码应为12位数字。",
            ),
            models.CheckConstraint(
                condition=models.Q(level=Level.COUNTY, parent__isnull=True)
                | (~models.Q(level=Level.COUNTY) & models.Q(parent__isnull=False)),
                name="unit_only_county_is_root",
                violation_error_message="只有县/区一级没有上级单元，其他层级必须选择上级单元。",
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=LEVEL_ORDER),
                name="unit_level_valid",
                violation_error_message="层级不正确。",
            ),
        ]

    def __str__(self):
        name = self.name or "（未命名单元）"
        # Lists and autocompletes annotate ``village_name`` so that "第3邻" says whose it is.
        village = self.__dict__.get("village_name")
        return f"{village} · {name}" if village and village != self.name else name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "level" is absent from __dict__ when deferred (.only()); reading it would cost a query.
        if self.proxy_level and "level" in self.__dict__ and not self.level:
            self.level = self.proxy_level

    def save(self, *args, **kwargs):
        """Keep ``path`` in step with ``parent``; a move rewrites the subtree in one UPDATE."""
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = self._compute_path()
                super().save(update_fields=["path"])
                return
            old_path = self.path
            self.path = self._compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
                )

    @classmethod
    def scope_q(cls, unit):
        return unit_q("", unit)

    @property
    def depth(self):
        return level_depth(self.level)

    def ancestor_paths(self):
        """Paths of this unit and its ancestors, root first."""
        return [self.path[: i * SEGMENT] for i in range(1, len(self.path) // SEGMENT + 1)]

    def ancestors(self):
        """Ancestors root first, in one query."""
        return list(Unit.objects.filter(path__in=self.ancestor_paths()[:-1]).order_by("path"))

    def full_name(self):
        return " / ".join(u.name for u in [*self.ancestors(), self])

    def clean(self):
        super().clean()
        expected_parent = level_above(self.level) if self.level else None
        if self.level and self.level != Level.COUNTY:
            if self.parent_id is None:
                raise ValidationError({"parent": "请选择上级单元。"})
            if self.parent.level != expected_parent:
                raise ValidationError(
                    {"parent": f"{self.get_level_display()}的上级必须是{Level(expected_parent).label}。"}
                )
        if self.kind and self.level != Level.VILLAGE:
            raise ValidationError({"kind": "只有村/社区一级需要填写类型。"})

    def _compute_path(self):
        parent_path = self.parent.path if self.parent_id else ""
        return f"{parent_path}{self.pk:08d}/"


class LevelManager(ScopedManager.from_queryset(UnitQuerySet)):
    def __init__(self, level):
        super().__init__()
        self.level = level

    def get_queryset(self):
        return super().get_queryset().filter(level=self.level)


def _level_proxy(name, level, verbose):
    meta = type("Meta", (), {"proxy": True, "verbose_name": verbose, "verbose_name_plural": verbose})
    attrs = {
        "__module__": __name__,
        "Meta": meta,
        "proxy_level": level,
        "objects": LevelManager(level),
        "__doc__": f"{verbose} (a Unit at level {level}).",
    }
    return type(name, (Unit,), attrs)


County = _level_proxy("County", Level.COUNTY, "县/区")
Township = _level_proxy("Township", Level.TOWNSHIP, "乡镇/街道")
Village = _level_proxy("Village", Level.VILLAGE, "村/社区")
Area = _level_proxy("Area", Level.AREA, "片")
VillagerGroup = _level_proxy("VillagerGroup", Level.VILLAGER_GROUP, "组/网格")
Neighborhood = _level_proxy("Neighborhood", Level.NEIGHBORHOOD, "邻")
