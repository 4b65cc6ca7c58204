"""The signed-in user is read with their unit in one query (every page scopes by it), and a user
made inactive is signed out on their next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import RoleBackend

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_unit_in_one_query(cast):
    user = cast.users["village"]
    with CaptureQueriesContext(connection) as queries:
        loaded = RoleBackend().get_user(user.pk)
        assert loaded.unit == user.unit
    assert len(queries) == 1


def test_an_unknown_or_inactive_user_is_nobody(cast):
    user = cast.users["village"]
    assert RoleBackend().get_user(10**9) is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert RoleBackend().get_user(user.pk) is None


def test_a_user_made_inactive_is_signed_out_on_the_next_page(client, cast):
    user = cast.users["township"]
    client.post("/admin/login/", {"username": user.username, "password": "Sanzhang-test-2026"})
    assert client.get("/admin/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
