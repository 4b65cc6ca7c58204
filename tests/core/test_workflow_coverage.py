"""Generated from the workflow tables: every transition of every workflow is driven through its
real admin page, and a transition with no case in tests/workflow_cases.py fails."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.workflow import registered_workflows, workflow_for
from tests.workflow_cases import all_cases

pytestmark = pytest.mark.django_db

WORKFLOWS = {workflow.label: workflow for workflow in registered_workflows()}
PAIRS = [(label, action) for label, workflow in WORKFLOWS.items() for action in workflow.transitions]


def test_workflows_are_registered():
    assert "grievances.grievance" in WORKFLOWS


def test_every_transition_has_a_case():
    cases = all_cases()
    missing = [f"{label}:{action}" for label, action in PAIRS if action not in cases.get(label, {})]
    assert not missing, f"transitions that no test drives: {missing}"


@pytest.mark.parametrize("label", WORKFLOWS)
def test_declaration_is_complete(label):
    workflow = WORKFLOWS[label]
    assert workflow.check() == []
    model_admin = admin.site.get_model_admin(workflow.model)
    assert set(model_admin.transition_forms) == set(workflow.transitions)


@pytest.mark.parametrize(("label", "action"), PAIRS)
def test_transition_through_its_admin_page(client, cast, label, action):
    workflow, case = WORKFLOWS[label], all_cases()[label][action]
    obj = case.build(cast)
    assert workflow_for(obj) is workflow
    assert workflow.is_legal(obj, action), "the case must start from a legal source status"
    transition = workflow.transitions[action]
    expected = transition.target_for(obj, case.data)
    events_before = workflow.events(obj).count()
    version = getattr(obj, workflow.version_field)
    opts = workflow.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, action])
    client.force_login(cast.users[case.user])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": version, **case.data})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj.refresh_from_db()
    assert workflow.status_of(obj) == expected
    assert getattr(obj, workflow.version_field) == version + 1
    events = list(workflow.events(obj))
    assert len(events) == events_before + 1
    event = events[-1]
    assert event.action == transition.event_actions.get(expected, action)
    assert event.to_status == expected
    assert event.actor == cast.users[case.user]
