"""Phone: a 邻长 records an opinion from a household; representatives see the notices of their own village."""

import datetime
import uuid

import pytest
from django.urls import reverse

from deliberation.models import Matter, Opinion
from deliberation.selectors import open_notices
from households.models import Household
from tests.core import scope_matrix as sm
from tests.factories.deliberation import make_matter, make_notice
from tests.mobile.mobile_helpers import leader_person

pytestmark = pytest.mark.django_db
S = Matter.Status
TODAY = datetime.date.today()


def test_opinion_form_is_scoped(client, cast):
    sm.check_object_view(
        client, cast, Household, lambda h: reverse("mobile:opinion_create", args=[h.pk]), roles=sm.ROLES[1:],
        allowed=(200, 403),
    )  # fmt: skip


def test_a_leader_records_an_opinion_once_however_often_it_is_tapped(client, cast):
    branch = cast.branches[0]
    person = leader_person(branch)
    client.force_login(cast.users["leader"])
    household = branch.households[0]
    url = reverse("mobile:opinion_create", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200 and "记群众意见" in page.content.decode()
    data = {"topic": "修路", "text": "组道一下雨就走不了", "channel": "visit", "once_token": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double tap
    opinion = Opinion.objects.get()
    assert (opinion.household, opinion.village, opinion.collected_by) == (household, branch.village, person)
    assert opinion.recorded_by == cast.users["leader"] and opinion.channel == "visit"
    home = client.get(reverse("mobile:deliberation_home")).content.decode()
    assert "组道一下雨就走不了" in home and "待汇总" in home


def test_an_empty_opinion_is_refused_in_chinese(client, cast):
    leader_person(cast.branches[0])
    client.force_login(cast.users["leader"])
    url = reverse("mobile:opinion_create", args=[cast.branches[0].households[0].pk])
    response = client.post(url, {"topic": "", "text": "", "channel": "visit"})
    assert response.status_code == 200
    assert "请填写议题" in response.content.decode() and not Opinion.objects.exists()


def test_the_notice_list_is_the_users_village_only(client, cast):
    """A 公示 is public to its village: the 邻长 (whose unit is below the village) sees their own
    village's, never another's; a village cadre sees their village's; a township all of its villages'."""
    on_notice = {}
    for branch in cast.branches:
        on_notice[branch.village.pk] = make_matter(branch, S.NOTICE, title=f"{branch.village.name}修路")
        make_matter(branch, S.CONSULTING, title=f"{branch.village.name}未公示")
    expected = {
        "leader": [cast.branches[0]],
        "village": [cast.branches[0]],
        "village2": [cast.branches[2]],
        "township": cast.branches[:2],
        "township2": cast.branches[2:],
        "county": cast.branches,
    }
    for role, branches in expected.items():
        user = cast.users[role]
        client.force_login(user)
        page = client.get(reverse("mobile:deliberation_home"))
        assert page.status_code == 200, role
        html = page.content.decode()
        shown = {b.village.pk for b in cast.branches if f"{b.village.name}修路" in html}
        assert shown == {b.village.pk for b in branches}, role
        assert "未公示" not in html
        assert {m.pk for m in open_notices(user)} == {on_notice[b.village.pk].pk for b in branches}


def test_the_notice_list_names_the_days_left(client, cast):
    matter = make_matter(cast.branches[0], S.CONSULTING)
    make_notice(matter, start_on=TODAY, end_on=TODAY + datetime.timedelta(days=4))
    Matter.objects.filter(pk=matter.pk).update(status=S.NOTICE)
    client.force_login(cast.users["leader"])
    assert "还剩5天" in client.get(reverse("mobile:deliberation_home")).content.decode()


def test_the_leaders_visit_page_links_the_opinion_form(client, cast):
    leader_person(cast.branches[0])
    client.force_login(cast.users["leader"])
    household = cast.branches[0].households[0]
    page = client.get(reverse("mobile:visit_create", args=[household.pk])).content.decode()
    assert reverse("mobile:opinion_create", args=[household.pk]) in page
    assert reverse("mobile:deliberation_home") in client.get(reverse("mobile:home")).content.decode()
