"""Every (status, action) pair outside the transition table is refused, with a Chinese message."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grievances.models import Grievance, GrievanceEvent
from grievances.services import TRANSITIONS, allowed_actions, perform
from tests.factories import GrievanceFactory

pytestmark = pytest.mark.django_db

S = Grievance.Status
# Arguments that would be valid for each action, so only the status can make it fail.
VALID_DATA = {
    "verify": {},
    "reject": {"reason": "不属于受理范围"},
    "handle": {"handling_mode": "on_spot"},
    "reply": {"reply": "同意解决"},
    "resolve": {"resolution": "已解决"},
    "revisit": {"satisfaction": "satisfied"},
    "archive": {},
    "extend": {"due_date": datetime.date(2099, 1, 1), "reason": "需等待乡镇审批"},
}
ILLEGAL = [
    (status, action)
    for status, action in itertools.product(S.values, TRANSITIONS)
    if status not in TRANSITIONS[action].sources
]


def test_the_table_is_the_documented_flow():
    legal = {(status, action) for status, action in itertools.product(S.values, TRANSITIONS)} - set(ILLEGAL)
    assert legal == {
        ("registered", "verify"),
        ("registered", "reject"),
        ("verified", "handle"),
        ("in_progress", "handle"),
        ("in_progress", "reply"),
        ("in_progress", "resolve"),
        ("resolved", "revisit"),
        ("revisited", "archive"),
        ("registered", "extend"),
        ("verified", "extend"),
        ("in_progress", "extend"),
    }


def make(cast, status):
    return GrievanceFactory(
        household=cast.branches[0].households[0],
        status=status,
        handling_mode="escalated" if status != S.REGISTERED else "",
        escalated_to="塔峰镇" if status != S.REGISTERED else "",
        resolved_on=None,
    )


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_illegal_transition_is_refused_and_nothing_is_written(cast, status, action):
    grievance = make(cast, status)
    with pytest.raises(ValidationError) as error:
        perform(action, user=cast.users["village"], grievance=grievance, **VALID_DATA[action])
    assert "不能执行" in error.value.messages[0]
    grievance.refresh_from_db()
    assert grievance.status == status
    assert grievance.version == 1
    assert not GrievanceEvent.objects.filter(grievance=grievance).exists()


@pytest.mark.parametrize(("status", "action"), ILLEGAL[:: max(1, len(ILLEGAL) // 8)])
def test_illegal_transition_through_the_page_shows_the_message(client, cast, status, action):
    grievance = make(cast, status)
    client.force_login(cast.users["village"])
    url = reverse("admin:grievances_grievance_transition", args=[grievance.pk, action])
    response = client.post(url, {"version": grievance.version, **VALID_DATA[action]})
    assert response.status_code == 200
    assert "不能执行" in response.content.decode()
    response = client.get(url, follow=True)
    assert "不能执行" in response.content.decode()
    grievance.refresh_from_db()
    assert grievance.status == status


def test_reply_only_for_escalated_grievances_awaiting_one(cast):
    grievance = GrievanceFactory(
        household=cast.branches[0].households[0], status=S.IN_PROGRESS, handling_mode="on_spot"
    )
    assert "reply" not in allowed_actions(grievance)
    with pytest.raises(ValidationError):
        perform("reply", user=cast.users["village"], grievance=grievance, reply="答复")


def test_escalated_grievance_cannot_be_resolved_before_the_reply(cast):
    grievance = make(cast, S.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        perform("resolve", user=cast.users["village"], grievance=grievance, resolution="已办")
    assert "上级答复" in error.value.messages[0]


def test_escalation_needs_a_target(cast):
    grievance = make(cast, S.VERIFIED)
    with pytest.raises(ValidationError) as error:
        perform("handle", user=cast.users["village"], grievance=grievance, handling_mode="escalated")
    assert "上报至" in str(error.value)


def test_unknown_action_is_refused(cast):
    with pytest.raises(ValidationError):
        perform("delete", user=cast.users["village"], grievance=make(cast, S.REGISTERED))
