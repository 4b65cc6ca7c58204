"""The admin's app list is built once per kind of user (superuser, or role with a unit) and reused."""

from unittest import mock

from django.contrib import admin
from django.core.cache import cache
from django.test import RequestFactory

from core.admin_site import SanzhangAdminSite


def app_list(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site.get_app_list(request)


def models(apps):
    return {(app["app_label"], model["object_name"]) for app in apps for model in app["models"]}


def test_the_site_is_ours_with_its_titles(client, cast):
    assert isinstance(admin.site, SanzhangAdminSite)
    client.force_login(cast.users["township"])
    html = client.get("/admin/").content.decode()
    assert "三长通 · 片组邻三长制管理" in html and "工作台" in html


def test_each_kind_of_user_gets_its_own_list_built_once(cast):
    admin.site._app_lists.clear()
    with mock.patch.object(SanzhangAdminSite, "_build_app_dict", wraps=admin.site._build_app_dict) as build:
        township, other_township = app_list(cast.users["township"]), app_list(cast.users["township2"])
        village, root = app_list(cast.users["village"]), app_list(cast.users["superuser"])
        assert build.call_count == 3  # township (once for both), village, superuser
    assert models(township) == models(other_township)
    assert ("governance", "Unit") in models(root) and ("governance", "Unit") not in models(township)
    assert models(village) != models(township)  # the roles see different models


def test_a_caller_changing_its_list_does_not_change_the_next(cast):
    first = app_list(cast.users["village"])
    first[0]["models"].clear()
    first.clear()
    assert app_list(cast.users["village"])[0]["models"]


def sidebar(client, user, path):
    client.force_login(user)
    html = client.get(path).content.decode()
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start : html.index("</nav>", start)]


def test_the_kept_sidebar_marks_the_page_open_and_shows_each_kind_of_user_its_own(client, cast):
    """The rendered sidebar is kept per kind of user and section: each list marks itself, and a
    superuser's models never appear in a cadre's sidebar (nor the reverse)."""
    cache.clear()
    households = sidebar(client, cast.users["township"], "/admin/households/household/")
    grievances = sidebar(client, cast.users["township"], "/admin/grievances/grievance/")
    assert 'class="model-household current-model"' in households
    assert 'class="model-grievance current-model"' in grievances and "model-household current-model" not in grievances
    assert sidebar(client, cast.users["township"], "/admin/households/household/") == households  # kept, the same
    root = sidebar(client, cast.users["superuser"], "/admin/households/household/")
    assert 'class="model-unit' in root and 'class="model-unit' not in households
    village = sidebar(client, cast.users["village"], "/admin/households/household/")
    assert village != households
