"""Unit rules live in governance.models and the admin uses them: levels above/below, the 邻 size
rule (5–15 households), and what holds a row that cannot be deleted."""

import pytest
from django.urls import reverse

from governance.admin import LevelAdmin, household_count_flag
from governance.admin_mixins import protected_message, protecting_rows
from governance.models import Neighborhood, Unit
from governance.models.units import (
    LEVEL_ORDER,
    NEIGHBORHOOD_MAX,
    NEIGHBORHOOD_MIN,
    Level,
    NeighborhoodSize,
    child_level,
    level_above,
    level_below,
    neighborhood_size,
)
from tests.factories import HouseholdFactory, NeighborhoodFactory


def test_levels_above_and_below():
    assert [level_below(level) for level in LEVEL_ORDER] == [*LEVEL_ORDER[1:], None]
    assert [level_above(level) for level in LEVEL_ORDER] == [None, *LEVEL_ORDER[:-1]]
    for level in LEVEL_ORDER:
        admin_for_level = type("A", (LevelAdmin,), {"level": level})
        assert admin_for_level.child_level.fget(admin_for_level) == child_level(Unit(level=level))


@pytest.mark.parametrize(
    ("count", "size"),
    [
        (0, NeighborhoodSize.SMALL),
        (NEIGHBORHOOD_MIN - 1, NeighborhoodSize.SMALL),
        (NEIGHBORHOOD_MIN, NeighborhoodSize.OK),
        (NEIGHBORHOOD_MAX, NeighborhoodSize.OK),
        (NEIGHBORHOOD_MAX + 1, NeighborhoodSize.LARGE),
    ],
)
def test_the_size_rule(count, size):
    assert neighborhood_size(count) == size
    assert ("⚠" not in str(household_count_flag(count))) is (size == NeighborhoodSize.OK)


def test_size_filter_in_the_database_matches_the_rule(cast):
    group = cast.branches[0].group
    village = cast.branches[0].village
    hoods = {}
    for count in (NEIGHBORHOOD_MIN - 1, NEIGHBORHOOD_MIN, NEIGHBORHOOD_MAX, NEIGHBORHOOD_MAX + 1):
        hoods[count] = NeighborhoodFactory(parent=group, name=f"{count}户邻")
        HouseholdFactory.create_batch(count, neighborhood=hoods[count], village=village)
    counted = {n.pk: n.household_count for n in Neighborhood.objects.with_household_count()}
    assert all(counted[hood.pk] == count for count, hood in hoods.items())
    for size in NeighborhoodSize:
        expected = {hood.pk for count, hood in hoods.items() if neighborhood_size(count) == size}
        found = set(Neighborhood.objects.filter(parent=group).of_size(size).values_list("pk", flat=True))
        assert found - {cast.branches[0].neighborhood.pk} == expected


def test_admin_size_filter_uses_the_rule(client, cast):
    group = cast.branches[0].group
    big = NeighborhoodFactory(parent=group, name="大邻")
    HouseholdFactory.create_batch(NEIGHBORHOOD_MAX + 1, neighborhood=big, village=cast.branches[0].village)
    client.force_login(cast.users["township"])
    url = reverse("admin:governance_neighborhood_changelist")
    large = client.get(url, {"size": NeighborhoodSize.LARGE})
    assert [n.pk for n in large.context["cl"].result_list] == [big.pk]
    small = {n.pk for n in client.get(url, {"size": NeighborhoodSize.SMALL}).context["cl"].result_list}
    assert cast.branches[0].neighborhood.pk in small and big.pk not in small
    assert f"合规（{NEIGHBORHOOD_MIN}-{NEIGHBORHOOD_MAX}户）" in large.content.decode()


def test_what_holds_a_unit_comes_from_the_collector_in_a_fixed_order(cast):
    village = cast.branches[0].village
    holders = protecting_rows([village])
    assert {type(row).__name__ for row in holders} >= {"Household", "Unit"}
    message = protected_message([village], holders)
    assert message.startswith("无法删除“虎溪村”：仍有户 2 条、用户 1 条、行政单元 1 条关联在它名下。")
    assert protected_message([village], list(reversed(holders))) == message
    assert protecting_rows([NeighborhoodFactory(parent=cast.branches[0].group, name="空邻")]) == []
    assert level_above(Level.NEIGHBORHOOD) == Level.VILLAGER_GROUP
