"""事后敲门回访 on the phone (issue 14 #1-#3): 待回访, 我反映的问题, the revisit page."""

import datetime

import pytest
from django.utils import timezone

from grievances.models import Grievance, Revisit
from tests.factories import GrievanceFactory, category
from tests.mobile.mobile_helpers import leader_person

TODAY = timezone.localdate()


def resolved(branch, days_ago=1, **kwargs):
    household = kwargs.pop("household", branch.households[0])
    return GrievanceFactory(
        household=household,
        status=Grievance.Status.RESOLVED,
        received_on=TODAY - datetime.timedelta(days=days_ago + 5),
        resolved_on=TODAY - datetime.timedelta(days=days_ago),
        resolution="已修好路灯",
        **kwargs,
    )


@pytest.fixture
def leader(client, cast):
    person = leader_person(cast.branches[0])
    client.force_login(cast.users["leader"])
    return person


def test_awaiting_revisit_is_the_leaders_households_oldest_first(client, cast, leader):
    recent = resolved(cast.branches[0], days_ago=1, description="路灯不亮")
    old = resolved(cast.branches[0], days_ago=10, description="水沟堵塞")
    resolved(cast.branches[1], days_ago=3, description="别村的问题")  # another village: not listed
    html = client.get("/m/revisits/").content.decode()
    assert html.index("水沟堵塞") < html.index("路灯不亮")
    assert "别村的问题" not in html
    assert html.count("回访已超期") == 1
    assert f"/m/grievance/{old.pk}/revisit/" in html and f"/m/grievance/{recent.pk}/revisit/" in html


def test_the_home_page_counts_revisits_and_links_reported_problems_and_compliance(client, cast, leader):
    resolved(cast.branches[0])
    html = client.get("/m/").content.decode()
    assert "待回访（1）" in html and "/m/reported/" in html and "/m/compliance/" in html


def test_a_satisfied_revisit_closes_it_with_the_leader_as_revisitor(client, cast, leader):
    grievance = resolved(cast.branches[0])
    response = client.post(
        f"/m/grievance/{grievance.pk}/revisit/", {"satisfaction": "satisfied", "version": grievance.version}
    )
    assert response.status_code == 302
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.REVISITED
    revisit = Revisit.objects.get(grievance=grievance)
    assert (revisit.revisitor, revisit.recorded_by) == (leader, cast.users["leader"])
    assert "回访：满意" in client.get(response.url).content.decode()


def test_unsatisfied_needs_the_households_words_then_reopens_and_says_so(client, cast, leader):
    grievance = resolved(cast.branches[0])
    url = f"/m/grievance/{grievance.pk}/revisit/"
    html = client.post(url, {"satisfaction": "unsatisfied", "version": grievance.version}).content.decode()
    assert "群众不满意时请记录其意见。" in html
    assert not Revisit.objects.exists()
    response = client.post(
        url, {"satisfaction": "unsatisfied", "comment": "晚上还是黑", "version": grievance.version}, follow=True
    )
    grievance.refresh_from_db()
    assert (grievance.status, grievance.reopen_count) == (Grievance.Status.IN_PROGRESS, 1)
    assert "已重新交村里办理（第1次）" in response.content.decode()


def test_a_stale_or_missing_version_is_refused_and_changes_nothing(client, cast, leader):
    grievance = resolved(cast.branches[0])
    url = f"/m/grievance/{grievance.pk}/revisit/"
    html = client.post(url, {"satisfaction": "satisfied", "version": grievance.version - 1}).content.decode()
    assert "刚刚已被他人办理" in html
    html = client.post(url, {"satisfaction": "satisfied"}).content.decode()
    assert "页面已过期" in html
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.RESOLVED and not Revisit.objects.exists()


def test_another_villages_grievance_is_404(client, cast, leader):
    other = resolved(cast.branches[1])
    assert client.get(f"/m/grievance/{other.pk}/revisit/").status_code == 404
    assert (
        client.post(f"/m/grievance/{other.pk}/revisit/", {"satisfaction": "satisfied", "version": 1}).status_code == 404
    )


def test_county_staff_do_not_revisit(client, cast):
    grievance = resolved(cast.branches[0])
    client.force_login(cast.users["county"])
    assert client.get(f"/m/grievance/{grievance.pk}/revisit/").status_code == 403
    assert "待回访" not in client.get("/m/").content.decode()


def test_reported_is_what_the_user_registered(client, cast, leader):
    household = cast.branches[0].households[0]
    client.post(
        f"/m/household/{household.pk}/visit/",
        {"method": "door", "problem_found": "on", "category": category().pk, "description": "桥栏杆松了"},
    )
    GrievanceFactory(household=household, description="别人登记的")
    html = client.get("/m/reported/").content.decode()
    assert "桥栏杆松了" in html and "别人登记的" not in html
    assert "最近一步：登记" in html


def test_the_revisit_list_runs_a_fixed_number_of_queries(client, cast, leader, django_assert_max_num_queries):
    for _ in range(3):
        resolved(cast.branches[0])
    client.get("/m/revisits/")
    for _ in range(20):
        resolved(cast.branches[0])
    # session, user, unit, count, page rows (+ session save)
    with django_assert_max_num_queries(8):
        assert client.get("/m/revisits/").status_code == 200


def test_the_revisit_permission_lets_a_leader_revisit_but_not_move_other_steps(cast, leader):
    """The revisit step declares its own permission in the workflow table; the others need change."""
    from django.core.exceptions import ValidationError

    from grievances.services import record_revisit, verify_grievance

    fresh = GrievanceFactory(household=cast.branches[0].households[0])
    with pytest.raises(ValidationError, match="您没有办理"):
        verify_grievance(user=cast.users["leader"], grievance=fresh)
    done = record_revisit(user=cast.users["leader"], grievance=resolved(cast.branches[0]), satisfaction="satisfied")
    assert done.status == Grievance.Status.REVISITED
