"""Admin for households and residents: search by name, phone or ID in one indexed query."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Q

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_export import ScopedExportMixin, ScopedImportExportMixin
from core.validators import ID_PATTERN, MOBILE_PATTERN, normalize_id_number, normalize_phone
from governance.models import Posting
from households.models import CareCategory, Household, Resident
from households.resources import HouseholdResource, ResidentResource


class ResidentInline(ScopedTabularInline):
    model = Resident
    fields = ["name", "relation", "id_number", "gender", "birth_date", "phone"]
    readonly_fields = ["gender", "birth_date"]


class UnitFilter(admin.SimpleListFilter):
    """Filter by any unit under the user's own, chosen from a scoped list."""

    parameter_name = "unit"
    title = "所属单元"
    level = None
    lookup = None

    def lookups(self, request, model_admin):
        from governance.models import Unit

        units = Unit.objects.restrict(request.user).filter(level=self.level).only("id", "name")
        return [(str(u.pk), u.name) for u in units[:500]]

    def queryset(self, request, queryset):
        from governance.models import Unit

        if not self.value():
            return queryset
        if not str(self.value()).isdigit():  # a forged or mangled id matches nothing (no 500)
            return queryset.none()
        unit = Unit.objects.restrict(request.user).filter(pk=self.value(), level=self.level).first()
        if unit is None:
            return queryset.none()
        return queryset.filter(**{f"{self.lookup}__path__startswith": unit.path})


def unit_filter(level, title, lookup):
    return type(
        f"{level.title()}Filter",
        (UnitFilter,),
        {"level": level, "title": title, "parameter_name": level, "lookup": lookup},
    )


class LinkFilter(admin.SimpleListFilter):
    title = "联户情况"
    parameter_name = "link"

    def lookups(self, request, model_admin):
        return [("no_neighborhood", "未编入邻"), ("no_leader", "所在邻无在任邻长"), ("unlinked", "未联户（以上两种）")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "no_neighborhood":
            return queryset.filter(neighborhood__isnull=True)
        if value == "no_leader":
            active = Posting.objects.filter(
                unit=OuterRef("neighborhood"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
            )
            return queryset.filter(neighborhood__isnull=False).exclude(Exists(active))
        if value == "unlinked":
            return queryset.unlinked()
        return queryset


class HouseholdForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["village", "neighborhood", "head_name", "address", "phone", "care_categories", "note"]
        widgets = {"care_categories": forms.CheckboxSelectMultiple}


@admin.register(Household)
class HouseholdAdmin(ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [HouseholdResource]
    form = HouseholdForm
    list_display = ["head_name", "village", "neighborhood", "phone", "member_count", "categories"]
    list_filter = [
        unit_filter("township", "乡镇/街道", "village"),
        unit_filter("village", "村/社区", "village"),
        unit_filter("area", "片", "neighborhood"),
        unit_filter("villager_group", "组", "neighborhood"),
        LinkFilter,
        "care_categories",
    ]
    search_fields = ["head_name"]
    search_help_text = "可输入户主姓名、电话或家庭成员身份证号"
    autocomplete_fields = ["village", "neighborhood"]
    list_select_related = ["village", "neighborhood"]
    inlines = [ResidentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("residents", distinct=True))
            .prefetch_related("care_categories")
        )

    def get_search_results(self, request, queryset, search_term):
        """An ID number or a phone is an exact, indexed lookup; anything else matches names."""
        term = search_term.strip()
        if not term:
            return queryset, False
        id_number = normalize_id_number(term)
        if ID_PATTERN.match(id_number):
            return queryset.filter(
                Exists(Resident.objects.filter(household=OuterRef("pk"), id_number=id_number))
            ), False
        phone = normalize_phone(term)
        if MOBILE_PATTERN.match(phone) or (phone.startswith("0") and "-" in phone):
            residents = Resident.objects.filter(household=OuterRef("pk"), phone=phone)
            return queryset.filter(Exists(residents) | Q(phone=phone)), False
        return queryset.filter(head_name__contains=term), False

    @admin.display(description="人数", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description="特殊群体")
    def categories(self, obj):
        return "、".join(c.name for c in obj.care_categories.all()) or "—"


@admin.register(Resident)
class ResidentAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [ResidentResource]
    list_display = ["name", "household", "relation", "gender", "birth_date", "phone"]
    list_filter = ["relation", "gender"]
    search_fields = ["name", "=id_number", "=phone"]
    autocomplete_fields = ["household"]
    list_select_related = ["household"]
    readonly_fields = ["gender", "birth_date"]


@admin.register(CareCategory)
class CareCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
