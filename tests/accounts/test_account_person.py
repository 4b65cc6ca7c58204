"""A village cadre's account names its roster Person, so the cadre can log visits on the phone."""

from households.models import Visit
from tests.factories import PersonFactory, PostingFactory


def test_a_village_cadre_linked_to_a_person_logs_a_visit_as_that_person(client, cast):
    branch = cast.branches[0]
    person = PersonFactory(village=branch.village, name="唐片长")
    PostingFactory(person=person, unit=branch.area, role="area_leader")
    cadre = cast.users["village"]
    cadre.person = person
    cadre.save()
    client.force_login(cadre)
    household = branch.households[1]

    response = client.post(f"/m/household/{household.pk}/visit/", {"method": "door", "topic": "了解秋收情况"})

    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.household, visit.visitor, visit.recorded_by) == (household, person, cadre)


def test_without_a_linked_person_the_cadre_is_told_and_nothing_is_saved(client, cast):
    client.force_login(cast.users["village"])
    household = cast.branches[0].households[0]
    response = client.post(f"/m/household/{household.pk}/visit/", {"method": "door", "topic": "串门"})
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_the_user_form_offers_only_people_of_the_editors_scope(client, cast):
    mine = PersonFactory(village=cast.branches[0].village, name="本村人员")
    other = PersonFactory(village=cast.branches[2].village, name="外镇人员")
    client.force_login(cast.users["township"])
    leader = cast.users["leader"]
    url = f"/admin/accounts/user/{leader.pk}/change/"
    data = {
        "username": leader.username,
        "name": "",
        "phone": "",
        "email": "",
        "role": "leader",
        "unit": leader.unit_id,
        "person": other.pk,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # re-rendered with an error: the other township's person is refused
    leader.refresh_from_db()
    assert leader.person_id is None
    data["person"] = mine.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    leader.refresh_from_db()
    assert leader.person == mine
