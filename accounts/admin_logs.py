"""Admin for the two logs: audit history (auditlog LogEntry) and the access log.

Both are read-only in the admin for everyone, superusers included (no add, change or
delete; history is removed, if ever, by a superuser in the database) and scoped by
the person who acted: a user sees the entries of users at or under their own unit (a county
official the whole county, township staff their township), through ``User.objects.restrict``.
Filtered by user, action, data type and period (date hierarchy). Imported by accounts/admin.py.
"""

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.models import AccessLog, User
from core.admin_audit import ACTION_LABELS, change_rows
from core.admin_base import NotFoundMixin, ScopedModelAdmin
from core.audit import tracked_project_models
from core.paginator import CachedCountPaginator
from core.scoping import restrict_queryset

MAX_USER_CHOICES = 300


class ActorFilter(admin.SimpleListFilter):
    """Filter by a user the viewer may see (at most MAX_USER_CHOICES listed; search covers the rest)."""

    title = "操作人"
    parameter_name = "actor"
    lookup = "actor"

    def lookups(self, request, model_admin):
        users = User.objects.restrict(request.user).order_by("username").only("id", "username", "name")
        return [(str(u.pk), f"{u}（{u.username}）") for u in users[:MAX_USER_CHOICES]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(**{f"{self.lookup}_id": self.value()})


class AccessUserFilter(ActorFilter):
    title = "用户"
    parameter_name = "user"
    lookup = "user"


class ModelTypeFilter(admin.SimpleListFilter):
    title = "数据类型"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*tracked_project_models(), for_concrete_models=True)
        seen = {}
        for content_type in types.values():
            model = content_type.model_class()
            seen[content_type.pk] = str(model._meta.verbose_name) if model else content_type.model
        return sorted(((str(pk), name) for pk, name in seen.items()), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


class ReadOnlyLogMixin:
    """Logs are written by the system only: nobody adds, changes or deletes them here."""

    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class AuditActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [(str(k), v) for k, v in ACTION_LABELS.items() if k != LogEntry.Action.ACCESS]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class AuditLogEntryAdmin(ReadOnlyLogMixin, NotFoundMixin, admin.ModelAdmin):
    date_hierarchy = "timestamp"
    paginator = CachedCountPaginator  # every change ever made: the largest table
    list_display = ["when", "actor_name", "action_label", "data_type", "object_repr", "changed_fields"]
    list_display_links = ["when"]
    list_filter = [ActorFilter, AuditActionFilter, ModelTypeFilter]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "actor__username", "actor__name"]
    search_help_text = "可输入记录名称或操作人用户名、姓名"
    fields = ["when", "actor_name", "action_label", "data_type", "object_repr", "remote_addr", "change_table"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_active and request.user.is_superuser:
            return queryset
        return queryset.filter(actor__in=restrict_queryset(User.objects.all(), request.user))

    @admin.display(description="时间", ordering="timestamp")
    def when(self, obj):
        return timezone.localtime(obj.timestamp).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="操作人", ordering="actor__username")
    def actor_name(self, obj):
        return f"{obj.actor}（{obj.actor.username}）" if obj.actor_id else "系统"

    @admin.display(description="操作", ordering="action")
    def action_label(self, obj):
        return ACTION_LABELS.get(obj.action, obj.get_action_display())

    @admin.display(description="数据类型")
    def data_type(self, obj):
        model = obj.content_type.model_class()
        return model._meta.verbose_name if model else obj.content_type.model

    @admin.display(description="变更字段")
    def changed_fields(self, obj):
        model = obj.content_type.model_class()
        return "、".join(label for label, _old, _new in change_rows(obj, model)) if model else ""

    @admin.display(description="变更内容")
    def change_table(self, obj):
        model = obj.content_type.model_class()
        rows = change_rows(obj, model) if model else []
        if not rows:
            return "—"
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><tr><th>字段</th><th>修改前</th><th>修改后</th></tr>{}</table>", body)


class AccessLogAdmin(ReadOnlyLogMixin, ScopedModelAdmin):
    date_hierarchy = "created_at"
    paginator = CachedCountPaginator
    list_display = ["created_at", "user", "unit", "action", "model_label", "object_repr", "row_count", "ip_address"]
    list_filter = [AccessUserFilter, "action"]
    list_select_related = ["user", "unit"]
    search_fields = ["object_repr", "user__username", "user__name"]
    search_help_text = "可输入记录名称或用户名、姓名"
    readonly_fields = [
        "created_at",
        "user",
        "unit",
        "action",
        "model_label",
        "object_id",
        "object_repr",
        "filters",
        "row_count",
        "ip_address",
    ]
    fields = readonly_fields


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
admin.site.register(AccessLog, AccessLogAdmin)
