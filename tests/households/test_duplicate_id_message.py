"""A duplicate ID number is refused without saying where the number is registered."""

import pytest
from django.urls import reverse

from governance.models import Person
from households.models import Household
from tests.factories import PersonFactory, ResidentFactory, make_id_number

MESSAGE = "该身份证号不能使用，如有疑问请联系乡镇干部核实"


def household_post(branch, number):
    return {
        "village": branch.village.pk,
        "neighborhood": branch.neighborhood.pk,
        "head_name": "钱大",
        "address": "1号",
        "phone": "",
        "note": "",
        "residents-TOTAL_FORMS": "1",
        "residents-INITIAL_FORMS": "0",
        "residents-MIN_NUM_FORMS": "0",
        "residents-MAX_NUM_FORMS": "1000",
        "residents-0-name": "钱大",
        "residents-0-relation": "head",
        "residents-0-id_number": number,
        "residents-0-phone": "",
    }


@pytest.mark.parametrize("role", ["village", "township"])
def test_resident_id_registered_in_another_township_is_refused_without_saying_where(client, cast, role):
    elsewhere = cast.branches[2]  # the other township: not visible to either user
    number = make_id_number(serial=654)
    other = ResidentFactory(household=elsewhere.households[0], name="孙某某", id_number=number)
    client.force_login(cast.users[role])
    before = Household.objects.count()
    response = client.post(reverse("admin:households_household_add"), household_post(cast.branches[0], number))
    html = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in html
    assert "名下" not in html
    for hint in [other.name, other.household.head_name, elsewhere.village.name, "祠堂圩镇"]:
        assert hint not in html
    assert Household.objects.count() == before


def test_person_id_on_another_roster_is_refused_without_saying_where(client, cast):
    number = make_id_number(serial=655)
    other = PersonFactory(village=cast.branches[2].village, name="周某某", id_number=number)
    client.force_login(cast.users["township"])
    data = {"village": cast.branches[0].village.pk, "name": "孙重号", "id_number": number, "phone": ""}
    response = client.post(reverse("admin:governance_person_add"), {**data, "gender": "", "education": ""})
    html = response.content.decode()
    assert response.status_code == 200 and MESSAGE in html
    assert "名下" not in html and other.name not in html and cast.branches[2].village.name not in html
    assert not Person.objects.filter(name="孙重号").exists()
