"""The admin side of a workflow: ``<pk>/transition/<action>/`` pages, buttons and the timeline.

A model admin mixes in ``WorkflowAdminMixin`` and names its ``workflow`` and its
``transition_forms`` (action → a ``TransitionForm`` subclass). The change page then shows one
button per legal transition (for users who may change the object) and the timeline
(``admin/workflow/change_form.html``, or an app template including ``admin/workflow/timeline.html``).
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.workflow.engine import ILLEGAL
from core.workflow.forms import apply_errors

OUT_OF_SCOPE = "没有找到该记录，或您无权查看。"


class WorkflowAdminMixin:
    workflow = None
    transition_forms = {}
    change_form_template = "admin/workflow/change_form.html"
    # The record's own page, when the app declares it: an add form and its fieldsets for
    # registration, and a detail page that is read-only except ``editable_fields`` while the
    # workflow's ``edit`` allows corrections (the hidden ``seen_version`` goes in the fieldset
    # at ``version_fieldset``).
    add_form = None
    change_form = None
    add_fieldsets = None
    detail_fieldsets = None
    editable_fields = ()
    version_fieldset = 0

    def details_editable(self, request, obj):
        """Corrections are open while the workflow's edit allows them, to users who may change it."""
        edit = self.workflow.edit
        return (
            edit is not None
            and self.workflow.status_of(obj) in edit.sources
            and self.has_change_permission(request, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.add_form is not None:
            kwargs["form"] = self.change_form if obj is not None else self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self.detail_fieldsets is None:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self.add_fieldsets
        fieldsets = [(name, {**opts, "fields": list(opts["fields"])}) for name, opts in self.detail_fieldsets]
        if self.details_editable(request, obj):
            fieldsets[self.version_fieldset][1]["fields"].append("seen_version")
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if self.detail_fieldsets is None:
            return super().get_readonly_fields(request, obj)
        if obj is None:
            return []
        shown = [name for _, opts in self.detail_fieldsets for name in opts["fields"]]
        if self.details_editable(request, obj):
            return [name for name in shown if name not in self.editable_fields]
        return shown

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        missing = [action for action in self.workflow.transitions if action not in self.transition_forms]
        if missing:
            errors.append(checks.Error(f"{type(self).__name__} has no transition form for {missing}", obj=self))
        return errors

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_transition"
        view = self.admin_site.admin_view(self.transition_view)
        return [path("<path:object_id>/transition/<str:action>/", view, name=name), *super().get_urls()]

    def transition_url(self, obj, action):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_transition", args=[quote(obj.pk), action])

    def transition_links(self, request, obj):
        """(label, url) for each transition legal now, for users who may change the object."""
        if not self.has_change_permission(request, obj):
            return []
        table = self.workflow.transitions
        return [
            (table[action].label, self.transition_url(obj, action)) for action in self.workflow.allowed_actions(obj)
        ]

    def workflow_context(self, request, obj):
        """What the change page shows besides the form; apps extend it (e.g. revisits)."""
        return {
            "transitions": self.transition_links(request, obj),
            "events": self.workflow.events(obj),
            "timeline_title": self.workflow.timeline_title,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context.update(self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def done_message(self, action, obj, saved):
        """已回访：… — naming the outcome when the step ended under another name (重新办理)."""
        transition = self.workflow.transitions[action]
        message = f"已{transition.label}：{obj}"
        outcome = transition.event_actions.get(self.workflow.status_of(saved))
        return f"{message}（{self.workflow.action_label(outcome)}）" if outcome else message

    def transition_view(self, request, object_id, action):
        """One transition: its small form on GET, the workflow's service on POST."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or action not in self.workflow.transitions:
            raise Http404(OUT_OF_SCOPE)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)])
        form_class = self.transition_forms[action]
        label = self.workflow.transitions[action].label
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, obj=obj, user=request.user)
            if form.is_valid():
                try:
                    saved = self.workflow.perform(
                        action,
                        user=request.user,
                        expected_version=form.cleaned_data["version"],
                        **{self.workflow.subject_arg: obj},
                        **form.service_kwargs(),
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    self.message_user(request, self.done_message(action, obj, saved), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            if not self.workflow.is_legal(obj, action):
                message = ILLEGAL.format(status=self.workflow.status_label(obj), label=label)
                self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(change_url)
            form = form_class(obj=obj, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "status_label": self.workflow.status_label(obj),
            "form": form,
            "action_label": label,
            "title": f"{label}：{obj}",
            "change_url": change_url,
        }
        templates = [
            f"admin/{self.opts.app_label}/{self.opts.model_name}/transition.html",
            "admin/workflow/transition.html",
        ]
        return TemplateResponse(request, templates, context)
