"""Admin for the unit tree (one page per level), the 三长 roster and their postings.

Each level's list counts its children in the database and links the count to the child level's
list filtered to that unit (乡镇 → 村 → 片 → 组 → 邻 → 户); each change page shows the ancestor
chain. Postings end through ``governance.services`` (the 办理离任 action), never by deletion.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from governance.admin_mixins import (
    LEVEL_MODEL,
    ProtectedDeleteMixin,
    count_of,
    exact_search,
    unit_chain,
    unit_filters,
)
from governance.models import Area, County, Neighborhood, Person, Posting, Township, Unit, Village, VillagerGroup
from governance.models.units import LEVEL_ORDER, Level, level_depth
from governance.services import ACTIVE_LEADER_TAKEN, end_posting

NEIGHBORHOOD_MIN, NEIGHBORHOOD_MAX = 5, 15
# The single-holder role posted to each level, shown as "在任片长/组长/邻长".
LEVEL_LEADER_ROLE = {
    Level.AREA: Posting.Role.AREA_LEADER,
    Level.VILLAGER_GROUP: Posting.Role.GROUP_LEADER,
    Level.NEIGHBORHOOD: Posting.Role.NEIGHBORHOOD_LEADER,
}


class PostingInlineFormSet(BaseInlineFormSet):
    """Checks across the rows of one submit that the per-row validation cannot see.

    Row validation skips constraints on the inline's own foreign key, and two new rows never see
    each other: both would reach the database constraint and fail as a 500.
    """

    def clean(self):
        super().clean()
        rows = [f for f in self.forms if f.is_valid() and f.has_changed() and not self._should_delete_form(f)]
        own_pks = [f.instance.pk for f in self.forms if f.instance.pk]
        leaders, holders = {}, {}
        for form in rows:
            posting = form.instance
            if posting.end_date is not None or not posting.unit_id or not posting.person_id:
                continue
            key = (posting.unit_id, posting.role)
            if posting.role in Posting.SINGLE_HOLDER_ROLES:
                if key in leaders:
                    form.add_error(None, f"同一单元只能有一名在任的{posting.get_role_display()}，本次提交填写了两名。")
                    continue
                leaders[key] = form
                current = (
                    Posting.objects.filter(unit_id=posting.unit_id, role=posting.role, end_date__isnull=True)
                    .exclude(pk__in=own_pks)
                    .select_related("person")
                    .first()
                )
                if current is not None:
                    form.add_error(
                        None, ACTIVE_LEADER_TAKEN.format(role=posting.get_role_display(), name=current.person)
                    )
                    continue
            if (posting.person_id, *key) in holders:
                form.add_error(None, "此人已在该单元担任该职务，本次提交重复填写。")
            holders[(posting.person_id, *key)] = form


class PostingInlineBase(ScopedTabularInline):
    model = Posting
    formset = PostingInlineFormSet
    can_delete = False  # a posting ends (离任) and stays as history

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "unit")


class PostingInline(PostingInlineBase):
    fields = ["role", "unit", "start_date", "selection_method", "end_date", "end_reason", "note"]
    autocomplete_fields = ["unit"]
    verbose_name_plural = "任职记录（离任请填写离任日期和原因，记录会保留）"


class UnitPostingInline(PostingInlineBase):
    fields = ["person", "role", "start_date", "selection_method", "end_date", "end_reason", "note"]
    autocomplete_fields = ["person"]
    verbose_name_plural = "任职人员（离任请填写离任日期和原因，记录会保留）"


class LevelAdmin(ProtectedDeleteMixin, ScopedModelAdmin):
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
        depth = level_depth(self.level)
        return LEVEL_ORDER[depth] if depth < len(LEVEL_ORDER) else None

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(child_count=count_of(Unit, "parent"))
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
        return obj.leader_name or mark_safe('<span class="flag-warning">⚠ 空缺</span>')

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._viewer = request.user  # the ancestor chain links only what this user may open
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and self.level:
            parent_level = LEVEL_ORDER[level_depth(self.level) - 2]
            field.queryset = field.queryset.filter(level=parent_level)
            field.error_messages["invalid_choice"] = f"请选择一个{Level(parent_level).label}作为上级单元。"
        return field


@admin.register(Unit)
class UnitAdmin(ProtectedDeleteMixin, ScopedModelAdmin):
    """The whole tree in one list: for search, and as the autocomplete of any unit."""

    list_display = ["name", "level", "division_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "division_code", "parent__name"]
    list_select_related = ["parent"]
    fields = ["parent", "level", "name", "kind", "division_code", "contact_phone"]
    autocomplete_fields = ["parent"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def get_search_results(self, request, queryset, search_term):
        """Autocomplete offers only units of the level the source field can take."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            model_name, field_name = request.GET.get("model_name", ""), request.GET.get("field_name", "")
            source_level = {v: k for k, v in LEVEL_MODEL.items()}.get(model_name)
            if field_name == "parent" and source_level and source_level != Level.COUNTY:
                queryset = queryset.filter(level=LEVEL_ORDER[level_depth(source_level) - 2])
            elif model_name in ("posting", "person") and field_name == "unit":
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
        from households.models import Household

        return super().get_queryset(request).annotate(household_count=count_of(Household, "village"))

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
    list_display = ["name", "parent", "leader", "children_link"]


class HouseholdSizeFilter(admin.SimpleListFilter):
    title = "户数是否合规"
    parameter_name = "size"

    def lookups(self, request, model_admin):
        return [
            ("small", f"少于{NEIGHBORHOOD_MIN}户"),
            ("large", f"多于{NEIGHBORHOOD_MAX}户"),
            ("ok", "合规（5-15户）"),
        ]

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


def household_count_flag(count):
    if NEIGHBORHOOD_MIN <= count <= NEIGHBORHOOD_MAX:
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
class NeighborhoodAdmin(LevelAdmin):
    level = Level.NEIGHBORHOOD
    list_display = ["name", "parent", "leader", "households_link"]
    list_filter = [HouseholdSizeFilter, LeaderFilter]
    search_fields = ["name", "parent__name", "parent__parent__name", "parent__parent__parent__name"]
    fields = ["ancestor_chain", "parent", "name", "division_code", "size"]
    readonly_fields = ["ancestor_chain", "size"]

    def get_queryset(self, request):
        from households.models import Household

        active_leader = Posting.objects.filter(
            unit=OuterRef("pk"), role=Posting.Role.NEIGHBORHOOD_LEADER, end_date__isnull=True
        )
        return (
            super()
            .get_queryset(request)
            .annotate(household_count=count_of(Household, "neighborhood"), has_leader=Exists(active_leader))
        )

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


@admin.register(Person)
class PersonAdmin(ProtectedDeleteMixin, ScopedModelAdmin):
    list_display = ["name", "village", "gender", "phone", "is_party_member", "is_reserve", "active_roles"]
    list_filter = [
        *unit_filters("village", [Level.TOWNSHIP, Level.VILLAGE]),
        "is_party_member",
        "is_reserve",
        "gender",
        "postings__role",
    ]
    search_fields = ["name"]
    search_help_text = "可输入姓名、手机号或身份证号"
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

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def get_search_results(self, request, queryset, search_term):
        exact = exact_search(search_term, id_fields=["id_number"], phone_fields=["phone"])
        if exact is not None:
            return queryset.filter(exact), False
        return super().get_search_results(request, queryset, search_term.strip())

    @admin.display(description="现任职务")
    def active_roles(self, obj):
        postings = getattr(obj, "active_postings", None)
        if postings is None:
            return "—"
        return "、".join(p.get_role_display() for p in postings) or "—"


class EndPostingForm(forms.Form):
    end_date = forms.DateField(label="离任日期", widget=forms.DateInput(attrs={"type": "date"}))
    end_reason = forms.ChoiceField(label="离任原因", choices=[("", "---------"), *Posting.EndReason.choices])


@admin.register(Posting)
class PostingAdmin(ScopedModelAdmin):
    list_display = ["person", "role", "unit", "start_date", "selection_method", "end_date", "end_reason"]
    list_filter = [
        *unit_filters("unit", [Level.TOWNSHIP, Level.VILLAGE, Level.AREA, Level.VILLAGER_GROUP]),
        "role",
        ("end_date", admin.EmptyFieldListFilter),
        "end_reason",
        "selection_method",
    ]
    search_fields = ["person__name", "unit__name"]
    autocomplete_fields = ["person", "unit"]
    list_select_related = ["person", "unit"]
    date_hierarchy = "start_date"
    actions = ["end_postings"]
    fields = ["person", "role", "unit", "start_date", "selection_method", "end_date", "end_reason", "note"]

    def has_delete_permission(self, request, obj=None):
        # History is kept: a posting ends (办理离任); only a superuser removes a mistaken entry.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.action(description="办理离任", permissions=["change"])
    def end_postings(self, request, queryset):
        form = EndPostingForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            postings = list(queryset.select_related("person", "unit"))
            try:
                with transaction.atomic():
                    for posting in postings:
                        current = posting
                        end_posting(
                            posting=posting,
                            end_date=form.cleaned_data["end_date"],
                            end_reason=form.cleaned_data["end_reason"],
                            actor=request.user,
                        )
            except ValidationError as exc:
                text = "；".join(exc.messages)
                self.message_user(request, f"“{current}”无法办理离任：{text} 所选任职均未办理。", messages.ERROR)
            else:
                self.message_user(request, f"已为 {len(postings)} 条任职办理离任，记录已保留在任职历史中。")
                return None
        elif not form.is_bound:
            form = EndPostingForm(initial={"end_date": timezone.localdate()})
        context = {
            **self.admin_site.each_context(request),
            "title": "办理离任",
            "opts": self.model._meta,
            "form": form,
            "postings": queryset.select_related("person", "unit"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/governance/posting/end_postings.html", context)
