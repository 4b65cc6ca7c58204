"""``restrict(user, within=unit)``: the user's rows under a unit. Within the user's own unit the
scope is given to the database once (the same filter twice cost a fifth of a county's visit counts)."""

import pytest

from households.models import Household

pytestmark = pytest.mark.django_db


def households(queryset):
    return set(queryset.values_list("pk", flat=True))


def unit_filters(queryset):
    return str(queryset.query).count(" LIKE ")  # each scope filter: units whose path starts with …


def test_within_the_users_own_unit_is_the_users_rows_with_one_filter(cast):
    user, township = cast.users["township"], cast.townships[0]
    plain, within = Household.objects.restrict(user), Household.objects.restrict(user, within=township)
    assert households(within) == households(plain) != set()
    assert unit_filters(within) == unit_filters(plain) == 1


def test_within_a_lower_unit_narrows_and_another_scope_gives_nothing(cast):
    user = cast.users["township"]
    village = cast.branches[0].village
    assert households(Household.objects.restrict(user, within=village)) == households(
        Household.objects.filter(village=village)
    )
    assert not Household.objects.restrict(user, within=cast.townships[1]).exists()  # not the user's
    leader = cast.users["leader"]  # a unit above the user's own never widens it
    assert households(Household.objects.restrict(leader, within=cast.townships[0])) == households(
        Household.objects.filter(neighborhood=leader.unit_id)
    )


def test_a_superuser_within_a_unit_gets_that_unit_and_a_user_without_one_nothing(cast):
    township = cast.townships[1]
    root = cast.users["superuser"]
    assert households(Household.objects.restrict(root, within=township)) == households(
        Household.objects.filter(village__parent=township)
    )
    nobody = cast.users["village"]
    nobody.unit = None
    assert not Household.objects.restrict(nobody, within=township).exists()
