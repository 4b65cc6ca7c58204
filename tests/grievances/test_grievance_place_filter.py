"""The grievance list filters by 乡镇/村 with the one scoped, cascading unit filter of governance."""

import pytest
from django.urls import reverse

from governance.admin_mixins import UnitFilter
from grievances.admin import GrievanceAdmin
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db
URL = "admin:grievances_grievance_changelist"


def choices(response, parameter):
    specs = [s for s in response.context["cl"].filter_specs if getattr(s, "parameter_name", "") == parameter]
    return {name for spec in specs for _pk, name in spec.lookup_choices}


def test_the_place_filters_are_governance_unit_filters():
    place = [f for f in GrievanceAdmin.list_filter if isinstance(f, type) and issubclass(f, UnitFilter)]
    assert [f.parameter_name for f in place] == ["township", "village"]


def test_county_chooses_a_township_then_its_villages(client, cast):
    for branch in cast.branches:
        GrievanceFactory(household=branch.households[0], description=f"{branch.village.name}的诉求")
    client.force_login(cast.users["county"])
    response = client.get(reverse(URL))
    assert choices(response, "township") == {"塔峰镇", "祠堂圩镇"}
    assert choices(response, "village") == set()  # villages once a township is chosen
    t2 = cast.townships[1]
    response = client.get(reverse(URL), {"township": t2.pk})
    assert choices(response, "village") == {"新圩村", "毛俊村"}
    assert {g.description for g in response.context["cl"].result_list} == {"新圩村的诉求", "毛俊村的诉求"}


def test_a_unit_outside_scope_or_malformed_lists_nothing(client, cast):
    GrievanceFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["township"])
    response = client.get(reverse(URL), {"township": cast.townships[1].pk})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    response = client.get(reverse(URL), {"township": "x"})
    assert list(response.context["cl"].result_list) == []
