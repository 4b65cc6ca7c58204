"""The dispute admin: the mediation register (人民调解登记簿) as a scoped changelist, registration
with its parties, a detail page with one button per legal step and the timeline, and the print
views of the case file (disputes/admin/printing.py)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin, ScopedStackedInline
from core.admin_export import ScopedExportMixin
from core.workflow.admin import WorkflowAdminMixin
from disputes.admin.printing import PrintViewsMixin
from disputes.casefile import documents, missing_documents
from disputes.forms import TRANSITION_FORMS, DisputeAddForm, DisputeChangeForm, PartyForm, PartyInlineFormSet
from disputes.ledgers import MEDIATION_LEDGER
from disputes.models import DEADLINE_LISTS, Dispute, DisputeParty
from disputes.resources import DisputeResource
from disputes.selectors import MEDIATED, SUCCEEDED
from disputes.services import EDITABLE_FIELDS, WORKFLOW, register_dispute, update_details
from governance.admin_mixins import unit_filters
from governance.models import Unit

PLACE_FILTERS = unit_filters("village", [Unit.Level.TOWNSHIP, Unit.Level.VILLAGE])


class DeadlineFilter(admin.SimpleListFilter):
    title = "期限"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return DEADLINE_LISTS

    def queryset(self, request, queryset):
        if self.value() in dict(DEADLINE_LISTS):
            return queryset.deadline(self.value(), timezone.localdate())
        return queryset


class OutcomeFilter(admin.SimpleListFilter):
    """调解结果, by the statistics' own definitions (the unit page links its numbers here)."""

    title = "调解结果"
    parameter_name = "outcome"
    OUTCOMES = {"mediated": ("已调解", MEDIATED), "succeeded": ("调解成功（达成协议）", SUCCEEDED)}

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.OUTCOMES.items()]

    def queryset(self, request, queryset):
        if self.value() in self.OUTCOMES:
            return queryset.filter(self.OUTCOMES[self.value()][1])
        return queryset


class PartyInline(ScopedStackedInline):
    model = DisputeParty
    form = PartyForm
    formset = PartyInlineFormSet
    extra = 2
    autocomplete_fields = ["resident"]
    fields = [
        ("side", "resident"),
        ("name", "gender", "age", "ethnicity"),
        ("occupation", "address"),
        ("phone", "id_number"),
    ]
    verbose_name_plural = "当事人（本村居民请选择；非本村当事人请填写姓名等信息）"

    def has_change_permission(self, request, obj=None):
        editable = obj is None or obj.status in (Dispute.Status.REGISTERED, *Dispute.OPEN_STATUSES)
        return editable and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        editable = obj is None or obj.status in (Dispute.Status.REGISTERED, *Dispute.OPEN_STATUSES)
        return editable and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


DETAIL_FIELDSETS = [
    ("纠纷", {"fields": ["village", "committee", "household", "risk_report", "title", "dispute_type", "source",
                        "facts", "requests", "persons_involved", "prevents_crime", "prevents_mass_petition"]}),
    ("调解", {"fields": ["status", "received_on", "accepted_on", "due_date", "extension_count", "presiding",
                        "investigation", "evidence", "notified_on", "session_count", "ended_on", "failure_route"]}),
    ("上报与回访", {"fields": ["escalated", "escalated_to", "lead_official", "revisit_due_on", "revisit_count",
                            "rebounded"]}),
    ("卷宗", {"fields": ["file_number", "filed_by", "retention"]}),
]  # fmt: skip
ADD_FIELDSETS = [
    ("纠纷", {"fields": ["village", "household", "title", "dispute_type", "source", "facts", "requests",
                        "persons_involved", "prevents_crime", "prevents_mass_petition", "received_on"]}),
]  # fmt: skip


@admin.register(Dispute)
class DisputeAdmin(PrintViewsMixin, WorkflowAdminMixin, ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [DisputeResource]
    ledger = MEDIATION_LEDGER  # the mediation register (人民调解登记簿) in Excel
    workflow = WORKFLOW
    transition_forms = TRANSITION_FORMS
    add_form, change_form = DisputeAddForm, DisputeChangeForm
    add_fieldsets, detail_fieldsets = ADD_FIELDSETS, DETAIL_FIELDSETS
    editable_fields = EDITABLE_FIELDS
    version_fieldset = 0
    inlines = [PartyInline]
    list_display = ["title", "village", "dispute_type", "source", "status", "received_on", "presiding", "deadline_info"]
    list_filter = [DeadlineFilter, OutcomeFilter, "status", "dispute_type", "source", "escalated", *PLACE_FILTERS]
    search_fields = ["title", "facts", "parties__name", "parties__resident__name"]
    search_help_text = "可输入纠纷名称、事实或当事人姓名"
    list_select_related = ["village", "presiding__person"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["household", "village"]
    change_form_template = "admin/disputes/dispute/change_form.html"
    actions = None

    @admin.display(description="调解期限", ordering="due_date")
    def deadline_info(self, obj):
        today = timezone.localdate()
        if obj.is_overdue(today):
            return format_html(
                '<strong class="flag-warning">{}（超期{}天）</strong>', obj.due_date, (today - obj.due_date).days
            )
        if obj.status == Dispute.Status.SUCCEEDED and obj.revisit_due_on and obj.revisit_due_on <= today:
            return format_html('<span class="flag-warning">{}</span>', "待回访")
        return obj.due_date or "—"

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.distinct() if search_term else queryset, False

    def save_model(self, request, obj, form, change):
        """Registration and corrections go through the services; the admin saves neither itself.

        A new dispute is registered only here, after its parties (the inline) validated too;
        ``obj`` becomes the saved row, which the inline's parties then hang on.
        """
        data = form.cleaned_data
        if change:
            update_details(
                user=request.user,
                dispute=obj,
                changes={name: data[name] for name in EDITABLE_FIELDS if name in data},
                expected_version=data["seen_version"],
            )
            return
        saved = register_dispute(
            user=request.user,
            village=data["village"],
            household=data.get("household"),
            title=data["title"],
            dispute_type=data["dispute_type"],
            source=data["source"],
            facts=data["facts"],
            requests=data.get("requests", ""),
            persons_involved=data.get("persons_involved"),
            prevents_crime=data.get("prevents_crime", False),
            prevents_mass_petition=data.get("prevents_mass_petition", False),
            received_on=data.get("received_on"),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """A new dispute has no many-to-many fields: only its parties (the inline) are left to save."""
        if change:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            target = reverse("admin:disputes_dispute_change", args=[object_id]) if object_id else request.path
            return HttpResponseRedirect(target)

    def workflow_context(self, request, obj):
        context = {
            **super().workflow_context(request, obj),
            "sessions": obj.sessions.all(),
            "revisits": obj.revisits.select_related("revisitor"),
            "agreement": getattr(obj, "agreement", None),
            "documents": documents(obj),
            "missing": missing_documents(obj) if obj.status != Dispute.Status.ARCHIVED else [],
            "print_links": self.print_links(obj),
        }
        if not self.details_editable(request, obj):
            context.update(show_save=False, show_save_and_continue=False, show_save_and_add_another=False)
        return context

    def has_delete_permission(self, request, obj=None):
        """一案一卷: only a superuser may delete a dispute (e.g. a test entry)."""
        return request.user.is_superuser
