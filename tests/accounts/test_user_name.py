"""Issue 14 #17: one 姓名 field, shown as written (邝银祥), never "银祥 邝" or "欢迎， 霞娟."."""

from grievances.services import verify_grievance
from tests.factories import GrievanceFactory


def test_the_name_is_shown_as_written_in_headers_and_timelines(client, cast):
    village = cast.users["village"]
    village.name = "邝银祥"
    village.save()
    client.force_login(village)
    home = client.get("/admin/").content.decode()
    assert "欢迎，<strong>邝银祥</strong>" in home and "邝银祥</strong>." not in home
    assert "邝银祥" in client.get("/m/").content.decode()
    grievance = verify_grievance(user=village, grievance=GrievanceFactory(household=cast.branches[0].households[0]))
    page = client.get(f"/admin/grievances/grievance/{grievance.pk}/change/").content.decode()
    assert "邝银祥" in page
    assert str(village) == village.get_full_name() == village.get_short_name() == "邝银祥"


def test_a_user_without_a_name_is_shown_by_username(cast):
    user = cast.users["leader"]
    assert user.name == "" and str(user) == user.username
