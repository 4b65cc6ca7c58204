"""CSRF on every state-changing admin view, and the Content-Security-Policy header."""

import re

import pytest
from django.test import Client

from accounts.models import AccessLog
from tests.factories import ResidentFactory

PASSWORD = "Sanzhang-test-2026"


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def token_from(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_admin_login_refused_without_token(csrf_client, cast):
    response = csrf_client.post("/admin/login/", {"username": "village", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert "_auth_user_id" not in csrf_client.session


def test_admin_login_accepted_with_token(csrf_client, cast):
    token = token_from(csrf_client.get("/admin/login/"))
    response = csrf_client.post(
        "/admin/login/?next=/admin/", {"username": "village", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_change_form_refused_without_token(csrf_client, cast):
    household = cast.branches[0].households[0]
    csrf_client.force_login(cast.users["village"])
    response = csrf_client.post(
        f"/admin/households/household/{household.pk}/change/",
        {"village": household.village_id, "head_name": "篡改"},
    )
    assert response.status_code == 403
    household.refresh_from_db()
    assert household.head_name != "篡改"


def test_reveal_refused_without_token_and_accepted_with_it(csrf_client, cast):
    resident = ResidentFactory(household=cast.branches[0].households[0])
    csrf_client.force_login(cast.users["village"])
    url = f"/admin/households/resident/{resident.pk}/reveal/"
    assert csrf_client.post(url).status_code == 403
    assert not AccessLog.objects.exists()
    token = token_from(csrf_client.get(f"/admin/households/resident/{resident.pk}/change/"))
    response = csrf_client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL).count() == 1


def test_logout_needs_post_and_token(csrf_client, cast):
    csrf_client.force_login(cast.users["village"])
    assert csrf_client.get("/admin/logout/").status_code == 405
    assert csrf_client.post("/admin/logout/").status_code == 403


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/admin/households/household/"])
def test_csp_header_on_pages(client, cast, url):
    client.force_login(cast.users["village"])
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    # A nonce is added only to pages that use one (django-csp generates it lazily).
    assert directives["script-src"].split()[0] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_admin_pages_have_no_inline_script_or_style(client, cast):
    """The policy forbids inline code without a nonce: the admin pages we use must carry none."""
    resident = ResidentFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["village"])
    for url in [
        "/admin/",
        "/admin/households/household/",
        f"/admin/households/household/{resident.household_id}/change/",
        f"/admin/households/resident/{resident.pk}/change/",
        f"/admin/households/resident/{resident.pk}/history/",
    ]:
        html = client.get(url).content.decode()
        inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", html)
        assert inline_scripts == [] or all("application/json" in s for s in inline_scripts), url
        assert "<style" not in html, url
        assert not re.search(r"\son[a-z]+=\"", html), url
