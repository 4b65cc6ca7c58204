"""The grievance changelist: filters, search, fixed query count; the category admin's permissions."""

import pytest
from django.urls import reverse

from grievances.models import Grievance, GrievanceCategory
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

URL = "admin:grievances_grievance_changelist"


def test_changelist_query_count_is_the_same_for_3_and_30_rows(client, cast, django_assert_max_num_queries):
    client.force_login(cast.users["village"])
    households = cast.branches[0].households
    GrievanceFactory.create_batch(3, household=households[0])
    client.get(reverse(URL))
    with django_assert_max_num_queries(16) as small:
        assert client.get(reverse(URL)).status_code == 200
    GrievanceFactory.create_batch(27, household=households[1])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse(URL)).content.decode()
    assert page.count('class="field-summary"') == 30


def test_changelist_is_scoped_and_filters_by_village(client, cast):
    GrievanceFactory(household=cast.branches[0].households[0], description="虎溪村的诉求")
    GrievanceFactory(household=cast.branches[1].households[0], description="大坪村的诉求")
    GrievanceFactory(household=cast.branches[2].households[0], description="新圩村的诉求")
    client.force_login(cast.users["township"])
    page = client.get(reverse(URL)).content.decode()
    assert "虎溪村的诉求" in page
    assert "大坪村的诉求" in page
    assert "新圩村的诉求" not in page
    page = client.get(reverse(URL), {"village": cast.branches[1].village.pk}).content.decode()
    assert "大坪村的诉求" in page
    assert "虎溪村的诉求" not in page
    # A forged village id outside scope yields nothing rather than another township's rows.
    page = client.get(reverse(URL), {"village": cast.branches[2].village.pk}).content.decode()
    assert "新圩村的诉求" not in page


def test_search_by_household_head_and_filter_by_status(client, cast):
    household = cast.branches[0].households[0]
    GrievanceFactory(household=household, description="排水沟", status=Grievance.Status.VERIFIED)
    GrievanceFactory(household=cast.branches[0].households[1], description="宅基地")
    client.force_login(cast.users["village"])
    page = client.get(reverse(URL), {"q": household.head_name}).content.decode()
    assert "排水沟" in page
    assert "宅基地" not in page
    page = client.get(reverse(URL), {"status": "registered"}).content.decode()
    assert "宅基地" in page
    assert "排水沟" not in page


def test_categories_are_configurable_by_superusers_only(client, cast):
    url = reverse("admin:grievances_grievancecategory_add")
    client.force_login(cast.users["township"])
    assert client.get(reverse("admin:grievances_grievancecategory_changelist")).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(cast.users["superuser"])
    response = client.post(url, {"name": "教育", "sort_order": 9, "is_active": "on"})
    assert response.status_code == 302
    assert GrievanceCategory.objects.filter(name="教育").exists()
