"""Contact rhythm (seed 002): special-care households weekly, all others monthly."""

import pytest

from households.models import CareCategory, Household
from households.models.households import WEEKLY as WEEKLY_INTERVAL
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", CareCategory.Code.values)
def test_any_care_category_means_weekly(code):
    household = HouseholdFactory(categories=[CareCategory.objects.get(code=code)])
    assert household.contact_interval == WEEKLY_INTERVAL
    assert Household.objects.with_special().get(pk=household.pk).is_special is True


def test_no_category_means_monthly():
    household = HouseholdFactory()
    assert household.contact_interval.days == 30
    assert Household.objects.with_special().get(pk=household.pk).is_special is False


def test_with_special_agrees_with_the_property_in_one_query(django_assert_num_queries):
    categories = list(CareCategory.objects.all())
    households = [
        HouseholdFactory(),
        HouseholdFactory(categories=categories[:1]),
        HouseholdFactory(categories=categories[2:5]),
        HouseholdFactory(),
    ]
    expected = {h.pk: h.contact_interval for h in households}
    with django_assert_num_queries(1):
        annotated = {h.pk: h.contact_interval for h in Household.objects.with_special()}
    assert annotated == expected
    assert set(Household.objects.special().values_list("pk", flat=True)) == {households[1].pk, households[2].pk}
