"""Autocomplete replaces every dropdown of a large table: scoped, and limited to the right level."""

import pytest
from django.urls import reverse


def autocomplete(client, model_name, field_name, term="", app_label="governance"):
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    return {item["text"] for item in response.json()["results"]}


@pytest.fixture
def township_client(client, cast):
    client.force_login(cast.users["township"])
    return client


def test_parent_of_an_area_offers_only_villages_in_scope(township_client):
    assert autocomplete(township_client, "area", "parent") == {"虎溪村", "大坪村"}


def test_parent_of_a_neighborhood_offers_only_groups(township_client):
    assert autocomplete(township_client, "neighborhood", "parent") == {"虎溪村 · 虎溪村一组", "大坪村 · 大坪村一组"}


def test_posting_unit_offers_village_and_below_never_county_or_township(township_client):
    texts = autocomplete(township_client, "posting", "unit")
    assert "塔峰镇" not in texts and "蓝山县" not in texts
    assert {"虎溪村", "虎溪村 · 虎溪村一片", "虎溪村 · 虎溪村一组", "虎溪村 · 虎溪村一邻"} <= texts
    assert not any(t.startswith(("新圩村", "毛俊村")) for t in texts)


def test_household_neighborhood_is_found_by_its_village_name(township_client):
    texts = autocomplete(township_client, "household", "neighborhood", term="大坪村", app_label="households")
    assert texts == {"大坪村 · 大坪村一邻"}  # named with the village: many 邻 share a name


def test_person_autocomplete_finds_by_phone(township_client, cast):
    from tests.factories import PersonFactory

    person = PersonFactory(village=cast.branches[0].village, name="郑电话", phone="13907469999")
    PersonFactory(village=cast.branches[2].village, name="郑外镇", phone="13907468888")
    # Named with the village: many people share a name.
    assert autocomplete(township_client, "posting", "person", term="139 0746 9999") == {f"{person.name}（虎溪村）"}
    assert autocomplete(township_client, "posting", "person", term="郑") == {"郑电话（虎溪村）"}


def test_resident_household_autocomplete_is_scoped(township_client, cast):
    texts = autocomplete(township_client, "resident", "household", app_label="households")
    assert texts == {str(h) for b in cast.branches[:2] for h in b.households}


def test_selected_neighborhood_shows_its_village_on_the_form(township_client, cast):
    household = cast.branches[0].households[0]
    page = township_client.get(reverse("admin:households_household_change", args=[household.pk])).content.decode()
    assert "虎溪村 · 虎溪村一邻</option>" in page
