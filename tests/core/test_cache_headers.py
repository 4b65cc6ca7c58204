"""Pages for signed-in users are never stored by browsers or proxies (Cache-Control: no-store)."""

import pytest

from tests.factories import ResidentFactory


@pytest.mark.parametrize("role", ["village", "county", "leader"])
def test_authenticated_pages_are_no_store(client, cast, role):
    resident = ResidentFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users[role])
    for url in [
        "/",
        "/admin/",
        "/admin/households/household/",
        f"/admin/households/resident/{resident.pk}/change/",
        "/admin/does-not-exist/",
    ]:
        response = client.get(url)
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control, (url, response.status_code, cache_control)
        assert "private" in cache_control


def test_reveal_page_is_no_store(client, cast):
    resident = ResidentFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["village"])
    response = client.post(f"/admin/households/resident/{resident.pk}/reveal/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_anonymous_redirect_is_not_marked_private(client, db):
    response = client.get("/")
    assert "private" not in response.get("Cache-Control", "")


def test_error_pages_are_chinese_and_echo_nothing(client, cast, settings):
    settings.DEBUG = False
    client.force_login(cast.users["village"])
    response = client.get("/admin/households/household/999999/change/?q=13812345678")
    assert response.status_code in (302, 404)
    response = client.get("/nowhere/13812345678/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert "13812345678" not in html


def test_server_error_page_is_chinese():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统出错" in html and "{{" not in html
