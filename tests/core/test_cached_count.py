"""Very large lists count their rows once a minute per query, per scope (issue 15)."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.mobile.mobile_helpers import leader_person, visit

URL = "/admin/households/visit/"
DAY = datetime.date(2026, 3, 2)


def page(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    counts = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    return response.context["cl"].result_count, len(counts)


def test_the_total_is_counted_once_a_minute_and_the_rows_stay_fresh(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    first = visit(branch.households[0], person, 1, DAY)
    client.force_login(cast.users["village"])
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        assert page(client) == (1, 1)
        added = visit(branch.households[1], person, 1, DAY - datetime.timedelta(days=1))  # listed last
        assert page(client) == (1, 0)  # the total may lag a minute...
        assert set(client.get(URL).context["cl"].result_list) == {first, added}  # ...the rows never do
        clock.shift(datetime.timedelta(seconds=61))
        assert page(client) == (2, 1)  # ...then it is counted again


def test_each_scope_and_filter_has_its_own_total(client, cast):
    ours, theirs = cast.branches[0], cast.branches[2]
    visit(ours.households[0], leader_person(ours), 1, DAY)
    their_leader = leader_person(theirs)
    for household in theirs.households[:2]:
        visit(household, their_leader, 1, DAY)
    client.force_login(cast.users["village"])
    assert page(client)[0] == 1
    client.force_login(cast.users["county"])
    assert page(client)[0] == 3
    assert page(client, {"method__exact": "phone"})[0] == 0


def test_the_household_and_grievance_lists_count_once_a_minute_too(client, cast):
    """The two lists most opened under load (issue 15): a second look within the minute runs no count."""
    client.force_login(cast.users["township"])
    for url in ("/admin/households/household/", "/admin/grievances/grievance/"):
        for expected_counts in (1, 0):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counted = [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"]]
            assert len(counted) == expected_counts, (url, [q["sql"][:120] for q in counted])
