"""The admin site of 三长通: its titles, and the app list built once per kind of user.

Every admin page builds the list of apps and models the user may open (the sidebar; the home page
twice): about 50 model admins asked for four permissions each, several milliseconds of every page
(issue 15). What a user may open follows from whether they are a superuser and from their role
(``accounts.backends.RoleBackend``: a role's table, nothing for a user without a unit), so the list
is built once per process for each such kind of user and reused.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class SanzhangAdminSite(AdminSite):
    site_header = "三长通 · 片组邻三长制管理"
    site_title = "三长通"
    index_title = "工作台"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = {}

    @staticmethod
    def user_kind(user):
        """What decides the user's permissions (None: not worth keeping, e.g. an inactive user)."""
        if not user.is_active or not user.is_staff:
            return None
        if user.is_superuser:
            return ("superuser",)
        return ("role", getattr(user, "role", ""), getattr(user, "unit_id", None) is not None)

    def each_context(self, request):
        """Adds ``app_list_key``: the key under which the rendered app list is kept for this kind of user
        and section of the site (its links mark the current app and model from the path's first
        segments). Rendering it was about a third of a list page's template time (issue 15)."""
        context = super().each_context(request)
        kind = self.user_kind(request.user)
        section = "/".join(request.path.split("/")[:4])
        who = ":".join(map(str, kind)) if kind else f"user:{request.user.pk}"
        context["app_list_key"] = f"{who}:{section}"
        return context

    def get_app_list(self, request, app_label=None):
        kind = self.user_kind(request.user)
        if kind is None or app_label is not None:
            return super().get_app_list(request, app_label)
        if kind not in self._app_lists:
            self._app_lists[kind] = super().get_app_list(request)
        # Callers may sort or annotate it: each gets its own copy of the apps and their model lists.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in self._app_lists[kind]]


class SanzhangAdminConfig(AdminConfig):
    default_site = "core.admin_site.SanzhangAdminSite"
