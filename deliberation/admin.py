"""The deliberation admin: collected opinions (民意), and matters (议事事项) registered through the
service and moved through the six steps by the workflow kit's buttons, with what each step left
behind and the printable 公示 notice and 表决结果 (``<pk>/print/<document>/``)."""

import mimetypes

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator

from core.admin_base import ScopedModelAdmin
from core.workflow.admin import WorkflowAdminMixin
from deliberation.forms import TRANSITION_FORMS, MatterAddForm, MatterDetailForm
from deliberation.models import Matter, Notice, Opinion, SurveyAnswer
from deliberation.services import WORKFLOW, propose_matter, record_opinion
from governance.admin_mixins import unit_filters
from governance.models import Unit

PLACE_FILTERS = unit_filters("village", [Unit.Level.TOWNSHIP, Unit.Level.VILLAGE])
PRINTABLE = {"notice": "公示", "vote": "村民表决结果"}


class GroupedFilter(admin.SimpleListFilter):
    title = "是否已提事"
    parameter_name = "grouped"

    def lookups(self, request, model_admin):
        return [("no", "待汇总"), ("yes", "已归入议事事项")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(matter__isnull=self.value() == "no")
        return queryset


@admin.register(Opinion)
class OpinionAdmin(ScopedModelAdmin):
    list_display = ["topic", "summary", "household", "village", "channel", "collected_by", "collected_on", "grouped"]
    list_display_links = ["topic"]
    list_filter = [GroupedFilter, "channel", *PLACE_FILTERS]
    search_fields = ["topic", "text", "household__head_name"]
    search_help_text = "可输入议题、意见内容或户主姓名"
    list_select_related = ["village", "household", "collected_by", "matter"]
    autocomplete_fields = ["household", "village", "collected_by"]
    fields = ["village", "household", "topic", "text", "channel", "collected_by", "collected_on", "matter"]
    readonly_fields = ["matter"]

    @admin.display(description="意见内容")
    def summary(self, obj):
        return Truncator(obj.text or "").chars(24)

    @admin.display(description="归入议事事项", ordering="matter")
    def grouped(self, obj):
        return Truncator(obj.matter.title).chars(12) if obj.matter_id else "待汇总"

    def save_model(self, request, obj, form, change):
        """A new opinion is recorded by the service (scope, household's village); corrections are saved."""
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        saved = record_opinion(
            user=request.user,
            household=data.get("household"),
            village=data.get("village"),
            topic=data["topic"],
            text=data["text"],
            channel=data["channel"],
            collected_by=data.get("collected_by"),
            collected_on=data.get("collected_on"),
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)


DETAIL_FIELDSETS = [
    ("提事", {"fields": ["village", "title", "category", "description", "proposer", "estimated_cost",
                        "proposed_on", "proposed_by"]}),
    ("办理", {"fields": ["status", "decided_on", "total_spent", "completed_on", "closed_on", "outcome",
                        "rejection_reason"]}),
]  # fmt: skip
ADD_FIELDSETS = [
    ("提事", {"fields": ["village", "title", "category", "description", "proposer", "estimated_cost", "proposed_on",
                        "opinions"]}),
]  # fmt: skip


@admin.register(Matter)
class MatterAdmin(WorkflowAdminMixin, ScopedModelAdmin):
    workflow = WORKFLOW
    transition_forms = TRANSITION_FORMS
    add_form, change_form = MatterAddForm, MatterDetailForm
    add_fieldsets, detail_fieldsets = ADD_FIELDSETS, DETAIL_FIELDSETS
    list_display = ["title", "village", "category", "status", "proposed_on", "estimated_cost", "decided_on"]
    list_filter = ["status", "category", *PLACE_FILTERS]
    search_fields = ["title", "description", "proposer"]
    search_help_text = "可输入事项名称、说明或提议人"
    list_select_related = ["village"]
    autocomplete_fields = ["village"]
    change_form_template = "admin/deliberation/matter/change_form.html"
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        user = request.user

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return WithUser

    def save_model(self, request, obj, form, change):
        """提事 goes through the service; a registered matter changes only through its steps."""
        if change:
            return
        data = form.cleaned_data
        saved = propose_matter(
            user=request.user,
            village=data["village"],
            title=data["title"],
            category=data["category"],
            description=data["description"],
            proposer=data["proposer"],
            estimated_cost=data.get("estimated_cost"),
            proposed_on=data.get("proposed_on"),
            opinions=data.get("opinions") or [],
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Nothing related to save: the opinions were grouped by the service."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            target = reverse("admin:deliberation_matter_change", args=[object_id]) if object_id else request.path
            return HttpResponseRedirect(target)

    def workflow_context(self, request, obj):
        answers = list(obj.survey_answers.select_related("household"))
        tally = {label: sum(a.answer == value for a in answers) for value, label in SurveyAnswer.Answer.choices}
        return {
            **super().workflow_context(request, obj),
            "opinions": obj.opinions.select_related("household"),
            "consultations": obj.consultations.select_related("meeting").prefetch_related("suggestions"),
            "notice": getattr(obj, "notice", None),
            "objections": obj.objections.all(),
            "votes": obj.votes.all(),
            "supervision": obj.supervision.all(),
            "answers": answers,
            "answer_tally": tally,
            "print_links": self.print_links(obj),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }

    def has_delete_permission(self, request, obj=None):
        """一事一记: only a superuser may delete a matter (e.g. a test entry)."""
        return request.user.is_superuser

    # ---------------------------------------------------------------- print views

    def get_urls(self):
        view = self.admin_site.admin_view(self.print_view)
        photo = self.admin_site.admin_view(self.photo_view)
        return [path("<path:object_id>/print/<str:document>/", view, name="deliberation_matter_print"),
                path("<path:object_id>/photo/<str:kind>/<int:pk>/", photo, name="deliberation_matter_photo"),
                *super().get_urls()]  # fmt: skip

    def photo_view(self, request, object_id, kind, pk):
        """The notice's or a supervision entry's photo, for those who may see the matter."""
        obj = self.get_object(request, unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        rows = {"notice": Notice.objects.filter(matter=obj), "supervision": obj.supervision.all()}
        row = rows[kind].filter(pk=pk).first() if kind in rows else None
        if row is None or not row.photo:
            raise Http404("没有找到该照片。")
        try:
            handle = row.photo.open("rb")
        except FileNotFoundError:
            raise Http404("照片文件已不存在。") from None
        return FileResponse(handle, content_type=mimetypes.guess_type(row.photo.name)[0] or "application/octet-stream")

    def print_links(self, obj):
        present = {"notice": hasattr(obj, "notice"), "vote": obj.votes.exists()}
        return [
            (title, reverse("admin:deliberation_matter_print", args=[quote(obj.pk), key]))
            for key, title in PRINTABLE.items()
            if present[key]
        ]

    def print_view(self, request, object_id, document):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or document not in PRINTABLE:
            raise Http404("没有找到该记录，或您无权查看。")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        notice = getattr(obj, "notice", None)
        votes = list(obj.votes.select_related("meeting").prefetch_related("ballots__voter"))
        if (document == "notice" and notice is None) or (document == "vote" and not votes):
            raise Http404("该事项尚无此项记录。")
        context = {
            "matter": obj,
            "notice": notice,
            "votes": votes,
            "adopted": obj.suggestions.filter(adopted=True),
            "title": f"{PRINTABLE[document]}：{obj}",
            "printed_on": timezone.localdate(),
            "change_url": reverse("admin:deliberation_matter_change", args=[quote(obj.pk)]),
        }
        return TemplateResponse(request, f"deliberation/print/{document}.html", context)
