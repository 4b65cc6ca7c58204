"""Admin for the visit log (民情记录本): scoped list with filters, autocompletes, fixed query count."""

from django.contrib import admin

from core.admin_base import ScopedModelAdmin
from core.admin_export import ScopedExportMixin
from core.paginator import CachedCountPaginator
from governance.admin_mixins import unit_filters
from households.admin import HOUSEHOLD_FILTER_LOOKUPS, HOUSEHOLD_LEVELS
from households.ledgers import VISIT_LEDGER
from households.models import Visit
from households.resources import VisitResource

VISIT_FILTER_LOOKUPS = {level: f"household__{lookup}" for level, lookup in HOUSEHOLD_FILTER_LOOKUPS.items()}


@admin.register(Visit)
class VisitAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [VisitResource]
    ledger = VISIT_LEDGER  # a sheet per month (a county's year is ~1.2M rows), or take CSV
    list_display = ["visited_on", "household", "neighborhood", "visitor", "method", "hazard", "problem_found"]
    list_display_links = ["visited_on", "household"]
    # The unit filters let a figure of the unit page (reports/overview) link to the visits it counts.
    list_filter = [
        *unit_filters("household__village", HOUSEHOLD_LEVELS, VISIT_FILTER_LOOKUPS),
        "method",
        "hazard",
        "problem_found",
    ]
    date_hierarchy = "visited_on"
    paginator = CachedCountPaginator  # a county's year is over a million rows
    search_fields = ["household__head_name", "visitor__name", "topic"]
    search_help_text = "可输入户主姓名、走访人姓名或交谈内容"
    autocomplete_fields = ["household", "visitor"]
    list_select_related = ["household__neighborhood", "visitor"]
    readonly_fields = ["recorded_by", "created_at"]
    fields = [
        "household",
        "visitor",
        "visited_on",
        "method",
        "topic",
        "hazard",
        "problem_found",
        "recorded_by",
        "created_at",
    ]
    change_list_template = "admin/households/visit/change_list.html"

    @admin.display(description="所属邻", ordering="household__neighborhood__path")
    def neighborhood(self, obj):
        return obj.household.neighborhood or "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
