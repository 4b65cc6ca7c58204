"""The whole grievance lifecycle through the admin pages, as the village cadre."""

import pytest
from django.urls import reverse

from grievances.models import Grievance, GrievanceEvent, Revisit
from tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_village(client, cast):
    client.force_login(cast.users["village"])
    return client


def add_url():
    return reverse("admin:grievances_grievance_add")


def transition_url(grievance, action):
    return reverse("admin:grievances_grievance_transition", args=[grievance.pk, action])


def change_url(grievance):
    return reverse("admin:grievances_grievance_change", args=[grievance.pk])


def register(client, household, description="村口路灯坏了三盏"):
    response = client.post(
        add_url(),
        {
            "household": household.pk,
            "channel": Grievance.Channel.WALK_IN,
            "category": category().pk,
            "description": description,
            "urgency": Grievance.Urgency.NORMAL,
            "received_on": "",
            "due_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Grievance.objects.get(description=description)


def move(client, grievance, action, **data):
    grievance.refresh_from_db()
    response = client.post(transition_url(grievance, action), {"version": grievance.version, **data})
    assert response.status_code == 302, response.content.decode()[:3000]
    grievance.refresh_from_db()
    return grievance


def test_add_page_registers_through_the_service(client_village, cast):
    household = cast.branches[0].households[0]
    grievance = register(client_village, household)
    assert grievance.status == Grievance.Status.REGISTERED
    assert grievance.village_id == cast.branches[0].village.pk
    assert grievance.received_by == cast.users["village"]
    assert (grievance.due_date - grievance.received_on).days == 15
    assert list(grievance.events.values_list("action", flat=True)) == ["register"]


def test_non_resident_reporter_needs_a_name_and_a_village(client_village, cast):
    data = {"channel": "phone", "category": category().pk, "description": "外地客商反映", "urgency": "normal"}
    response = client_village.post(add_url(), data)
    assert response.status_code == 200
    assert "请选择反映户" in response.content.decode()
    response = client_village.post(add_url(), {**data, "village": cast.branches[0].village.pk, "reporter_name": "赵六"})
    assert response.status_code == 302
    assert Grievance.objects.get(reporter_name="赵六").household is None


@pytest.mark.parametrize(
    ("mode", "extra"),
    [
        (Grievance.HandlingMode.ON_SPOT, {}),
        (Grievance.HandlingMode.EXPLAINED, {}),
        (Grievance.HandlingMode.ESCALATED, {"escalated_to": "县交通运输局"}),
    ],
)
def test_full_lifecycle_to_archive(client_village, cast, mode, extra):
    grievance = register(client_village, cast.branches[0].households[0], description=f"诉求-{mode}")
    assert move(client_village, grievance, "verify", note="已现场核实").status == "verified"
    grievance = move(client_village, grievance, "handle", handling_mode=mode, **extra)
    assert grievance.status == "in_progress"
    assert grievance.handling_mode == mode
    if mode == Grievance.HandlingMode.ESCALATED:
        assert grievance.escalated_to == "县交通运输局"
        assert Grievance.objects.awaiting_reply().filter(pk=grievance.pk).exists()
        grievance = move(client_village, grievance, "reply", reply="已列入今年维修计划")
        assert grievance.escalation_reply == "已列入今年维修计划"
    grievance = move(client_village, grievance, "resolve", resolution="已修复路灯")
    assert grievance.status == "resolved"
    assert grievance.resolved_on is not None
    grievance = move(client_village, grievance, "revisit", satisfaction="satisfied", comment="很好")
    assert grievance.status == "revisited"
    grievance = move(client_village, grievance, "archive")
    assert grievance.status == "archived"
    page = client_village.get(change_url(grievance)).content.decode()
    for label in ["登记", "核实", "办结", "回访", "归档", "已现场核实", "已修复路灯"]:
        assert label in page
    assert "满意" in page  # the revisits table
    assert grievance.events.count() == (7 if mode == Grievance.HandlingMode.ESCALATED else 6)


def test_unsatisfied_revisit_reopens_with_a_count(client_village, cast):
    grievance = register(client_village, cast.branches[0].households[1])
    move(client_village, grievance, "verify")
    move(client_village, grievance, "handle", handling_mode="explained")
    move(client_village, grievance, "resolve", resolution="已解释政策")
    grievance = move(client_village, grievance, "revisit", satisfaction="unsatisfied", comment="仍未解决")
    assert grievance.status == Grievance.Status.IN_PROGRESS
    assert grievance.reopen_count == 1
    assert grievance.resolved_on is None
    assert Revisit.objects.get(grievance=grievance).satisfaction == "unsatisfied"
    assert grievance.events.last().action == GrievanceEvent.Action.REOPEN


def test_change_page_shows_only_legal_transitions_and_read_only_handling(client_village, cast):
    grievance = register(client_village, cast.branches[0].households[0])
    page = client_village.get(change_url(grievance)).content.decode()
    assert transition_url(grievance, "verify") in page
    assert transition_url(grievance, "reject") in page
    assert transition_url(grievance, "resolve") not in page
    assert 'name="status"' not in page  # owned by transitions
    assert 'name="description"' in page  # still correctable while open


def test_reject_needs_a_reason(client_village, cast):
    grievance = register(client_village, cast.branches[0].households[0])
    response = client_village.post(transition_url(grievance, "reject"), {"version": grievance.version, "reason": ""})
    assert response.status_code == 200
    assert "不予受理" in response.content.decode()
    grievance = move(client_village, grievance, "reject", reason="不属于村级事项，已告知向法院起诉")
    assert grievance.status == Grievance.Status.REJECTED


def test_leader_can_view_but_not_move(client, cast):
    grievance = register_as(cast)
    client.force_login(cast.users["leader"])
    assert client.get(change_url(grievance)).status_code == 200
    response = client.post(transition_url(grievance, "verify"), {"version": grievance.version})
    assert response.status_code == 403
    grievance.refresh_from_db()
    assert grievance.status == Grievance.Status.REGISTERED


def test_out_of_scope_grievance_is_404(client, cast):
    grievance = register_as(cast)
    client.force_login(cast.users["village2"])
    assert client.get(change_url(grievance)).status_code == 404
    assert client.post(transition_url(grievance, "verify"), {"version": 1}).status_code == 404


def register_as(cast):
    from grievances.services import register_grievance

    return register_grievance(
        user=cast.users["village"],
        household=cast.branches[0].households[0],
        category=category(),
        description="邻居占道堆放柴火",
    )


def test_closed_grievance_has_no_save_or_delete_for_cadres(client_village, cast):
    grievance = register_as(cast)
    grievance.status = Grievance.Status.ARCHIVED
    grievance.save()
    page = client_village.get(change_url(grievance)).content.decode()
    assert 'name="_save"' not in page
    assert "deletelink" not in page
    delete_url = reverse("admin:grievances_grievance_delete", args=[grievance.pk])
    assert client_village.post(delete_url, {"post": "yes"}).status_code == 403
    assert Grievance.objects.filter(pk=grievance.pk).exists()


def test_add_page_offers_household_autocomplete(client_village):
    page = client_village.get(add_url()).content.decode()
    assert "admin-autocomplete" in page
    assert "非本村户籍" in page


def test_correcting_details_of_an_open_grievance_is_on_the_timeline(client_village, cast):
    grievance = register_as(cast)
    data = {
        "category": grievance.category_id,
        "description": "邻居占道堆放柴火，已影响消防通道",
        "urgency": "urgent",
        "channel": grievance.channel,
        "due_date": grievance.due_date.isoformat(),
        "reporter_phone": "",
        "seen_version": grievance.version,
    }
    response = client_village.post(change_url(grievance), data)
    assert response.status_code == 302
    grievance.refresh_from_db()
    assert grievance.urgency == "urgent"
    assert grievance.version == 2
    event = grievance.events.last()
    assert event.action == GrievanceEvent.Action.EDIT
    assert "诉求内容" in event.note
    assert "紧急程度" in event.note
