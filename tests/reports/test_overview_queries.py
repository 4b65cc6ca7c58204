"""The unit page runs a fixed number of queries whatever the number of villages (and of records)."""

from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import build_branch
from tests.reports.overview_data import PERIOD, populate

MAX_QUERIES = 60  # session, user, the panels' grouped queries, children, headline, the admin's sidebar


def count_queries(client, unit, name="reports:overview", *, cached=False):
    if not cached:
        cache.clear()  # count the figures, not the cache's copy of them
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
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("reports:overview"), {"unit": county.pk, **PERIOD})


def test_the_brief_runs_as_many_queries_as_the_page(client, cast):
    populate(cast)
    client.force_login(cast.users["county"])
    page = count_queries(client, cast.county)
    brief = count_queries(client, cast.county, "reports:overview_print")
    assert brief <= page


def test_figures_are_counted_once_per_quarter_hour_per_viewer(client, cast):
    from reports.overview.views import CACHE_SECONDS

    populate(cast)
    client.force_login(cast.users["county"])
    first = count_queries(client, cast.county)
    again = count_queries(client, cast.county, cached=True)
    assert again <= first - 20  # the panels' queries are not run again
    assert CACHE_SECONDS <= 15 * 60
    # another viewer (another role or unit) counts its own: its panels and links may differ
    client.force_login(cast.users["township"])
    assert count_queries(client, cast.townships[0], cached=True) > again
    # another period is another entry
    client.force_login(cast.users["county"])
    with CaptureQueriesContext(connection) as queries:
        client.get(
            reverse("reports:overview"), {"unit": cast.county.pk, "start": PERIOD["start"], "end": PERIOD["start"]}
        )
    assert len(queries) > again


def test_the_panels_are_rendered_once_and_the_kept_page_is_the_same(client, cast):
    """The panels' HTML is kept with the figures: a second look renders no panel template and shows
    the same panels; the brief (its own markup: no links) is kept apart from the page."""
    populate(cast)
    client.force_login(cast.users["county"])
    cache.clear()
    url, query = reverse("reports:overview"), {"unit": cast.county.pk, **PERIOD}
    first = client.get(url, query)
    again = client.get(url, query)
    assert "reports/_overview_panels.html" in [t.name for t in first.templates]
    assert "reports/_overview_panels.html" not in [t.name for t in again.templates]
    panels = str(first.context["panels_html"])
    assert 'id="overview-charts"' in panels and panels in again.content.decode()
    brief = client.get(reverse("reports:overview_print"), query).content.decode()
    assert 'id="overview-charts"' in brief and '<a href="/admin/households/household/' not in brief


def test_the_panels_are_counted_heaviest_first_and_shown_in_their_order(client, cast, monkeypatch):
    from reports.overview import views

    populate(cast)
    started = []
    real_gather = views.gather

    def watching(parts):
        started.extend(part.func for part in parts)
        return real_gather(parts)

    monkeypatch.setattr(views, "gather", watching)
    client.force_login(cast.users["county"])
    cache.clear()
    page = client.get(reverse("reports:overview"), {"unit": cast.county.pk, **PERIOD})
    assert started == views.HEAVIEST_FIRST
    shown = [panel.key for panel in page.context["panels"]]
    assert shown == ["coverage", "contact", "grievances", "disputes", "training"]
