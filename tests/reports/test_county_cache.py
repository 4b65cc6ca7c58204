"""The county summary's figures are kept per user scope, unit, period and day: a second look costs no
counting, a new day or another scope counts afresh."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.county import page_reports
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db
START, END = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def cached(settings):
    settings.COUNTY_REPORT_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:county"), params)
    assert response.status_code == 200
    return len(captured), response.context["tables"]


def test_a_second_look_reuses_the_figures(client, cast, cached):
    GrievanceFactory(household=cast.branches[0].households[0], received_on=datetime.date(2026, 3, 2))
    client.force_login(cast.users["county"])
    params = {"unit": cast.county.pk, **PERIOD}
    first, tables = queries(client, params)
    second, again = queries(client, params)
    assert second <= first - 20  # the topics' grouped queries are not run again
    assert [t["report"].total.values() for t in again] == [t["report"].total.values() for t in tables]
    assert again[4]["report"].total["collected"] == 1
    other, _ = queries(client, {"unit": cast.county.pk, "start": "2026-04-01", "end": "2026-04-30"})
    assert other >= first - 2  # another period is counted


def test_a_new_day_or_another_scope_counts_afresh(cast, cached):
    user, unit = cast.users["county"], cast.county
    page_reports(user, unit, START, END, END)
    GrievanceFactory(household=cast.branches[0].households[0], received_on=datetime.date(2026, 3, 2))
    assert page_reports(user, unit, START, END, END)[4].total["collected"] == 0  # the same day: kept
    assert page_reports(user, unit, START, END, END + datetime.timedelta(days=1))[4].total["collected"] == 1
    township = cast.users["township"]
    assert page_reports(township, cast.townships[0], START, END, END)[4].total["collected"] == 1
