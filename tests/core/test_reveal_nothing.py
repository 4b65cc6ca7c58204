"""No "显示完整号码" and no access-log row when a record holds no ID number or phone to reveal."""

from accounts.models import AccessLog
from tests.factories import HouseholdFactory, ResidentFactory, make_id_number


def test_resident_without_numbers_offers_no_reveal_and_logs_nothing(client, cast):
    household = cast.branches[0].households[0]
    resident = ResidentFactory(household=household, id_number="", phone="")
    client.force_login(cast.users["village"])
    html = client.get(f"/admin/households/resident/{resident.pk}/change/").content.decode()
    assert "/reveal/" not in html and "显示完整号码" not in html
    response = client.post(f"/admin/households/resident/{resident.pk}/reveal/", follow=True)
    assert response.redirect_chain[0][0] == f"/admin/households/resident/{resident.pk}/change/"
    assert "没有登记证件号码或电话" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_household_offers_reveal_only_when_it_or_a_member_has_a_number(client, cast):
    branch = cast.branches[0]
    household = HouseholdFactory(neighborhood=branch.neighborhood, village=branch.village, phone="")
    ResidentFactory(household=household, id_number="", phone="")
    client.force_login(cast.users["township"])
    url = f"/admin/households/household/{household.pk}/"
    assert "/reveal/" not in client.get(f"{url}change/").content.decode()
    client.post(f"{url}reveal/")
    assert not AccessLog.objects.exists()

    number = make_id_number(serial=321)
    ResidentFactory(household=household, id_number=number, phone="")
    assert f"{url}reveal/" in client.get(f"{url}change/").content.decode()
    html = client.post(f"{url}reveal/").content.decode()
    assert number in html
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL, object_id=str(household.pk)).count() == 1
