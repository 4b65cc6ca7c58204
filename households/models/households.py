"""Households (户), their members (居民) and special-care categories."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from core.expressions import count_of
from core.fields import IdNumberField, PhoneField
from core.scoping import ScopedManager, ScopedModel, ScopedQuerySet, unit_q
from core.submission import submission_token_field
from core.validators import ID_PATTERN, id_birth_date, id_gender, normalize_id_number
from governance.models.people import Gender
from governance.models.units import anchor_lookup
from households.contact import MONTHLY, WEEKLY, contact_interval

__all__ = ["MONTHLY", "WEEKLY", "CareCategory", "Household", "Resident"]

ADULT_AGE = 18


class CareCategory(models.Model):
    """A special-care category (特殊群体); a household with any is contacted weekly."""

    is_reference_data = True  # the same eight categories for every unit: not scoped
    audit_exempt = "reference data from a data migration"

    class Code(models.TextChoices):
        LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
        LONELY_ELDERLY = "lonely_elderly", "孤寡老人"
        EMPTY_NEST = "empty_nest", "空巢老人"
        MINIMUM_LIVING = "minimum_living", "低保"
        FIVE_GUARANTEES = "five_guarantees", "五保"
        SERIOUS_ILLNESS = "serious_illness", "重病重残"
        MONITORED = "monitored", "边缘监测"
        HARDSHIP = "hardship", "生活困难"

    code = models.CharField("代码", max_length=32, primary_key=True, choices=Code.choices)
    name = models.CharField("名称", max_length=16, unique=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "特殊群体类别"
        verbose_name_plural = "特殊群体类别"
        ordering = ["sort_order"]

    def __str__(self):
        return self.name or self.code


def household_scope_q(unit, prefix=""):
    """Households at or under ``unit``: through the village for village and above, the 邻 below."""
    return unit_q(anchor_lookup(unit.level, village=f"{prefix}village", below=f"{prefix}neighborhood"), unit)


class HouseholdQuerySet(ScopedQuerySet):
    def with_special(self):
        """Annotate ``is_special`` (any care category) in the same query."""
        through = Household.care_categories.through
        return self.annotate(is_special=Exists(through.objects.filter(household=OuterRef("pk"))))

    def special(self):
        return self.with_special().filter(is_special=True)

    @staticmethod
    def _neighborhood_has_leader():
        """Exists(an active 邻长 of the household's 邻), for filters and annotations."""
        from governance.models import Posting

        return Exists(
            Posting.objects.filter(
                unit=OuterRef("neighborhood"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
            )
        )

    def with_link_status(self):
        """Annotate ``is_linked``: in a 邻 that has an active 邻长 (户户有人联)."""
        linked = Q(neighborhood__isnull=False) & self._neighborhood_has_leader()
        return self.annotate(is_linked=ExpressionWrapper(linked, output_field=models.BooleanField()))

    def without_neighborhood(self):
        return self.filter(neighborhood__isnull=True)

    def neighborhood_without_leader(self):
        """In a 邻, but the 邻 has no active 邻长."""
        return self.filter(neighborhood__isnull=False).exclude(self._neighborhood_has_leader())

    def unlinked(self):
        """Households with no 邻, or whose 邻 has no active 邻长 (the union of the two above)."""
        return self.filter(Q(neighborhood__isnull=True) | ~self._neighborhood_has_leader())


# Kept from other rows (the visits', the residents'), never typed: written only by their writes.
KEPT_FIELDS = ("last_visited_on", "resident_count")


class Household(ScopedModel):
    village = models.ForeignKey(
        "governance.Village", on_delete=models.PROTECT, related_name="village_households", verbose_name="村/社区"
    )
    neighborhood = models.ForeignKey(
        "governance.Neighborhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name="所属邻",
        help_text="尚未编入邻的户可暂不填写",
    )
    head_name = models.CharField("户主姓名", max_length=32)
    # The office's own household number (户号) from its roster: how a re-import finds the household.
    household_number = models.CharField("户号", max_length=32, blank=True, default="")
    address = models.CharField("住址", max_length=128, blank=True, default="")
    phone = PhoneField()
    care_categories = models.ManyToManyField(
        CareCategory, blank=True, related_name="households", verbose_name="特殊群体类别"
    )
    note = models.TextField("备注", blank=True, default="")
    # The day of its latest visit, kept with the visits (households.tallies): "contacted in time as of
    # today" without reading the last month's visits. Never typed; not in the household's history.
    last_visited_on = models.DateField("最近走访日期", null=True, blank=True, editable=False)
    # Its residents, kept by Resident's writes (``refresh_resident_counts``): a county's 人数 is a sum
    # over its households, not a join of every resident (~350 thousand) to its household.
    resident_count = models.PositiveIntegerField("人数", default=0, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    submission_token = submission_token_field()

    objects = ScopedManager.from_queryset(HouseholdQuerySet)()
    audit_exclude_fields = list(KEPT_FIELDS)

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["village", "head_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "household_number"],
                condition=~Q(household_number=""),
                name="household_number_unique_in_village",
                violation_error_message="该村/社区已有相同户号的户。",
            ),
        ]
        indexes = [
            models.Index(fields=["head_name"], name="household_head_name_idx"),
            models.Index(fields=["phone"], name="household_phone_idx"),
        ]

    def __str__(self):
        return f"{self.head_name or '（未填户主）'}户"

    @classmethod
    def scope_q(cls, unit):
        return household_scope_q(unit)

    @property
    def contact_interval(self):
        """Weekly for a household in any special-care category, monthly otherwise (seed 002)."""
        special = getattr(self, "is_special", None)
        if special is None:
            special = self.pk is not None and self.care_categories.exists()
        return contact_interval(special)

    def is_minor_record(self):
        """A 留守儿童 household: opening it is logged (core.admin_audit.log_if_minor)."""
        return self.pk is not None and self.care_categories.filter(code=CareCategory.Code.LEFT_BEHIND_CHILD).exists()

    def save(self, *args, **kwargs):
        """A household moved to another village takes its visits' counts along (``households.tallies``);
        its latest visit is the visits' to keep, not the form's."""
        from households import tallies

        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            # Never write the kept fields from an instance read before the latest visit or resident (a form).
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields if not f.primary_key
                                       and f.name not in KEPT_FIELDS]  # fmt: skip
        with transaction.atomic():
            former = None
            if self.pk is not None:
                former = Household._base_manager.filter(pk=self.pk).values_list("village_id", flat=True).first()
            super().save(*args, **kwargs)
            if former is not None and former != self.village_id:
                tallies.recount_households([self.pk], [former])

    def clean(self):
        super().clean()
        if self.neighborhood_id and self.village_id and not self.neighborhood.path.startswith(self.village.path):
            raise ValidationError({"neighborhood": "所选的邻不属于该村/社区。"})


class Resident(ScopedModel):
    class Relation(models.TextChoices):
        HEAD = "head", "户主"
        SPOUSE = "spouse", "配偶"
        CHILD = "child", "子女"
        PARENT = "parent", "父母"
        GRANDCHILD = "grandchild", "孙子女"
        SIBLING = "sibling", "兄弟姐妹"
        OTHER = "other", "其他"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents", verbose_name="户")
    name = models.CharField("姓名", max_length=32)
    id_number = IdNumberField()
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices, default=Relation.OTHER)
    birth_date = models.DateField("出生日期", null=True, blank=True, help_text="填写身份证号后自动得出")
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True, default="")
    phone = PhoneField()

    # The birth date is what ID masking hides: pages and exports show the age instead, and the
    # history leaves it out (it follows the ID number, whose changes are kept masked).
    audit_exclude_fields = ["birth_date"]

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = "居民"
        ordering = ["household", "relation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="resident_id_number_unique",
                violation_error_message="该身份证号不能使用，如有疑问请联系乡镇干部核实。",
            ),
            models.CheckConstraint(
                condition=Q(id_number="") | Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                name="resident_id_number_format",
                violation_error_message="身份证号应为18位：前17位是数字，最后一位是数字或X。",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="resident_name_idx"),
            # Admin search by a member's ID or phone (exact): SQLite cannot use the partial unique
            # index for "id_number = ?" with a bound parameter, and phone had no index at all.
            models.Index(fields=["id_number"], name="resident_id_number_idx"),
            models.Index(fields=["phone"], name="resident_phone_idx"),
        ]

    def __str__(self):
        return self.name or "（未填姓名）"

    @classmethod
    def scope_q(cls, unit):
        return household_scope_q(unit, prefix="household__")

    def age(self, today=None):
        """周岁 today (None without a birth date). One born on 29 February turns a year older on 1 March."""
        birth, today = self.birth_date, today or timezone.localdate()
        if birth is None:
            return None
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))

    def is_minor_record(self):
        """A resident under 18 today: opening the record is logged (core.admin_audit.log_if_minor)."""
        age = self.age()
        return age is not None and age < ADULT_AGE

    def save(self, *args, **kwargs):
        # Birth date and gender are derived from the ID number whenever there is one.
        self.id_number = normalize_id_number(self.id_number)
        if self.id_number and ID_PATTERN.match(self.id_number):
            self.birth_date = id_birth_date(self.id_number) or self.birth_date
            self.gender = id_gender(self.id_number)
        with transaction.atomic():
            former = None
            if self.pk is not None:
                former = Resident._base_manager.filter(pk=self.pk).values_list("household_id", flat=True).first()
            super().save(*args, **kwargs)
            if former != self.household_id:  # new, or moved to another household: both counts follow
                refresh_resident_counts({self.household_id, former})


def refresh_resident_counts(household_ids=None):
    """``Household.resident_count`` counted again (one UPDATE, past the audit log): after a resident is
    added, moved or deleted, and for residents written in bulk (every household when None)."""
    counted = count_of(Resident, "household")
    if household_ids is None:
        Household._base_manager.all().update(resident_count=counted)
        return
    household_ids = sorted(pk for pk in household_ids if pk)
    for start in range(0, len(household_ids), 500):  # an import's thousands, within SQLite's bound parameters
        Household._base_manager.filter(pk__in=household_ids[start : start + 500]).update(resident_count=counted)


def resident_deleted(sender, instance, **kwargs):
    """post_delete of a resident (connected in HouseholdsConfig.ready); its household may be going too."""
    refresh_resident_counts([instance.household_id])
