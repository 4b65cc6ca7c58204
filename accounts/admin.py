"""User admin: township staff manage their township's and villages' users, village cadres their leaders.

Role choices are the roles the editor may grant (never above their own), unit choices are units in
the editor's scope at a level that fits one of those roles, and the form checks that the unit's
level matches the role. Superuser, staff, group and permission fields exist only for superusers;
new users made by other staff get ``is_staff`` so they can sign in to the admin.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from accounts import admin_logs  # noqa: F401  (registers the audit-log and access-log admins)
from accounts.backends import grantable_roles
from accounts.models import ROLE_LEVELS, Role, User
from core.admin_base import ScopedModelAdmin
from core.admin_params import ValidIdFormfieldMixin, ValidParamsMixin

GRANT_REFUSED = "您无权设置该角色或所属单元。"


def level_labels(levels):
    """Names of unit levels, read from the unit field's choices (accounts sits below governance)."""
    names = dict(User._meta.get_field("unit").related_model._meta.get_field("level").flatchoices)
    return "或".join(str(names[level]) for level in levels)


class UserScopeFormMixin:
    """Role and unit checks for the user add/change forms (the editor is ``request_user``)."""

    request_user = None

    def clean(self):
        cleaned = super().clean()
        role, unit = cleaned.get("role"), cleaned.get("unit")
        editor = self.request_user
        if editor is not None and not editor.is_superuser:
            if not role and "role" not in self.errors:
                self.add_error("role", "请选择角色。")
            if not unit and "unit" not in self.errors:
                self.add_error("unit", "请选择所属单元。")
        if bool(role) != bool(unit) and editor is not None and editor.is_superuser:
            self.add_error("unit", "角色和所属单元必须同时填写（超级管理员两者都不填）。")
        if role and unit and unit.level not in ROLE_LEVELS.get(role, []):
            self.add_error("unit", f"“{Role(role).label}”的所属单元必须是{level_labels(ROLE_LEVELS[role])}一级。")
        return cleaned


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["username", "name"]
    autocomplete_fields = ["unit", "person"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["name", "phone", "email"]}),
        ("角色与单元", {"fields": ["role", "unit", "person", "is_active"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [
        *fieldsets,
        ("权限（仅超级管理员）", {"fields": ["is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        ("个人信息", {"fields": ["name", "phone"]}),
        ("角色与单元", {"fields": ["role", "unit", "person"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(f"Scoped{form.__name__}", (UserScopeFormMixin, form), {"request_user": request.user})

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            roles = grantable_roles(request.user)
            blank = [("", "---------")] if request.user.is_superuser else []
            kwargs["choices"] = blank + [(role.value, role.label) for role in roles]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit" and field is not None and not request.user.is_superuser:
            levels = {level for role in grantable_roles(request.user) for level in ROLE_LEVELS[role]}
            field.queryset = field.queryset.filter(level__in=levels)
        return field

    def may_edit(self, request, obj):
        """Only users whose current role the editor could grant (a village cadre cannot edit a peer)."""
        return obj is None or request.user.is_superuser or obj.role in grantable_roles(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)

    def save_model(self, request, obj, form, change):
        """Re-check the grant in the admin's transaction; the base then re-checks the unit's scope."""
        editor = request.user
        if not editor.is_superuser:
            if obj.is_superuser or obj.role not in grantable_roles(editor):
                raise PermissionDenied(GRANT_REFUSED)
            if not change:
                obj.is_staff = True
        super().save_model(request, obj, form, change)


class GroupAdmin(ValidParamsMixin, ValidIdFormfieldMixin, DjangoGroupAdmin):
    """Django's group admin (superusers only), with malformed permission ids refused like ours."""


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
