"""Admin for the unit tree: one page per level (乡镇 → 村 → 片 → 组 → 邻).

Each level's list counts its children in the database and links the count to the child level's
list filtered to that unit (… 邻 → 户); each change page shows the ancestor chain. People and
postings are in ``governance.admin_people``.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin
from core.admin_export import ScopedExportMixin
from core.expressions import related_count
from governance.admin_mixins import (
    LEVEL_MODEL,
    ProtectedDeleteMixin,
    ViewerMixin,
    VillageLabelMixin,
    unit_chain,
    unit_filters,
    with_village_label,
)
from governance.admin_people import UnitPostingInline
from governance.models import Area, County, Neighborhood, Posting, Township, Unit, Village, VillagerGroup
from governance.models.units import (
    LEVEL_ORDER,
    NEIGHBORHOOD_MAX,
    NEIGHBORHOOD_MIN,
    Level,
    NeighborhoodSize,
    is_below_village,
    level_above,
    level_below,
    level_depth,
    neighborhood_size,
    neighborhood_size_q,
)
from governance.resources import NeighborhoodResource

# The single-holder role posted to each level, shown as "在任片长/组长/邻长".
LEVEL_LEADER_ROLE = {
    Level.AREA: Posting.Role.AREA_LEADER,
    Level.VILLAGER_GROUP: Posting.Role.GROUP_LEADER,
    Level.NEIGHBORHOOD: Posting.Role.NEIGHBORHOOD_LEADER,
}


class LevelAdmin(ViewerMixin, VillageLabelMixin, ProtectedDeleteMixin, ScopedModelAdmin):
    """Shared admin for one level of the tree."""

    level = None
    list_display = ["name", "division_code", "parent", "children_link"]
    search_fields = ["name", "division_code"]
    fields = ["ancestor_chain", "parent", "name", "division_code", "contact_phone"]
    readonly_fields = ["ancestor_chain"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [UnitPostingInline]

    @property
    def child_level(self):
        return level_below(self.level)

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(child_count=related_count(Unit, "children"))
        if self.level and is_below_village(self.level):
            qs = with_village_label(qs)
        role = LEVEL_LEADER_ROLE.get(self.level)
        if role:
            active = Posting.objects.filter(unit=OuterRef("pk"), role=role, end_date__isnull=True)
            qs = qs.annotate(leader_name=Subquery(active.values("person__name")[:1]))
        return qs

    def get_list_filter(self, request):
        return [*unit_filters("", self._ancestor_levels()), *super().get_list_filter(request)]

    def _ancestor_levels(self):
        return LEVEL_ORDER[: level_depth(self.level) - 1]

    def get_inline_instances(self, request, obj=None):
        # Postings are added on the change page, once the unit exists.
        return super().get_inline_instances(request, obj) if obj is not None else []

    @admin.display(description="下级数量", ordering="child_count")
    def children_link(self, obj):
        if self.child_level is None:
            return obj.child_count
        url = reverse(f"admin:governance_{LEVEL_MODEL[self.child_level]}_changelist")
        label = f"{obj.child_count} 个{Level(self.child_level).label}"
        return format_html('<a href="{}?{}={}">{}</a>', url, self.level, obj.pk, label)

    @admin.display(description="所属层级")
    def ancestor_chain(self, obj):
        return unit_chain(getattr(obj, "_viewer", None), obj.parent if obj and obj.parent_id else None)

    @admin.display(description="在任负责人", ordering="leader_name")
    def leader(self, obj):
        if obj.leader_name:
            return obj.leader_name
        url = reverse("admin:governance_posting_add")
        role = LEVEL_LEADER_ROLE[self.level]
        return format_html(
            '<a class="flag-warning" href="{}" title="{}">⚠ 空缺</a>',
            f"{url}?unit={obj.pk}&role={role}",
            "新增任职（补选请选择推选方式“补选”）",
        )

    @admin.display(description="所属村/社区", ordering="village_name")
    def village(self, obj):
        return obj.village_name or "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and self.level:
            parent_level = level_above(self.level)
            field.queryset = field.queryset.filter(level=parent_level)
            field.error_messages["invalid_choice"] = f"请选择一个{Level(parent_level).label}作为上级单元。"
        return field


def is_autocomplete(request):
    """The request is the admin site's autocomplete view (URL name ``admin:autocomplete``)."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


@admin.register(Unit)
class UnitAdmin(VillageLabelMixin, ProtectedDeleteMixin, ScopedModelAdmin):
    """The whole tree in one list: for search, and as the autocomplete of any unit."""

    list_display = ["name", "level", "division_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "division_code", "parent__name", "parent__parent__name", "parent__parent__parent__name"]
    list_select_related = ["parent"]
    fields = ["parent", "level", "name", "kind", "division_code", "contact_phone"]
    autocomplete_fields = ["parent"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def get_queryset(self, request):
        return with_village_label(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        """Autocomplete offers only units of the level the source field can take."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if is_autocomplete(request):
            model_name, field_name = request.GET.get("model_name", ""), request.GET.get("field_name", "")
            source_level = {v: k for k, v in LEVEL_MODEL.items()}.get(model_name)
            if field_name == "parent" and source_level and source_level != Level.COUNTY:
                queryset = queryset.filter(level=level_above(source_level))
            elif model_name == "posting" and field_name == "unit":
                queryset = queryset.filter(
                    level__in=[Level.VILLAGE, Level.AREA, Level.VILLAGER_GROUP, Level.NEIGHBORHOOD]
                )
        return queryset, may_have_duplicates


@admin.register(County)
class CountyAdmin(LevelAdmin):
    level = Level.COUNTY
    fields = ["name", "division_code", "contact_phone"]
    readonly_fields = []
    list_display = ["name", "division_code", "children_link"]
    inlines = []


@admin.register(Township)
class TownshipAdmin(LevelAdmin):
    level = Level.TOWNSHIP
    inlines = []


@admin.register(Village)
class VillageAdmin(LevelAdmin):
    level = Level.VILLAGE
    list_display = ["name", "kind", "division_code", "parent", "children_link", "households_link", "contact_phone"]
    list_filter = ["kind"]
    fields = ["ancestor_chain", "parent", "name", "kind", "division_code", "contact_phone"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(household_count=related_count(Unit, "village_households"))

    @admin.display(description="户数", ordering="household_count")
    def households_link(self, obj):
        url = reverse("admin:households_household_changelist")
        return format_html('<a href="{}?village={}">{} 户</a>', url, obj.pk, obj.household_count)


@admin.register(Area)
class AreaAdmin(LevelAdmin):
    level = Level.AREA
    list_display = ["name", "parent", "leader", "children_link"]


@admin.register(VillagerGroup)
class VillagerGroupAdmin(LevelAdmin):
    level = Level.VILLAGER_GROUP
    list_display = ["name", "village", "parent", "leader", "children_link"]


class HouseholdSizeFilter(admin.SimpleListFilter):
    title = "户数是否合规"
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return NeighborhoodSize.choices

    def queryset(self, request, queryset):
        """The admin's queryset is annotated ``household_count`` already (NeighborhoodAdmin)."""
        if self.value() in NeighborhoodSize.values:
            return queryset.filter(neighborhood_size_q(self.value()))
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


def household_count_flag(count):
    if neighborhood_size(count) == NeighborhoodSize.OK:
        return f"{count} 户"
    return format_html(
        '<span class="flag-warning" title="邻的规模应为{}-{}户">⚠ {} 户（应为{}-{}户）</span>',
        NEIGHBORHOOD_MIN,
        NEIGHBORHOOD_MAX,
        count,
        NEIGHBORHOOD_MIN,
        NEIGHBORHOOD_MAX,
    )


@admin.register(Neighborhood)
class NeighborhoodAdmin(ScopedExportMixin, LevelAdmin):
    resource_classes = [NeighborhoodResource]
    level = Level.NEIGHBORHOOD
    list_display = ["name", "village", "parent", "leader", "households_link"]
    list_filter = [HouseholdSizeFilter, LeaderFilter]
    search_fields = ["name", "parent__name", "parent__parent__name", "parent__parent__parent__name"]
    fields = ["ancestor_chain", "parent", "name", "division_code", "size"]
    readonly_fields = ["ancestor_chain", "size"]

    def get_queryset(self, request):
        active_leader = Posting.objects.filter(
            unit=OuterRef("pk"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
        )
        return super().get_queryset(request).with_household_count().annotate(has_leader=Exists(active_leader))

    @admin.display(description="户数", ordering="household_count")
    def households_link(self, obj):
        url = reverse("admin:households_household_changelist")
        return format_html(
            '<a href="{}?neighborhood={}">{}</a>', url, obj.pk, household_count_flag(obj.household_count)
        )

    @admin.display(description="户数")
    def size(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return household_count_flag(getattr(obj, "household_count", None) or obj.households.count())
