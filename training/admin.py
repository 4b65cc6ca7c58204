"""Admin of the training app (队伍建设): sessions, attendance, 传帮带, meetings, ratings, evaluations,
adjustments and awards. Every page is scoped (core.admin_base.ScopedModelAdmin); grids, batch
pages, certificates and the person record are page-layer pages (reports/training_*.py).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from core.admin_base import ScopedModelAdmin
from core.workflow.admin import WorkflowAdminMixin
from governance.admin_mixins import unit_filters
from governance.models import Unit
from training.adjustments import WORKFLOW, propose_adjustment
from training.awards import nominate_award
from training.evaluations import compute_score, policy_for, rescore
from training.forms import ADJUSTMENT_FORMS, AdjustmentAddForm, SessionForm
from training.models import (
    Adjustment,
    Attendance,
    Award,
    Evaluation,
    EvaluationPolicy,
    EvaluationRound,
    Meeting,
    MeetingMatter,
    Mentorship,
    Rating,
    TrainingSession,
)

PERSON_PLACE = unit_filters("person__village", [Unit.Level.TOWNSHIP, Unit.Level.VILLAGE])


def page_link(name, obj, label):
    return format_html('<a href="{}">{}</a>', reverse(name, args=[obj.pk]), label)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedModelAdmin):
    form = SessionForm
    list_display = ["title", "held_on", "level", "topic", "organiser", "hours", "attendance_link"]
    list_filter = ["level", "topic", "held_on"]
    search_fields = ["title", "trainer", "place"]
    autocomplete_fields = ["organiser", "audience_units"]
    list_select_related = ["organiser"]
    date_hierarchy = "held_on"

    @admin.display(description="签到")
    def attendance_link(self, obj):
        return page_link("reports:training_attendance", obj, "签到表 / 二维码")


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
    list_display = ["person", "session", "method", "checked_in_at"]
    list_filter = ["method", "session__held_on", *PERSON_PLACE]
    search_fields = ["person__name", "session__title"]
    list_select_related = ["person", "session"]
    autocomplete_fields = ["person", "session"]
    readonly_fields = ["recorded_by"]


@admin.register(Mentorship)
class MentorshipAdmin(ScopedModelAdmin):
    list_display = ["mentor", "mentee", "start_date", "end_date"]
    search_fields = ["mentor__name", "mentee__name"]
    autocomplete_fields = ["mentor", "mentee"]
    list_select_related = ["mentor", "mentee"]


@admin.register(Meeting)
class MeetingAdmin(ScopedModelAdmin):
    list_display = ["topic", "kind", "held_on", "unit", "attendance_count", "grid_link"]
    list_filter = ["kind", "held_on"]
    search_fields = ["topic", "host"]
    autocomplete_fields = ["unit", "attendees"]
    list_select_related = ["unit"]
    date_hierarchy = "held_on"

    @admin.display(description="评议与事项")
    def grid_link(self, obj):
        return page_link("reports:training_meeting", obj, "民主评议 / 登记诉求")


@admin.register(MeetingMatter)
class MeetingMatterAdmin(ScopedModelAdmin):
    list_display = ["meeting", "grievance"]
    readonly_fields = ["meeting", "grievance"]

    def has_add_permission(self, request):
        return False  # registered from the meeting page, with the grievance in one transaction


@admin.register(Rating)
class RatingAdmin(ScopedModelAdmin):
    list_display = ["leader", "household", "round", "answer", "meeting"]
    list_filter = ["round", "answer"]
    search_fields = ["leader__name", "household__head_name"]
    list_select_related = ["leader", "household", "meeting"]
    readonly_fields = ["meeting", "round", "household", "leader"]

    def has_add_permission(self, request):
        return False  # entered in the meeting's grid


@admin.register(EvaluationPolicy)
class EvaluationPolicyAdmin(ScopedModelAdmin):
    list_display = ["county", "excellent_from", "competent_from", "basic_from"]
    fieldsets = [
        (None, {"fields": ["county"]}),
        (
            "权重（按实际有数据的项目折算）",
            {
                "fields": [
                    "weight_rating", "weight_compliance", "weight_visits", "weight_grievances",
                    "weight_satisfaction", "weight_disputes", "weight_training", "weight_assessment",
                    "training_hours_half",
                ]
            },
        ),
        ("等次分数线", {"fields": ["excellent_from", "competent_from", "basic_from"]}),
    ]  # fmt: skip


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ScopedModelAdmin):
    list_display = ["__str__", "unit", "year", "kind", "status", "batch_link"]
    list_filter = ["year", "kind", "status"]
    list_select_related = ["unit"]
    readonly_fields = ["status", "confirmed_at", "confirmed_by"]
    autocomplete_fields = ["unit"]

    @admin.display(description="考核表")
    def batch_link(self, obj):
        return page_link("reports:training_round", obj, "查看 / 生成 / 确认")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)


@admin.register(Evaluation)
class EvaluationAdmin(ScopedModelAdmin):
    list_display = ["person", "year", "kind", "score", "grade", "round"]
    list_filter = ["year", "kind", "grade", *PERSON_PLACE]
    search_fields = ["person__name"]
    list_select_related = ["person", "round", "round__unit"]
    fields = ["person", "posting", "round", "score", "grade", "components_table", "assessment_score", "remarks"]
    readonly_fields = ["person", "posting", "round", "score", "grade", "components_table"]

    def has_add_permission(self, request):
        return False  # created by the round's batch page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.round.is_locked)

    @admin.display(description="得分构成")
    def components_table(self, obj):
        parts = compute_score(obj.components, obj.assessment_score, policy_for(obj.person.village))[1]
        return render_to_string("admin/training/components.html", {"parts": parts})

    def save_model(self, request, obj, form, change):
        rescore(user=request.user, evaluation=obj, assessment_score=obj.assessment_score, remarks=obj.remarks)


@admin.register(Adjustment)
class AdjustmentAdmin(WorkflowAdminMixin, ScopedModelAdmin):
    workflow = WORKFLOW
    transition_forms = ADJUSTMENT_FORMS
    list_display = ["__str__", "kind", "status", "proposed_on", "decided_on", "carried_out_on"]
    list_filter = ["kind", "status"]
    search_fields = ["posting__person__name"]
    list_select_related = ["posting", "posting__person", "posting__unit"]
    autocomplete_fields = ["posting", "evaluation"]
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AdjustmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["posting", "kind", "reason", "evaluation", "proposed_on", "status", "decision", "decided_on",
                "carried_out_on"]  # fmt: skip

    def save_form(self, request, form, change):
        if change:
            return form.instance
        data = form.cleaned_data
        return propose_adjustment(
            user=request.user, posting=data["posting"], kind=data["kind"], reason=data["reason"],
            evaluation=data.get("evaluation"), proposed_on=data.get("proposed_on"),
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        """Saved by ``propose_adjustment`` (new) or by the transitions (existing)."""

    def has_delete_permission(self, request, obj=None):
        """Cases and their timeline are kept; only a superuser may delete (e.g. a test entry)."""
        return request.user.is_superuser

    def save_related(self, request, form, formsets, change):
        """No many-to-many fields or inlines."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save_and_add_another": False}
        if object_id:
            extra_context.update(show_save=False, show_save_and_continue=False)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)


@admin.register(Award)
class AwardAdmin(ScopedModelAdmin):
    list_display = ["person", "year", "honour", "status", "decided_on", "award_link"]
    list_filter = ["year", "status", *PERSON_PLACE]
    search_fields = ["person__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person"]
    readonly_fields = ["status", "decided_on", "issuing_body"]

    @admin.display(description="审定 / 证书")
    def award_link(self, obj):
        return page_link("reports:training_award", obj, "审定 / 打印证书")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ["person", "year", "honour", "reasons", "nominated_on", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        """A nomination goes through the service; decisions are taken on the award page."""
        if change:
            return
        saved = nominate_award(
            user=request.user, person=obj.person, year=obj.year, reasons=obj.reasons, honour=obj.honour
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
