"""Every number of the unit page that links to a list links to the list it counts, filtered the
same way: the admin list behind the link shows exactly that many rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.reports.overview_data import PERIOD, populate


def linked_numbers(response):
    for panel in response.context["panels"]:
        for figure in panel.figures:
            if figure.url:
                yield f"{panel.key}:{figure.label}", figure.value, figure.url
        for _, table in panel.blocks:
            for row in [*table.rows, *([table.total] if table.total else [])]:
                for header, cell in zip(table.headers, row.cells, strict=True):
                    if cell.url:
                        yield f"{panel.key}:{row.name}:{header}", cell.value, cell.url
    for item in response.context["headline"]:
        if item.url:
            yield f"headline:{item.label}", item.value, item.url


@pytest.mark.parametrize("role", ["county", "township", "village"])
def test_each_linked_number_is_the_count_of_its_list(client, cast, role):
    populate(cast)
    user = cast.users[role]
    client.force_login(user)
    response = client.get(reverse("reports:overview"), {"unit": user.unit.pk, **PERIOD})
    checked = 0
    for where, value, url in linked_numbers(response):
        listed = client.get(url)
        assert listed.status_code == 200, (where, url)
        assert listed.context["cl"].result_count == value, (where, url, value)
        checked += 1
    assert checked > 20


def test_a_number_is_not_linked_where_no_list_can_filter_it_the_same_way(client, cast):
    populate(cast)
    client.force_login(cast.users["village"])
    response = client.get(reverse("reports:overview"), {"unit": cast.branches[0].village.pk, **PERIOD})
    grievances = next(p for p in response.context["panels"] if p.key == "grievances")
    rows = grievances.blocks[0][1].rows  # by 片: the grievance list filters by village at most
    assert rows and all(not cell.url for row in rows for cell in row.cells)
    assert grievances.blocks[0][1].total.cells[0].url  # the village's total is linked


@pytest.mark.parametrize("role", ["county", "village"])
def test_this_months_compliant_households_link_the_households_contacted_in_time(client, cast, role):
    """Compliance is as of the period's end: when that is today, the household list's 联系情况 filter
    counts the same households; for an earlier end there is no such list and no link."""
    populate(cast)
    user = cast.users[role]
    client.force_login(user)
    response = client.get(reverse("reports:overview"), {"unit": user.unit.pk})  # this month, up to today
    contact = next(p for p in response.context["panels"] if p.key == "contact")
    table = contact.blocks[0][1]
    checked = 0
    for row in [*table.rows, table.total]:
        for header, cell in zip(table.headers, row.cells, strict=True):
            if header.endswith("按期联系") and cell.url:
                assert "contact=ok" in cell.url
                assert client.get(cell.url).context["cl"].result_count == cell.value, (row.name, header)
                checked += 1
    assert checked >= 2
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    period = {"unit": user.unit.pk, "start": PERIOD["start"], "end": yesterday}
    earlier = client.get(reverse("reports:overview"), period)
    table = next(p for p in earlier.context["panels"] if p.key == "contact").blocks[0][1]
    assert not any("contact=ok" in cell.url for row in [*table.rows, table.total] for cell in row.cells)
