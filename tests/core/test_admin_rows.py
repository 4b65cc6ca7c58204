"""The change lists' rows (core/templatetags/admin_rows.py) are Django's rows, byte for byte.

Every admin-registered model gets rows from the scoping matrix's factories; its change list is
rendered once with our rows and once with Django's ``results``, and the table bodies must match:
links with their preserved filters, empty values, choices, dates, booleans and the action checkbox.
"""

import pytest
from django.contrib.admin.templatetags.admin_list import results

from core.templatetags import admin_rows
from tests.core import scope_matrix as sm

MODELS = [m for m in sm.registered_models() if m in sm.MODEL_FACTORIES]


def table_body(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<tbody>" in html, "the list shows no rows"
    return html[html.index("<tbody>") : html.index("</tbody>")]


def both_ways(client, url, monkeypatch):
    ours = table_body(client, url)
    with monkeypatch.context() as patch:
        patch.setattr(admin_rows, "fast_results", lambda cl: list(results(cl)))
        django = table_body(client, url)
    return ours, django


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_rows_are_djangos_rows(client, cast, model, monkeypatch):
    sm.build_rows(cast, model)
    client.force_login(cast.users["superuser"])
    ours, django = both_ways(client, sm.admin_url(model, "changelist"), monkeypatch)
    assert ours == django


def test_rows_keep_the_lists_filters_in_their_links(client, cast, monkeypatch):
    """A row's link carries the list's filters back (``_changelist_filters``), as Django's does."""
    from households.models import Household

    sm.build_rows(cast, Household)
    client.force_login(cast.users["township"])
    url = sm.admin_url(Household, "changelist") + "?o=-1"
    ours, django = both_ways(client, url, monkeypatch)
    assert ours == django
    assert "/change/?_changelist_filters=o%3D-1" in ours


def test_popup_lists_use_djangos_rows(client, cast, monkeypatch):
    """A popup list (the pick-a-row window) needs Django's data-popup-opener: its own rows are used."""
    from governance.models import Person

    sm.build_rows(cast, Person)
    client.force_login(cast.users["superuser"])
    url = sm.admin_url(Person, "changelist") + "?_popup=1&_to_field=id"
    ours, django = both_ways(client, url, monkeypatch)
    assert ours == django
    assert "data-popup-opener" in ours


def test_rows_cost_no_query_per_row(client, cast, django_assert_max_num_queries):
    """Building the rows adds no query: everything shown comes with the page's one list query."""
    from households.models import Household

    sm.build_rows(cast, Household)
    client.force_login(cast.users["county"])
    url = sm.admin_url(Household, "changelist")
    client.get(url)
    with django_assert_max_num_queries(6):  # 12 rows: a query per row would make it 18
        assert client.get(url).status_code == 200
