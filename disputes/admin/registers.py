"""The committee, the screening register (risk reports, rounds, 零报告) and the agreement and
revisit registers. Risk reports are written through disputes.services.screening."""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_export import ScopedExportMixin
from disputes.ledgers import RISK_LEDGER
from disputes.models import (
    Agreement,
    CommitteeMember,
    FulfilmentRevisit,
    MediationCommittee,
    RiskReport,
    ScreeningRound,
)
from disputes.resources import RiskReportResource
from disputes.selectors import coverage_summary, round_coverage
from disputes.services import file_zero_report, report_risk, update_risk
from governance.admin_mixins import unit_filters
from governance.models import Unit

VILLAGE_FILTERS = unit_filters("village", [Unit.Level.TOWNSHIP, Unit.Level.VILLAGE])


class MemberInline(ScopedTabularInline):
    model = CommitteeMember
    fields = ["person", "role", "background", "start_date", "end_date"]
    autocomplete_fields = ["person"]


@admin.register(MediationCommittee)
class MediationCommitteeAdmin(ScopedModelAdmin):
    list_display = ["name", "village", "short_name", "term_start", "term_end"]
    search_fields = ["name", "village__name"]
    list_filter = [*VILLAGE_FILTERS]
    autocomplete_fields = ["village"]
    inlines = [MemberInline]
    list_select_related = ["village"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ScopedModelAdmin):
    """Searchable list of mediators (the committee page edits them)."""

    list_display = ["person", "committee", "role", "background", "start_date", "end_date"]
    search_fields = ["person__name"]
    list_filter = ["role", "background"]
    list_select_related = ["person", "committee"]
    autocomplete_fields = ["person", "committee"]


@admin.register(RiskReport)
class RiskReportAdmin(ScopedExportMixin, ScopedModelAdmin):
    resource_classes = [RiskReportResource]
    ledger = RISK_LEDGER
    list_display = ["found_on", "village", "unit", "dispute_type", "level", "short_description", "status", "found_by"]
    list_filter = ["status", "level", "dispute_type", "screening_round", *VILLAGE_FILTERS]
    search_fields = ["description", "parties", "household__head_name"]
    list_select_related = ["village", "unit", "found_by"]
    date_hierarchy = "found_on"
    autocomplete_fields = ["village", "household", "found_by"]
    fields = ["village", "unit", "household", "screening_round", "found_by", "found_on", "dispute_type", "parties",
              "level", "description", "measure", "status", "resolved_on"]  # fmt: skip
    actions = None

    def has_delete_permission(self, request, obj=None):
        """The screening register is kept (一事一记); only a superuser may delete a test entry."""
        return request.user.is_superuser

    @admin.display(description="隐患情况")
    def short_description(self, obj):
        text = obj.description or ""
        return text[:30] + ("…" if len(text) > 30 else "")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "resolved_on"]
        return [f for f in self.fields if f not in ("measure", "status", "resolved_on")]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = update_risk(
                user=request.user, report=obj, status=data["status"], measure=data.get("measure", ""),
                resolved_on=data.get("resolved_on"),
            )  # fmt: skip
        else:
            saved = report_risk(
                user=request.user, village=data.get("village"), unit=data.get("unit"), household=data.get("household"),
                screening_round=data.get("screening_round"), found_by=data.get("found_by"),
                found_on=data.get("found_on"), dispute_type=data.get("dispute_type"), parties=data.get("parties", ""),
                level=data.get("level"), description=data.get("description", ""), measure=data.get("measure", ""),
            )  # fmt: skip
        obj.pk = saved.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)


@admin.register(ScreeningRound)
class ScreeningRoundAdmin(ScopedModelAdmin):
    list_display = ["title", "village", "kind", "start_date", "end_date"]
    list_filter = ["kind", *VILLAGE_FILTERS]
    search_fields = ["title"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    change_form_template = "admin/disputes/screeninground/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.zero_report_view))
        name = f"{self.opts.app_label}_{self.opts.model_name}_zero_report"
        return [path("<path:object_id>/zero-report/", view, name=name), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            rows = round_coverage(request.user, obj)
            extra_context.update(
                coverage=rows,
                coverage_summary=coverage_summary(rows),
                zero_report_url=reverse("admin:disputes_screeninground_zero_report", args=[quote(obj.pk)])
                if request.user.has_perm("disputes.add_zeroreport")
                else "",
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def zero_report_view(self, request, object_id):
        """零报告 for one 组/邻 of the round, entered by the village for a leader who reported by word."""
        screening_round = self.get_object(request, unquote(object_id))  # 404 outside the user's scope
        if not request.user.has_perm("disputes.add_zeroreport"):
            raise PermissionDenied
        unit = Unit.objects.get_for_user_or_404(request.user, pk=request.POST.get("unit"))
        try:
            file_zero_report(user=request.user, screening_round=screening_round, unit=unit,
                             note=request.POST.get("note", "")[:128])  # fmt: skip
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, f"已登记{unit.name}本轮零报告。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:disputes_screeninground_change", args=[quote(screening_round.pk)]))


class ReadOnlyRegisterAdmin(ScopedModelAdmin):
    """Written by the dispute's steps only; here they are a register to read."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyRegisterAdmin):
    list_display = ["__str__", "dispute", "kind", "signed_on", "fulfil_by", "confirmation"]
    list_filter = ["kind", "confirmation", "year"]
    search_fields = ["dispute__title", "terms"]
    list_select_related = ["dispute", "committee"]


@admin.register(FulfilmentRevisit)
class FulfilmentRevisitAdmin(ReadOnlyRegisterAdmin):
    list_display = ["revisited_on", "dispute", "revisitor", "fulfilment", "satisfaction", "rebounded", "follow_up"]
    list_filter = ["fulfilment", "satisfaction", "rebounded", "follow_up"]
    search_fields = ["dispute__title"]
    list_select_related = ["dispute", "revisitor"]
