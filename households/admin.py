"""Admin for households and residents.

Search finds a household by the head's name, a phone (the household's or a member's) or a
member's ID number (normalised, exact, indexed). Filters cascade 乡镇 → 村 → 片 → 组 → 邻 and show
which households are not linked (联户情况). Residents are edited inline on the household.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.safestring import mark_safe

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_export import ScopedExportMixin
from core.admin_import import SheetImportMixin
from core.paginator import CachedCountPaginator
from core.submission import FORM_FIELD, SubmissionTokenModelFormMixin
from core.validators import normalize_id_number
from governance.admin import NEIGHBORHOOD_MAX, NEIGHBORHOOD_MIN
from governance.admin_mixins import (
    ProtectedDeleteMixin,
    ViewerMixin,
    VillageLabelMixin,
    exact_search,
    unit_chain,
    unit_filters,
)
from governance.models.units import Level
from households.contact import due_q
from households.imports.describe import HOUSEHOLD_IMPORTER
from households.ledgers import HOUSEHOLD_LEDGER, RESIDENT_LEDGER
from households.models import CareCategory, Household, Resident
from households.resources import HouseholdResource, ResidentResource
from households.selectors import with_last_visit

HOUSEHOLD_LEVELS = [Level.TOWNSHIP, Level.VILLAGE, Level.AREA, Level.VILLAGER_GROUP, Level.NEIGHBORHOOD]
# Township and village filter through the household's village; below, through its 邻.
HOUSEHOLD_FILTER_LOOKUPS = {
    Level.AREA: "neighborhood",
    Level.VILLAGER_GROUP: "neighborhood",
    Level.NEIGHBORHOOD: "neighborhood",
}


class ResidentInlineFormSet(BaseInlineFormSet):
    """Two members of one submit with the same ID (in any spelling) are refused here, not as a 500."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            number = normalize_id_number(form.cleaned_data.get("id_number", ""))
            if not number:
                continue
            if number in seen:
                form.add_error("id_number", f"该身份证号与本户成员“{seen[number]}”重复，同一身份证号只能登记一次。")
            else:
                seen[number] = form.cleaned_data.get("name", "")


@admin.display(description="年龄")
def age(resident):
    """The age, never the birth date: the birth date is what the masked ID number hides."""
    value = resident.age() if resident.pk else None
    return "—" if value is None else f"{value}岁"


class ResidentInline(ScopedTabularInline):
    model = Resident
    formset = ResidentInlineFormSet
    fields = ["name", "relation", "id_number", "gender", age, "phone"]
    readonly_fields = ["gender", age]
    verbose_name_plural = "家庭成员（年龄和性别由身份证号自动得出）"


class LinkFilter(admin.SimpleListFilter):
    """联户情况: the same querysets as ``Household.objects.unlinked()`` and its two parts."""

    title = "联户情况"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [
            ("unlinked", "未联户（未编入邻或邻无在任邻长）"),
            ("no_neighborhood", "未编入邻"),
            ("no_leader", "所在邻无在任邻长"),
            ("linked", "已联户"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "no_neighborhood":
            return queryset.without_neighborhood()
        if value == "no_leader":
            return queryset.neighborhood_without_leader()
        if value == "unlinked":
            return queryset.unlinked()
        if value == "linked":
            return queryset.exclude(pk__in=Household.objects.unlinked().values("pk"))
        return queryset


class SpecialFilter(admin.SimpleListFilter):
    title = "是否特殊群体户"
    parameter_name = "special"

    def lookups(self, request, model_admin):
        return [("yes", "特殊群体户（每周联系）"), ("no", "普通户（每月联系）")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.with_special().filter(is_special=self.value() == "yes")
        return queryset


class HouseholdForm(SubmissionTokenModelFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["village", "neighborhood", "head_name", "address", "phone", "care_categories", "note"]
        widgets = {"care_categories": forms.CheckboxSelectMultiple}


class ContactFilter(admin.SimpleListFilter):
    """联系情况 as of today, by the contact rule's one definition (``households.contact.due_q``)."""

    title = "联系情况（截至今天）"
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [("ok", "按期联系"), ("due", "超期未联系")]

    def queryset(self, request, queryset):
        if self.value() not in ("ok", "due"):
            return queryset
        today = timezone.localdate()
        queryset, due = with_last_visit(queryset, as_of=today), due_q(today)
        return queryset.filter(due) if self.value() == "due" else queryset.exclude(due)


@admin.register(Household)
class HouseholdAdmin(
    SheetImportMixin, ScopedExportMixin, ViewerMixin, VillageLabelMixin, ProtectedDeleteMixin, ScopedModelAdmin
):
    resource_classes = [HouseholdResource]
    ledger = HOUSEHOLD_LEDGER
    sheet_importer = HOUSEHOLD_IMPORTER
    form = HouseholdForm
    show_facets = admin.ShowFacets.NEVER  # per-choice counts over 100k rows cost seconds
    paginator = CachedCountPaginator  # the most opened list: its total is counted once a minute (issue 15)
    list_display = ["head_name", "village", "neighborhood", "phone", "member_count", "categories", "linked"]
    list_filter = [
        *unit_filters("village", HOUSEHOLD_LEVELS, HOUSEHOLD_FILTER_LOOKUPS),
        LinkFilter,
        SpecialFilter,
        ContactFilter,
        "care_categories",
    ]
    search_fields = ["head_name"]
    search_help_text = "可输入户主姓名、电话（户主或成员）或家庭成员身份证号"
    autocomplete_fields = ["village", "neighborhood"]
    list_select_related = ["village", "neighborhood"]
    readonly_fields = ["unit_chain_display"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "unit_chain_display",
                    "village",
                    "neighborhood",
                    "household_number",
                    "head_name",
                    "address",
                    "phone",
                ]
            },
        ),
        (
            "特殊群体",
            {"fields": ["care_categories"], "description": "有任一特殊群体类别的户每周至少联系一次，其余每月一次。"},
        ),
        (None, {"fields": ["note"]}),
    ]
    inlines = [ResidentInline]

    def get_fieldsets(self, request, obj=None):
        """A new household's form carries the one-time token (a double click saves it once)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fieldsets = [*fieldsets[:-1], (None, {"fields": [*fieldsets[-1][1]["fields"], FORM_FIELD]})]
        return fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_link_status()
            # A plain list per row: a prefetch into the related manager builds a filtered queryset
            # for each of the 50 rows (about 2 ms of the list's 25, issue 15).
            .prefetch_related(Prefetch("care_categories", to_attr="care_list"))
        )

    def get_changeform_initial_data(self, request):
        """A village cadre adds households to their own village without picking it."""
        initial = super().get_changeform_initial_data(request)
        unit = getattr(request.user, "unit", None)
        if unit is not None and unit.level == Level.VILLAGE:
            initial.setdefault("village", unit.pk)
        return initial

    def get_search_results(self, request, queryset, search_term):
        """An ID number or a phone is an exact, indexed lookup; anything else matches the head's name."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_id = exact_search(term, id_fields=["id_number"])
        if by_id is not None:
            return queryset.filter(pk__in=Resident._base_manager.filter(by_id).values("household_id")), False
        by_phone = exact_search(term, phone_fields=["phone"])
        if by_phone is not None:
            # Two indexed lookups joined by UNION: an OR across the two tables would scan.
            heads = Household._base_manager.filter(by_phone).order_by().values("pk")
            members = Resident._base_manager.filter(by_phone).order_by().values("household_id")
            return queryset.filter(pk__in=heads.union(members)), False
        return queryset.filter(head_name__contains=term), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        neighborhood = form.instance.neighborhood
        if neighborhood is not None:
            count = Household.objects.filter(neighborhood=neighborhood).count()
            if not NEIGHBORHOOD_MIN <= count <= NEIGHBORHOOD_MAX:
                self.message_user(
                    request,
                    f"提示：“{neighborhood}”现有 {count} 户，邻的规模一般为{NEIGHBORHOOD_MIN}-{NEIGHBORHOOD_MAX}户，"
                    "请考虑调整（已保存，不影响使用）。",
                    messages.WARNING,
                )

    @admin.display(description="所属层级")
    def unit_chain_display(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return unit_chain(getattr(obj, "_viewer", None), obj.neighborhood or obj.village)

    @admin.display(description="人数", ordering="resident_count")
    def member_count(self, obj):
        return obj.resident_count

    @admin.display(description="特殊群体")
    def categories(self, obj):
        categories = getattr(obj, "care_list", None)
        if categories is None:
            categories = obj.care_categories.all()
        return "、".join(c.name for c in categories) or "—"

    @admin.display(description="联户", ordering="is_linked")
    def linked(self, obj):
        if obj.is_linked:
            return "已联户"
        if obj.neighborhood_id is None:
            return mark_safe('<span class="flag-warning">⚠ 未编入邻</span>')
        return mark_safe('<span class="flag-warning">⚠ 邻无在任邻长</span>')


@admin.register(Resident)
class ResidentAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [ResidentResource]
    ledger = RESIDENT_LEDGER
    show_facets = admin.ShowFacets.NEVER
    # Members of one household together, without joining 356k rows to their villages to sort.
    ordering = ["household_id", "id"]
    list_display = ["name", "household", "relation", "gender", age, "phone"]
    list_filter = [
        *unit_filters(
            "household__village", HOUSEHOLD_LEVELS, {k: f"household__{v}" for k, v in HOUSEHOLD_FILTER_LOOKUPS.items()}
        ),
        "relation",
        "gender",
    ]
    search_fields = ["name"]
    search_help_text = "可输入姓名、手机号或身份证号"
    autocomplete_fields = ["household"]
    list_select_related = ["household"]
    fields = ["household", "name", "relation", "id_number", "gender", age, "phone"]
    readonly_fields = ["gender", age]

    def get_search_results(self, request, queryset, search_term):
        exact = exact_search(search_term, id_fields=["id_number"], phone_fields=["phone"])
        if exact is not None:
            return queryset.filter(exact), False
        return super().get_search_results(request, queryset, search_term.strip())


@admin.register(CareCategory)
class CareCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]


from households import admin_visits  # noqa: E402,F401  (VisitAdmin lives in its own module)
