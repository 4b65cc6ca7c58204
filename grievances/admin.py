"""Admin for grievances: scoped changelist with deadline filters, registration through the service,
a read-only detail page with the timeline and one button per legal transition (the workflow kit's
admin mixin). Statistics are report pages (reports/), outside the admin's model pages.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin
from core.admin_export import ScopedExportMixin
from core.paginator import CachedCountPaginator
from core.submission import FORM_FIELD
from core.workflow.admin import WorkflowAdminMixin
from governance.admin_mixins import unit_filters
from governance.models import Unit
from grievances.forms import TRANSITION_FORMS, GrievanceAddForm, GrievanceChangeForm
from grievances.ledgers import GRIEVANCE_LEDGER
from grievances.models import DEADLINE_LISTS, Grievance, GrievanceCategory
from grievances.resources import GrievanceResource
from grievances.services import EDITABLE_FIELDS, WORKFLOW, register_grievance, update_details


class DeadlineFilter(admin.SimpleListFilter):
    title = "期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return DEADLINE_LISTS

    def queryset(self, request, queryset):
        if self.value() in dict(DEADLINE_LISTS):
            return queryset.deadline(self.value(), timezone.localdate())
        return queryset


# The scoped, cascading 乡镇 → 村 filter every admin uses (governance.admin_mixins.UnitFilter).
PLACE_FILTERS = unit_filters("village", [Unit.Level.TOWNSHIP, Unit.Level.VILLAGE])


DETAIL_FIELDSETS = [
    ("反映人", {"fields": ["village", "household", "reporter_name", "reporter_phone", "visit"]}),
    ("诉求", {"fields": ["channel", "category", "description", "urgency", "received_by", "received_on", "due_date"]}),
    (
        "办理",
        {
            "fields": [
                "status",
                "handling_mode",
                "escalated_to",
                "escalation_reply",
                "resolution",
                "resolved_on",
                "reopen_count",
                "extension_count",
                "extended_when_overdue",
            ]
        },
    ),
]
ADD_FIELDSETS = [
    ("反映人", {"fields": ["household", "village", "reporter_name", "reporter_phone"]}),
    (
        "诉求",
        {"fields": ["channel", "category", "description", "urgency", "received_on", "due_date", FORM_FIELD]},
    ),
]


@admin.register(Grievance)
class GrievanceAdmin(WorkflowAdminMixin, ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [GrievanceResource]
    ledger = GRIEVANCE_LEDGER  # 诉求台账: streamed in one query, a background job above the threshold
    paginator = CachedCountPaginator  # the total is counted once a minute per query and scope (issue 15)
    workflow = WORKFLOW
    transition_forms = TRANSITION_FORMS
    add_form, change_form = GrievanceAddForm, GrievanceChangeForm
    add_fieldsets, detail_fieldsets = ADD_FIELDSETS, DETAIL_FIELDSETS
    editable_fields = EDITABLE_FIELDS
    version_fieldset = 1
    list_display = [
        "summary",
        "reporter",
        "village",
        "category",
        "channel",
        "urgency",
        "status",
        "received_on",
        "deadline_info",
    ]
    list_display_links = ["summary"]
    list_filter = [
        DeadlineFilter,
        "status",
        "category",
        "channel",
        "urgency",
        "handling_mode",
        *PLACE_FILTERS,
    ]
    search_fields = ["description", "household__head_name", "reporter_name", "escalated_to"]
    search_help_text = "可输入诉求内容、户主或反映人姓名、上报单位"
    list_select_related = ["village", "household", "category"]
    autocomplete_fields = ["household", "village"]
    change_form_template = "admin/grievances/grievance/change_form.html"
    change_list_template = "admin/grievances/grievance/change_list.html"
    actions = None

    # ---------------------------------------------------------------- list columns

    @admin.display(description="诉求内容")
    def summary(self, obj):
        text = obj.description or ""
        return text[:30] + ("…" if len(text) > 30 else "")

    @admin.display(description="反映人")
    def reporter(self, obj):
        return str(obj.household) if obj.household_id else f"{obj.reporter_name}（非本村户籍）"

    @admin.display(description="承诺时限", ordering="due_date")
    def deadline_info(self, obj):
        today = timezone.localdate()
        if obj.is_overdue(today):
            return format_html(
                '<strong class="flag-warning">{}（超期{}天）</strong>', obj.due_date, (today - obj.due_date).days
            )
        if obj.is_revisit_overdue(today):
            return format_html('<span class="flag-warning">{}</span>', "回访已超期")
        return obj.due_date

    # ---------------------------------------------------------------- add / change forms

    def save_form(self, request, form, change):
        """A new grievance is registered by the service here: its saved row is what the admin
        then logs and redirects to (save_model has nothing left to do for it)."""
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        return register_grievance(
            user=request.user,
            household=data.get("household"),
            village=data.get("village"),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            channel=data["channel"],
            category=data["category"],
            description=data["description"],
            urgency=data["urgency"],
            received_on=data["received_on"],
            due_date=data["due_date"],
            submission_token=data.get(FORM_FIELD),
        )

    def save_model(self, request, obj, form, change):
        """Detail corrections go through the service (lock, version, timeline); additions are saved."""
        if change:
            update_details(
                user=request.user,
                grievance=obj,
                changes={name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data},
                expected_version=form.cleaned_data["seen_version"],
            )

    def save_related(self, request, form, formsets, change):
        """A new grievance has nothing related left to save (no many-to-many fields, no inlines)."""
        if change:
            super().save_related(request, form, formsets, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The service refused (e.g. another user changed it first): nothing was saved.
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            target = reverse("admin:grievances_grievance_change", args=[object_id]) if object_id else request.path
            return HttpResponseRedirect(target)

    def workflow_context(self, request, obj):
        context = {
            **super().workflow_context(request, obj),
            "revisits": obj.revisits.select_related("revisitor", "recorded_by"),
            "revisit_due_date": obj.revisit_due_date if obj.status == Grievance.Status.RESOLVED else None,
        }
        if not self.details_editable(request, obj):
            # Closed (or view-only): nothing to save here; the transition buttons do the work.
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return context

    def has_delete_permission(self, request, obj=None):
        """一事一记: grievances and their history are kept; only a superuser may delete (e.g. a test entry)."""
        return request.user.is_superuser

    # ---------------------------------------------------------------- statistics (transitions: the mixin)


@admin.register(GrievanceCategory)
class GrievanceCategoryAdmin(ScopedModelAdmin):
    """Configurable by superusers; everyone else may only look."""

    list_display = ["name", "sort_order", "is_active"]
    list_editable = []
    ordering = ["sort_order", "name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
