"""The statistics pages keep their figures a minute per viewer, unit and period (issue 15): a second
look within the minute counts nothing, a minute later counts afresh; the export always counts afresh."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def kept_a_minute(settings):
    settings.REPORT_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def collected(client, user, unit):
    client.force_login(user)
    response = client.get(reverse("reports:grievance_stats"), {"unit": unit.pk, **PERIOD})
    assert response.status_code == 200
    return response.context["report"].total["collected"]


def test_a_look_within_the_minute_reuses_the_figures_then_they_are_counted_again(client, cast, kept_a_minute):
    household = cast.branches[0].households[0]
    user, unit = cast.users["township"], cast.townships[0]
    GrievanceFactory(household=household, received_on=DAY)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)) as clock:
        assert collected(client, user, unit) == 1
        GrievanceFactory(household=household, received_on=DAY)
        assert collected(client, user, unit) == 1  # the same minute: kept
        assert collected(client, cast.users["county"], cast.county) == 2  # another viewer counts its own
        clock.shift(datetime.timedelta(seconds=61))
        assert collected(client, user, unit) == 2


def test_another_scope_never_reads_kept_figures(client, cast, kept_a_minute):
    GrievanceFactory(household=cast.branches[0].households[0], received_on=DAY)
    GrievanceFactory(household=cast.branches[2].households[0], received_on=DAY)
    assert collected(client, cast.users["county"], cast.county) == 2
    assert collected(client, cast.users["township2"], cast.townships[1]) == 1
    client.force_login(cast.users["township2"])
    response = client.get(reverse("reports:grievance_stats"), {"unit": cast.townships[0].pk, **PERIOD})
    assert response.status_code == 404


def test_the_kept_table_is_rendered_once_and_shows_the_kept_figures(client, cast, kept_a_minute):
    GrievanceFactory(household=cast.branches[0].households[0], received_on=DAY)
    client.force_login(cast.users["county"])
    url, query = reverse("reports:grievance_stats"), {"unit": cast.county.pk, **PERIOD}
    first, again = client.get(url, query), client.get(url, query)
    assert "reports/_report_table.html" in [t.name for t in first.templates]
    assert "reports/_report_table.html" not in [t.name for t in again.templates]
    table = str(first.context["table_html"])
    assert 'id="report-table"' in table and cast.townships[0].name in table and table in again.content.decode()
