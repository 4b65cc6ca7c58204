"""Helpers shared by the phone-page tests: a leader with a roster person, visits N days ago."""

import datetime

from households.models import CareCategory, Visit
from tests.factories import HouseholdFactory, PostingFactory


def leader_person(branch):
    """The active 邻长 posting behind the cast's ``leader`` account (its unit is the branch's 邻)."""
    return PostingFactory(unit=branch.neighborhood, person__village=branch.village, person__name="赵邻长").person


def household(branch, name, special=False):
    categories = [CareCategory.objects.get(code=CareCategory.Code.EMPTY_NEST)] if special else []
    return HouseholdFactory(
        neighborhood=branch.neighborhood, village=branch.village, head_name=name, categories=categories
    )


def visit(household, visitor, days_ago, today=None):
    today = today or datetime.date.today()
    return Visit.objects.create(
        household=household, visitor=visitor, visited_on=today - datetime.timedelta(days=days_ago), topic="串门"
    )
