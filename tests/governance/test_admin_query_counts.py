"""Admin changelists run a fixed number of queries whatever the number of rows.

Expected queries for a superuser's changelist (show_full_result_count is off):
session, user, the filtered count, the page of rows, plus fixed extras per list: the
prefetch of care categories (户), the active postings prefetch (三长), filter choices
(one query for the chosen units, one per shown level of the unit cascade, care categories),
the date hierarchy (任职).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import CareCategory
from tests.factories import (
    HouseholdFactory,
    NeighborhoodFactory,
    PersonFactory,
    PostingFactory,
    ResidentFactory,
    VillageFactory,
)

MAX_QUERIES = 16


def grow(cast, n):
    """Add rows of every listed kind so each changelist shows ``n`` more."""
    branch = cast.branches[0]
    categories = list(CareCategory.objects.all()[:2])
    for _ in range(n):
        neighborhood = NeighborhoodFactory(parent=branch.group)
        household = HouseholdFactory(village=branch.village, neighborhood=neighborhood, categories=categories)
        ResidentFactory(household=household)
        person = PersonFactory(village=branch.village)
        PostingFactory(person=person, unit=neighborhood)
        PostingFactory(person=person, unit=branch.village, role="representative")
        VillageFactory(parent=cast.townships[0])


def count_queries(client, url):
    """Queries of a first look (the lists that keep their total a minute count it afresh here)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "changelist",
    [
        "households_household",
        "households_resident",
        "governance_person",
        "governance_posting",
        "governance_neighborhood",
        "governance_village",
        "governance_area",
    ],
)
@pytest.mark.parametrize("user", ["superuser", "township"])
def test_changelist_query_count_does_not_grow_with_rows(client, cast, django_assert_max_num_queries, changelist, user):
    client.force_login(cast.users[user])
    url = reverse(f"admin:{changelist}_changelist")
    grow(cast, 3)
    with django_assert_max_num_queries(MAX_QUERIES):
        small = count_queries(client, url)
    grow(cast, 27)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert small == large


def test_filtered_household_changelist_is_fixed_too(client, cast, django_assert_max_num_queries):
    branch = cast.branches[0]
    client.force_login(cast.users["township"])
    url = (
        reverse("admin:households_household_changelist")
        + f"?village={branch.village.pk}&area={branch.area.pk}&villager_group={branch.group.pk}&link=unlinked"
    )
    grow(cast, 3)
    small = count_queries(client, url)
    grow(cast, 27)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = count_queries(client, url)
    assert small == large
