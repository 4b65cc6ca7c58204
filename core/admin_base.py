"""The shared ModelAdmin base: every admin page goes through the scoping mechanism.

Covers the changelist and its counts, change/delete/history pages (404 outside scope),
autocomplete (ModelAdmin.get_queryset of the target admin), list-filter choices (every FK/M2M
``list_filter`` entry is swapped for a scoped filter), foreign-key and many-to-many choices in
forms and inlines, bulk actions (a mixed or malformed selection is refused whole) and the save
path (the saved rows are re-checked against the user's scope inside the admin's transaction).
Malformed ids in URLs and posts are ignored or refused in Chinese (core/admin_params.py).
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.admin_audit import AuditAdminMixin
from core.admin_masking import MaskedAdminMixin, MaskedInlineMixin
from core.admin_params import ValidIdFormfieldMixin, ValidParamsMixin
from core.scoping import OUT_OF_SCOPE, in_scope, restrict_queryset, sees_everything

SAVE_OUT_OF_SCOPE = "保存的内容超出了您的管辖范围，已全部撤销。"


class ScopedRelatedChoicesMixin:
    """List-filter choices come from the related model's scoped queryset, never the whole table."""

    only_used = False  # RelatedOnlyFieldListFilter: also limit to values used by visible rows

    def field_choices(self, field, request, model_admin):
        queryset = restrict_queryset(field.related_model, request.user)
        limit = getattr(field, "get_limit_choices_to", None)
        if callable(limit):
            queryset = queryset.complex_filter(limit())
        if self.only_used:
            used = model_admin.get_queryset(request).values_list(f"{self.field_path}__pk", flat=True)
            queryset = queryset.filter(pk__in=used)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        target = getattr(field, "target_field", None)
        attname = target.attname if target is not None and not field.auto_created else "pk"
        return [(getattr(obj, attname), str(obj)) for obj in queryset]


class ScopedRelatedFieldListFilter(ScopedRelatedChoicesMixin, admin.RelatedFieldListFilter):
    pass


class ScopedRelatedOnlyFieldListFilter(ScopedRelatedChoicesMixin, admin.RelatedOnlyFieldListFilter):
    only_used = True


_scoped_filter_classes = {}


def scoped_filter_class(filter_class):
    """A scoped subclass of any RelatedFieldListFilter (cached, so each class is built once)."""
    if issubclass(filter_class, ScopedRelatedChoicesMixin):
        return filter_class
    if filter_class not in _scoped_filter_classes:
        only = issubclass(filter_class, admin.RelatedOnlyFieldListFilter)
        _scoped_filter_classes[filter_class] = type(
            f"Scoped{filter_class.__name__}", (ScopedRelatedChoicesMixin, filter_class), {"only_used": only}
        )
    return _scoped_filter_classes[filter_class]


def scope_list_filter(model, entry):
    """Replace one ``list_filter`` entry with its scoped equivalent when it lists related rows."""
    if isinstance(entry, str):
        try:
            field = get_fields_from_path(model, entry)[-1]
        except (FieldDoesNotExist, admin.utils.NotRelationField):
            return entry
        if field.is_relation and field.related_model is not None:
            return (entry, ScopedRelatedFieldListFilter)
        return entry
    if isinstance(entry, (tuple, list)) and len(entry) == 2:
        path, filter_class = entry
        if isinstance(filter_class, type) and issubclass(filter_class, admin.RelatedFieldListFilter):
            return (path, scoped_filter_class(filter_class))
    return entry


def clean_selected_ids(model, values):
    """The selected primary keys as the pk field's Python values, or None if any is malformed."""
    pk_field = model._meta.pk
    cleaned = set()
    for value in values:
        try:
            value = pk_field.to_python(value)
            pk_field.run_validators(value)  # the database's integer range: no overflow in the query
            cleaned.add(value)
        except (ValidationError, TypeError, ValueError):
            return None
    return cleaned


class ScopedFormfieldMixin(ValidIdFormfieldMixin):
    """Foreign-key and many-to-many choices come from scoped querysets (forged ids fail validation,
    malformed ones too, without reaching the database)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = restrict_queryset(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = restrict_queryset(field.queryset, request.user)
        return field


class NotFoundMixin(ValidParamsMixin):
    """An id the user cannot see is simply not found (404), never "deleted?" with a redirect; a
    malformed id in a URL is ignored (every admin of the project has this mixin).

    ``get_object`` (public ModelAdmin API: change, delete, history and the extra object pages
    all fetch through it) raises instead of returning None, so no page ever gets None. As in
    Django, a user without the permission for the change or delete page gets 403 instead.
    """

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            if not self.may_open_page(request):
                raise PermissionDenied
            raise Http404(OUT_OF_SCOPE)
        return obj

    def may_open_page(self, request):
        """The model permission Django's change and delete pages check before the lookup (403 first)."""
        name = getattr(request.resolver_match, "url_name", None) or ""
        if name.endswith("_delete"):
            return self.has_delete_permission(request)
        if name.endswith("_change"):
            if request.method == "POST":
                return self.has_change_permission(request)
            return self.has_view_or_change_permission(request)
        return True


SAVE_CONFLICT = "保存时他人刚好同时提交了相同的内容，您的提交未保存。请刷新页面查看后再试。"


class ConcurrentSaveMixin:
    """Two users saving the same unique thing at once (a 邻长 for one vacant 邻, one new ID number
    in two households): both forms validate, the database refuses the second insert. Its page is
    then validated once more, now seeing the first user's row, and shows the constraint's Chinese
    message with the form, instead of a 500. The admin's own transaction has rolled back by then."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self.message_user(request, SAVE_CONFLICT, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ScopedModelAdmin(
    ConcurrentSaveMixin, NotFoundMixin, AuditAdminMixin, MaskedAdminMixin, ScopedFormfieldMixin, admin.ModelAdmin
):
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj):
        """The row's selection box as a string: the widget's template render per row cost a third of
        a 50-row list page under load (issue 15). Same markup and name as Django's."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="选择此对象以进行操作 - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )

    def get_queryset(self, request):
        return restrict_queryset(super().get_queryset(request), request.user)

    def get_list_filter(self, request):
        return [scope_list_filter(self.model, entry) for entry in super().get_list_filter(request)]

    def get_readonly_fields(self, request, obj=None):
        """A foreign key whose current value lies outside the user's scope (a village's parent
        township, for its cadre) is shown read-only: it cannot be chosen, so it must not be required."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None or obj.pk is None or sees_everything(request.user):
            return readonly
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if not field.many_to_one or value is None or field.name in readonly or not field.editable:
                continue
            reachable = restrict_queryset(field.related_model, request.user)
            if not reachable.filter(pk=value).exists():
                readonly.append(field.name)
        return readonly

    def save_model(self, request, obj, form, change):
        """Save, then re-read the row through the user's scope in the same transaction."""
        super().save_model(request, obj, form, change)
        if not in_scope(obj, request.user):
            raise Http404(SAVE_OUT_OF_SCOPE)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        saved = list(getattr(formset, "new_objects", [])) + [o for o, _ in getattr(formset, "changed_objects", [])]
        if any(not in_scope(obj, request.user) for obj in saved):
            raise Http404(SAVE_OUT_OF_SCOPE)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        # The changelist form always posts select_across: "1" across all pages, "0" otherwise.
        if selected and request.POST.get("select_across", "0") != "1":
            cleaned = clean_selected_ids(self.model, selected)
            in_scope_count = None if cleaned is None else self.get_queryset(request).filter(pk__in=cleaned).count()
            if cleaned is None or in_scope_count != len(cleaned):
                self.message_user(request, "所选记录中有不属于您管辖范围的记录，操作已取消。", messages.ERROR)
                return None
        return super().response_action(request, queryset)


class ScopedInline(MaskedInlineMixin, ScopedFormfieldMixin):
    """Mixin for inlines: their rows and their choices are scoped too."""

    def get_queryset(self, request):
        return restrict_queryset(super().get_queryset(request), request.user)


class ScopedTabularInline(ScopedInline, admin.TabularInline):
    extra = 0


class ScopedStackedInline(ScopedInline, admin.StackedInline):
    extra = 0
