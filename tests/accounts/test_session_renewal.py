"""The idle window is renewed without a session write on every page (issue 15)."""

import datetime

import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "Sanzhang-test-2026"


def session_writes(client, path="/admin/"):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_pages_within_the_renewal_interval_do_not_write_the_session(client, cast):
    renew = datetime.timedelta(seconds=settings.SESSION_RENEW_SECONDS)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.post("/admin/login/", {"username": "village", "password": PASSWORD})
        assert session_writes(client) == []  # login started the interval
        clock.shift(renew - datetime.timedelta(seconds=1))
        assert session_writes(client) == []
        clock.shift(datetime.timedelta(seconds=2))
        assert session_writes(client)  # renewed: the idle window starts again


def test_anonymous_requests_create_no_session(client, db):
    client.get("/admin/login/")
    assert settings.SESSION_COOKIE_NAME not in client.cookies
