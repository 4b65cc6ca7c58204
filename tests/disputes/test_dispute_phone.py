"""The phone pages of disputes: report a risk from a household, the leader's lists, the revisit form."""

import pytest
from django.urls import reverse

from disputes.models import Dispute, FulfilmentRevisit, RiskReport
from tests.core import scope_matrix as sm
from tests.disputes.workflow_cases import succeeded
from tests.factories import HouseholdFactory
from tests.factories.disputes import make_agreement, make_dispute
from tests.mobile.mobile_helpers import leader_person

pytestmark = pytest.mark.django_db


def test_risk_form_is_scoped(client, cast):
    leader_person(cast.branches[0])
    sm.check_object_view(client, cast, RiskReport, lambda h: reverse("mobile:risk_create", args=[h.pk]),
                         roles=["village", "leader", "township"],
                         factory=lambda b: (HouseholdFactory(neighborhood=b.neighborhood, village=b.village),
                                            b.neighborhood))  # fmt: skip


def test_revisit_form_is_scoped(client, cast):
    for branch in cast.branches:
        leader_person(branch)

    def factory(branch):
        dispute = make_dispute(branch, Dispute.Status.SUCCEEDED)
        make_agreement(dispute)
        return dispute, branch.neighborhood

    sm.check_object_view(client, cast, Dispute, lambda d: reverse("mobile:dispute_revisit", args=[d.pk]),
                         roles=["leader"], factory=factory)  # fmt: skip


def test_a_leader_reports_a_risk_in_three_fields_once(client, cast):
    leader_person(cast.branches[0])
    household = cast.branches[0].households[0]
    client.force_login(cast.users["leader"])
    url = reverse("mobile:risk_create", args=[household.pk])
    token = client.get(url).context["form"]["once_token"].value()
    data = {
        "dispute_type": "neighbour",
        "level": "ordinary",
        "description": "两家因排水争吵",
        "once_token": token,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the double tap
    report = RiskReport.objects.get()
    assert (report.unit, report.household, report.found_by.name) == (household.neighborhood, household, "赵邻长")
    response = client.post(url, {**data, "description": "", "once_token": "other"})
    assert "请简单说明矛盾情况" in response.content.decode()


def test_the_phone_lists_are_the_leaders_own(client, cast):
    leader_person(cast.branches[0])
    mine = succeeded(cast)
    theirs = make_dispute(cast.branches[1], Dispute.Status.SUCCEEDED, revisit_due_on=mine.revisit_due_on)
    make_agreement(theirs)
    RiskReport.objects.create(village=cast.branches[0].village, unit=cast.branches[0].neighborhood,
                              found_on=mine.received_on, description="我邻的隐患")  # fmt: skip
    RiskReport.objects.create(village=cast.branches[1].village, unit=cast.branches[1].neighborhood,
                              found_on=mine.received_on, description="别村的隐患")  # fmt: skip
    client.force_login(cast.users["leader"])
    html = client.get(reverse("mobile:dispute_home")).content.decode()
    assert "我邻的隐患" in html and "别村的隐患" not in html
    assert reverse("mobile:dispute_revisit", args=[mine.pk]) in html
    assert reverse("mobile:dispute_revisit", args=[theirs.pk]) not in html
    assert "矛盾纠纷" in client.get(reverse("mobile:home")).content.decode()


def test_a_leader_records_a_revisit_on_the_phone(client, cast):
    leader_person(cast.branches[0])
    dispute = succeeded(cast)
    client.force_login(cast.users["leader"])
    url = reverse("mobile:dispute_revisit", args=[dispute.pk])
    data = {"version": dispute.version, "fulfilment": "fulfilled", "satisfaction": "satisfied", "follow_up": "none"}
    assert client.post(url, data).status_code == 302
    revisit = FulfilmentRevisit.objects.get()
    assert revisit.revisitor.name == "赵邻长"
    response = client.post(url, data)  # the same version again: stale
    assert response.status_code in (200, 302)
    assert FulfilmentRevisit.objects.count() == 1
