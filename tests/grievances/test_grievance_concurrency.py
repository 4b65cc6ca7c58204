"""Two users moving the same grievance at once: the second is refused and nothing is lost."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from grievances.models import Grievance, GrievanceEvent
from grievances.services import resolve_grievance, verify_grievance
from tests.factories import GrievanceFactory, user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cadres(cast):
    village = cast.branches[0].village
    return cast.users["village"], user_for(village, role=Role.VILLAGE, username="village_b")


def test_second_user_posting_the_same_transition_gets_a_message(client, cast, two_cadres):
    first, second = two_cadres
    grievance = GrievanceFactory(household=cast.branches[0].households[0])
    url = reverse("admin:grievances_grievance_transition", args=[grievance.pk, "verify"])
    # Both opened the form while the grievance was at version 1.
    client.force_login(first)
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": 1, "note": "甲核实"}).status_code == 302
    client.force_login(second)
    response = client.post(url, {"version": 1, "note": "乙核实"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人办理" in page
    assert "乙核实" in page  # the second user's text is still in the form, not lost
    events = GrievanceEvent.objects.filter(grievance=grievance, action="verify")
    assert [e.note for e in events] == ["甲核实"]
    grievance.refresh_from_db()
    assert grievance.version == 2


def test_stale_version_is_refused_by_the_service_even_for_a_legal_action(cast, two_cadres):
    first, second = two_cadres
    grievance = GrievanceFactory(
        household=cast.branches[0].households[0], status=Grievance.Status.IN_PROGRESS, handling_mode="on_spot"
    )
    resolve_grievance(user=first, grievance=grievance, resolution="甲办结", expected_version=1)
    with pytest.raises(ValidationError) as error:
        resolve_grievance(user=second, grievance=grievance, resolution="乙办结", expected_version=1)
    assert "已被他人办理" in error.value.messages[0]
    grievance.refresh_from_db()
    assert grievance.resolution == "甲办结"
    assert grievance.events.filter(action="resolve").count() == 1


def test_detail_edit_with_stale_version_is_refused(client, cast, two_cadres):
    first, second = two_cadres
    grievance = GrievanceFactory(household=cast.branches[0].households[0])
    verify_grievance(user=first, grievance=grievance, expected_version=1)
    client.force_login(second)
    url = reverse("admin:grievances_grievance_change", args=[grievance.pk])
    data = {
        "category": grievance.category_id,
        "description": "乙改的内容",
        "urgency": "urgent",
        "channel": "visit",
        "due_date": grievance.due_date.isoformat(),
        "reporter_phone": "",
        "seen_version": 1,
    }
    response = client.post(url, data, follow=True)
    assert "已被他人更新" in response.content.decode()
    grievance.refresh_from_db()
    assert grievance.description != "乙改的内容"


@pytest.mark.parametrize("seen_version", [None, "", "abc"])
def test_detail_edit_without_a_version_is_refused_with_a_message(client, cast, seen_version):
    grievance = GrievanceFactory(household=cast.branches[0].households[0])
    client.force_login(cast.users["village"])
    data = {
        "category": grievance.category_id,
        "description": "没有版本的修改",
        "urgency": "urgent",
        "channel": "visit",
        "due_date": grievance.due_date.isoformat(),
        "reporter_phone": "",
    }
    if seen_version is not None:
        data["seen_version"] = seen_version
    response = client.post(reverse("admin:grievances_grievance_change", args=[grievance.pk]), data)
    assert response.status_code == 200
    assert "页面缺少版本信息" in response.content.decode()
    grievance.refresh_from_db()
    assert grievance.description != "没有版本的修改"
    assert grievance.version == 1
    assert not grievance.events.exists()
