"""Scoping of the phone pages (/m/), the entries of CUSTOM_VIEWS in tests/core/scope_matrix.py."""

import pytest
from django.urls import reverse

from governance.models import Neighborhood
from households.models import Household
from tests.core import scope_matrix as sm
from tests.mobile.mobile_helpers import leader_person

PHONE_ROLES = ["superuser", "township", "township2", "village", "village2", "leader"]


@pytest.mark.parametrize("name", ["mobile:visit_create", "mobile:household_card"])
def test_household_pages_are_scoped(client, cast, name):
    leader_person(cast.branches[0])
    sm.check_object_view(
        client, cast, Household, lambda h: reverse(name, args=[h.pk]), roles=PHONE_ROLES, allowed=(200, 403)
    )


def test_unit_cards_are_scoped(client, cast):
    sm.check_object_view(
        client, cast, Neighborhood, lambda u: reverse("mobile:unit_cards", args=[u.pk]), roles=PHONE_ROLES
    )


@pytest.mark.parametrize("name", ["mobile:due_list", "mobile:compliance"])
@pytest.mark.parametrize("role", ["village", "village2", "township", "township2"])
def test_phone_pages_with_a_unit_parameter_are_scoped(client, cast, name, role):
    user = cast.users[role]
    client.force_login(user)
    for branch in cast.branches:
        status = client.get(reverse(name), {"unit": branch.village.pk}).status_code
        if sm.sees(user, branch.village):
            assert status == 200, (role, branch.village)
        else:
            assert status == 404, (role, branch.village)
    assert client.get(reverse(name), {"unit": "99999999999999999999"}).status_code == 404


@pytest.mark.parametrize("name", ["mobile:home", "mobile:cards_index", "mobile:due_list"])
def test_phone_pages_without_an_object_show_only_the_users_rows(client, cast, name):
    client.force_login(cast.users["village"])
    page = client.get(reverse(name)).content.decode()
    for branch in cast.branches[1:]:
        assert branch.village.name not in page
        for household in branch.households:
            assert household.head_name not in page
