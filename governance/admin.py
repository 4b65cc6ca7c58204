"""Admin for the unit tree (one page per level) and the 三长 roster."""

from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_export import ScopedExportMixin
from governance.models import Area, County, Neighborhood, Person, Posting, Township, Unit, Village, VillagerGroup
from governance.models.units import Level
from governance.resources import NeighborhoodResource, PersonResource, PostingResource

NEIGHBORHOOD_MIN, NEIGHBORHOOD_MAX = 5, 15


class PostingInline(ScopedTabularInline):
    model = Posting
    fields = ["role", "unit", "start_date", "end_date", "selection_method", "end_reason"]
    autocomplete_fields = ["unit"]


class UnitPostingInline(ScopedTabularInline):
    model = Posting
    fields = ["person", "role", "start_date", "end_date", "selection_method", "end_reason"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "任职人员"


class LevelAdmin(ScopedModelAdmin):
    """Shared admin for one level of the tree; subclasses name the child relation they count."""

    level = None
    child_label = ""
    list_display = ["name", "division_code", "parent", "child_count"]
    search_fields = ["name", "division_code"]
    fields = ["parent", "name", "division_code", "contact_phone"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [UnitPostingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(child_count=Count("children", distinct=True))

    @admin.display(description="下级数量", ordering="child_count")
    def child_count(self, obj):
        return obj.child_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and self.level:
            parent_level = Level.values[Level.values.index(self.level) - 1]
            field.queryset = field.queryset.filter(level=parent_level)
        return field


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin):
    """The whole tree in one list (for search and for autocomplete of any unit)."""

    list_display = ["name", "level", "division_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "division_code"]
    list_select_related = ["parent"]
    fields = ["parent", "level", "name", "kind", "division_code", "contact_phone"]
    autocomplete_fields = ["parent"]

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(County)
class CountyAdmin(LevelAdmin):
    level = Level.COUNTY
    fields = ["name", "division_code", "contact_phone"]
    inlines = []


@admin.register(Township)
class TownshipAdmin(LevelAdmin):
    level = Level.TOWNSHIP
    inlines = []


@admin.register(Village)
class VillageAdmin(LevelAdmin):
    level = Level.VILLAGE
    list_display = ["name", "kind", "division_code", "parent", "child_count", "contact_phone"]
    list_filter = ["kind"]
    fields = ["parent", "name", "kind", "division_code", "contact_phone"]


@admin.register(Area)
class AreaAdmin(LevelAdmin):
    level = Level.AREA


@admin.register(VillagerGroup)
class VillagerGroupAdmin(LevelAdmin):
    level = Level.VILLAGER_GROUP
    list_display = ["name", "parent", "child_count"]


class HouseholdSizeFilter(admin.SimpleListFilter):
    title = "户数是否合规"
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return [("small", f"少于{NEIGHBORHOOD_MIN}户"), ("large", f"多于{NEIGHBORHOOD_MAX}户"), ("ok", "合规")]

    def queryset(self, request, queryset):
        if self.value() == "small":
            return queryset.filter(household_count__lt=NEIGHBORHOOD_MIN)
        if self.value() == "large":
            return queryset.filter(household_count__gt=NEIGHBORHOOD_MAX)
        if self.value() == "ok":
            return queryset.filter(household_count__gte=NEIGHBORHOOD_MIN, household_count__lte=NEIGHBORHOOD_MAX)
        return queryset


class LeaderFilter(admin.SimpleListFilter):
    title = "邻长"
    parameter_name = "leader"

    def lookups(self, request, model_admin):
        return [("none", "无在任邻长"), ("yes", "有在任邻长")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(has_leader=False)
        if self.value() == "yes":
            return queryset.filter(has_leader=True)
        return queryset


@admin.register(Neighborhood)
class NeighborhoodAdmin(ScopedExportMixin, LevelAdmin):
    resource_classes = [NeighborhoodResource]
    level = Level.NEIGHBORHOOD
    list_display = ["name", "parent", "household_count_flag", "has_leader_flag"]
    list_filter = [HouseholdSizeFilter, LeaderFilter]

    def get_queryset(self, request):
        active_leader = Posting.objects.filter(
            unit=OuterRef("pk"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
        )
        return ScopedModelAdmin.get_queryset(self, request).annotate(
            household_count=Count("households"), has_leader=Exists(active_leader)
        )

    @admin.display(description="户数", ordering="household_count")
    def household_count_flag(self, obj):
        if NEIGHBORHOOD_MIN <= obj.household_count <= NEIGHBORHOOD_MAX:
            return obj.household_count
        return format_html('<span class="flag-warning" title="邻的规模应为5-15户">⚠ {} 户</span>', obj.household_count)

    @admin.display(description="在任邻长", boolean=True, ordering="has_leader")
    def has_leader_flag(self, obj):
        return obj.has_leader


@admin.register(Person)
class PersonAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "village", "gender", "phone", "is_party_member", "is_reserve", "active_roles"]
    list_filter = ["is_party_member", "is_reserve", "gender", "postings__role"]
    search_fields = ["name", "=phone", "=id_number"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    inlines = [PostingInline]
    fields = ["village", "name", "gender", "phone", "id_number", "is_party_member", "education", "is_reserve", "note"]

    def get_queryset(self, request):
        active = Posting.objects.filter(end_date__isnull=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("postings", queryset=active, to_attr="active_postings"))
        )

    @admin.display(description="现任职务")
    def active_roles(self, obj):
        return "、".join(p.get_role_display() for p in obj.active_postings) or "—"


@admin.register(Posting)
class PostingAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [PostingResource]
    list_display = ["person", "role", "unit", "start_date", "end_date", "end_reason"]
    list_filter = ["role", "end_reason", "selection_method", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["person__name", "unit__name"]
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit"]
    date_hierarchy = "start_date"
