"""Scoping of the unit page and its brief (CUSTOM_VIEWS in tests/core/scope_matrix.py): every role
asks for every unit of the cast; at or under its own unit answers 200, any other 404. Each user
lands on their own unit, and the page links only to units the user may open."""

import re

import pytest
from django.urls import reverse

from tests.core import scope_matrix as sm
from tests.reports.overview_data import PERIOD, populate
from tests.reports.test_report_scoping import units_of

ROLES = ["superuser", "county", "township", "township2", "village", "village2", "leader"]


def check(client, cast, name):
    for role in ROLES:
        user = cast.users[role]
        client.force_login(user)
        for unit in units_of(cast):
            status = client.get(reverse(name), {"unit": unit.pk, **PERIOD}).status_code
            assert status == (200 if sm.sees(user, unit) else 404), (name, role, unit, status)
        assert client.get(reverse(name), {"unit": "99999999999999999999"}).status_code == 404
        assert client.get(reverse(name), {"unit": "abc"}).status_code == 404


def test_the_unit_page_is_scoped(client, cast):
    check(client, cast, "reports:overview")


def test_the_brief_is_scoped(client, cast):
    check(client, cast, "reports:overview_print")


@pytest.mark.parametrize("role", ["county", "township", "village", "leader"])
def test_each_user_lands_on_their_own_unit(client, cast, role):
    user = cast.users[role]
    client.force_login(user)
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert response.context["unit"] == user.unit
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("reports:overview") in home  # linked from the admin home


def test_a_township_user_cannot_open_another_township_or_its_villages(client, cast):
    client.force_login(cast.users["township"])
    other = cast.townships[1]
    assert client.get(reverse("reports:overview"), {"unit": other.pk}).status_code == 404
    assert client.get(reverse("reports:overview"), {"unit": cast.branches[2].village.pk}).status_code == 404
    assert client.get(reverse("reports:overview_print"), {"unit": other.pk}).status_code == 404


def test_drill_down_links_stay_in_scope(client, cast):
    populate(cast)
    client.force_login(cast.users["township"])
    html = client.get(reverse("reports:overview"), PERIOD).content.decode()
    linked = {int(pk) for pk in re.findall(r"/reports/overview/\?unit=(\d+)", html)}
    mine = {cast.branches[0].village.pk, cast.branches[1].village.pk, cast.townships[0].pk}
    assert linked and linked <= mine
    # the county above is not in the breadcrumbs: the township user may not open it
    assert cast.county.pk not in linked
