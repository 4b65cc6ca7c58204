"""The admin's date drill-down comes from the calendar: no MIN/MAX or DISTINCT scan of the list (issue 15)."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.mobile.mobile_helpers import leader_person, visit

URL = "/admin/households/visit/"


def scans(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    sqls = [q["sql"].upper() for q in ctx.captured_queries]
    return response.content.decode(), [s for s in sqls if "DISTINCT" in s or "MIN(" in s or "MAX(" in s]


@time_machine.travel(datetime.datetime(2026, 3, 15, 4, 0, tzinfo=datetime.UTC), tick=False)
def test_years_months_and_days_come_from_the_calendar_without_a_scan(client, cast):
    branch = cast.branches[0]
    march = visit(branch.households[0], leader_person(branch), 1, datetime.date(2026, 3, 2))
    client.force_login(cast.users["village"])

    html, extra = scans(client)
    assert extra == []
    assert "2022年" in html and "2026年" in html and "2027年" not in html

    html, extra = scans(client, {"visited_on__year": "2026"})
    assert extra == []
    assert "2026年3月" in html and "2026年4月" not in html  # never past this month
    assert "全部日期" in html

    html, extra = scans(client, {"visited_on__year": "2026", "visited_on__month": "3"})
    assert extra == []
    assert "3月15日" in html and "3月16日" not in html
    assert f"/admin/households/visit/{march.pk}/change/" in html

    html, _ = scans(client, {"visited_on__year": "2026", "visited_on__month": "3", "visited_on__day": "3"})
    assert f"/admin/households/visit/{march.pk}/change/" not in html  # the chosen day filters the list


def test_a_malformed_date_shows_no_drilldown_and_no_error(client, cast):
    client.force_login(cast.users["village"])
    response = client.get(URL, {"visited_on__year": "2026", "visited_on__month": "13"})
    assert response.status_code in (200, 302)
