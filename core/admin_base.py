"""The shared ModelAdmin base: every admin page goes through the scoping mechanism.

Covers the changelist and its counts, change/delete/history pages (404 outside scope),
autocomplete (ModelAdmin.get_queryset of the target admin), foreign-key and many-to-many
choices in forms and inlines, and bulk actions (a mixed selection is refused whole).
"""

from django.contrib import admin, messages
from django.http import Http404

from core.admin_audit import AuditAdminMixin
from core.admin_masking import MaskedAdminMixin, MaskedInlineMixin
from core.scoping import ScopedQuerySet


def restrict_queryset(queryset, user):
    """Apply scoping to any queryset; models without it are visible to superusers only."""
    if isinstance(queryset, ScopedQuerySet):
        return queryset.restrict(user)
    if getattr(queryset.model, "is_reference_data", False):
        return queryset
    return queryset if user.is_superuser else queryset.none()


class ScopedFormfieldMixin:
    """Foreign-key and many-to-many choices come from scoped querysets (forged ids fail validation)."""

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


class ScopedModelAdmin(AuditAdminMixin, MaskedAdminMixin, ScopedFormfieldMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return restrict_queryset(super().get_queryset(request), request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404("没有找到该记录，或您无权查看。")

    def response_action(self, request, queryset):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if selected and not request.POST.get("select_across"):
            in_scope = self.get_queryset(request).filter(pk__in=selected).count()
            if in_scope != len(set(selected)):
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
