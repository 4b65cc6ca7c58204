"""Audit mixins for the admin base: the object's history page and the log of views of minors' records.

``AuditHistoryAdminMixin`` replaces Django's "历史" page with the django-auditlog history of the
object (who, when, each field before and after; ID numbers and phones are stored masked). It goes
through ``get_object`` of the scoped admin, so an object out of scope answers 404.

``MinorAccessLogMixin`` logs a view (VIEW_MINOR) when a user opens the change page of a record
whose model says it is a minor's (``is_minor_record()``: a 留守儿童 household, a resident under 18).
"""

from urllib.parse import unquote

from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse

from core.access import AccessAction, record_access
from core.admin_inlines import inline_foreign_key

ACTION_LABELS = {0: "新增", 1: "修改", 2: "删除", 3: "查看"}
M2M_OPERATIONS = {"add": "添加", "delete": "移除"}
HISTORY_PER_PAGE = 20


def field_label(model, name):
    try:
        field = model._meta.get_field(name)
        return str(getattr(field, "verbose_name", None) or getattr(field.remote_field, "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _display(value):
    return "—" if value in (None, "", "None") else value


def change_rows(entry, model):
    """[(field label, before, after)] of one LogEntry, in Chinese, ready for a template."""
    rows = []
    for name, change in sorted((entry.changes_dict or {}).items()):
        label = field_label(model, name)
        if isinstance(change, dict) and change.get("type") == "m2m":
            operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation"))
            rows.append((label, operation, "、".join(str(o) for o in change.get("objects", []))))
        elif isinstance(change, list | tuple) and len(change) == 2:
            rows.append((label, _display(change[0]), _display(change[1])))
    return rows


def history_entries(page, model, obj=None):
    """Template rows; an entry about a related row (a resident on its household's page) names it."""
    result = []
    for entry in page:
        entry_model = entry.content_type.model_class() or model
        own = entry_model._meta.concrete_model is model._meta.concrete_model
        result.append(
            {
                "timestamp": entry.timestamp,
                "actor": str(entry.actor) if entry.actor_id else "系统",
                "action": ACTION_LABELS.get(entry.action, entry.get_action_display()),
                "subject": "" if own else f"{entry_model._meta.verbose_name}：{entry.object_repr}",
                "rows": change_rows(entry, entry_model),
            }
        )
    return result


class AuditHistoryAdminMixin:
    """The change page's "历史" button shows the audit history of the object (scoped: 404 outside)."""

    audit_history_template = "admin/audit_history.html"

    def _history_q(self, request, obj):
        """The object's own entries, plus those of the rows edited in its inlines (a household's residents)."""
        from django.contrib.contenttypes.models import ContentType

        q = Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
        for inline in self.get_inline_instances(request, obj):
            fk = inline_foreign_key(type(obj), inline)
            child_pks = inline.get_queryset(request).filter(**{fk.name: obj}).values_list("pk", flat=True)
            child_type = ContentType.objects.get_for_model(inline.model)
            q |= Q(content_type=child_type, object_pk__in=[str(pk) for pk in child_pks])
        return q

    def history_view(self, request, object_id, extra_context=None):
        from auditlog.models import LogEntry

        obj = self.get_object(request, unquote(object_id))  # 404 when missing or out of scope
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        entries = (
            LogEntry.objects.filter(self._history_q(request, obj))
            .select_related("actor", "content_type")
            .order_by("-timestamp", "-pk")
        )
        paginator = self.get_paginator(request, entries, HISTORY_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": f"操作历史：{obj}",
            "subtitle": None,
            "module_name": str(self.opts.verbose_name_plural),
            "object": obj,
            "opts": self.opts,
            "page_obj": page,
            "page_var": PAGE_VAR,
            "page_range": paginator.get_elided_page_range(page.number),
            "pagination_required": paginator.count > HISTORY_PER_PAGE,
            "entries": history_entries(page, self.model, obj),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.audit_history_template, context)


def is_minor_record(obj):
    """Whether ``obj`` is a minor's record: models with such records implement ``is_minor_record()``."""
    check = getattr(obj, "is_minor_record", None)
    return bool(check()) if callable(check) else False


def log_if_minor(request, obj):
    """Log a view of a minor's record (VIEW_MINOR); admin pages and phone pages call this."""
    if obj is not None and request.method == "GET" and is_minor_record(obj):
        record_access(request=request, action=AccessAction.VIEW_MINOR, obj=obj)


class MinorAccessLogMixin:
    """Opening the change page of a minor's record is logged (VIEW_MINOR)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change:
            log_if_minor(request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class AuditAdminMixin(AuditHistoryAdminMixin, MinorAccessLogMixin):
    """Everything audit-related that every scoped ModelAdmin gets."""
