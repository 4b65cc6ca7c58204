"""The unit page runs a fixed number of queries whatever the number of villages (and of records)."""

from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import build_branch
from tests.reports.overview_data import PERIOD, populate

MAX_QUERIES = 60  # session, user, the panels' grouped queries, children, headline, the admin's sidebar


def count_queries(client, unit, name="reports:overview"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), {"unit": unit.pk, **PERIOD})
    assert response.status_code == 200
    return len(queries)


def test_the_county_page_runs_the_same_queries_for_4_or_12_villages(client, cast, django_assert_max_num_queries):
    populate(cast)
    client.force_login(cast.users["county"])
    county = cast.county
    before = count_queries(client, county)
    township_before = count_queries(client, cast.townships[0])
    added = [build_branch(t, f"{t.name}新村{n}") for t in cast.townships for n in range(4)]
    populate(SimpleNamespace(county=county, townships=cast.townships, branches=added[::2]))  # more rows too
    assert count_queries(client, county) == before
    assert count_queries(client, cast.townships[0]) == township_before
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("reports:overview"), {"unit": county.pk, **PERIOD})


def test_the_brief_runs_as_many_queries_as_the_page(client, cast):
    populate(cast)
    client.force_login(cast.users["county"])
    page = count_queries(client, cast.county)
    brief = count_queries(client, cast.county, "reports:overview_print")
    assert brief <= page
