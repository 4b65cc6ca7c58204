"""排查 (risk register, rounds, 零报告) and the fulfilment revisits and judicial confirmation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disputes.models import Dispute, RiskReport
from disputes.selectors import round_coverage, work_queue
from disputes.services import (
    convert_risk_to_dispute,
    file_zero_report,
    record_confirmation,
    record_fulfilment_revisit,
    report_risk,
    sign_agreement,
    update_risk,
)
from tests.disputes.workflow_cases import succeeded
from tests.factories.disputes import committee_for, make_dispute, make_round

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_a_risk_from_a_household_hangs_on_its_neighbourhood_and_is_saved_once(cast):
    household = cast.branches[0].households[0]
    first = report_risk(user=cast.users["leader"], household=household, description="两户争水", submission_token="t1")
    again = report_risk(user=cast.users["leader"], household=household, description="两户争水", submission_token="t1")
    assert first.pk == again.pk and first.unit_id == household.neighborhood_id
    assert RiskReport.objects.restrict(cast.users["leader"]).filter(pk=first.pk).exists()
    with pytest.raises(ValidationError, match="管辖范围"):
        report_risk(user=cast.users["leader"], household=cast.branches[1].households[0], description="x")


def test_following_a_risk_and_converting_it(cast):
    committee_for(cast.branches[0].village)
    user = cast.users["village"]
    risk = report_risk(user=user, village=cast.branches[0].village, description="宅基地争执")
    with pytest.raises(ValidationError, match="措施"):
        update_risk(user=user, report=risk, status="resolved")
    update_risk(user=user, report=risk, status="watching", measure="每周走访")
    dispute = convert_risk_to_dispute(user=user, report=risk, title="宅基地纠纷")
    risk.refresh_from_db()
    assert risk.status == RiskReport.Status.CONVERTED and dispute.risk_report == risk
    assert dispute.source == Dispute.Source.SCREENING
    with pytest.raises(ValidationError, match="已转为纠纷"):
        convert_risk_to_dispute(user=user, report=risk, title="again")


def test_zero_reports_and_round_coverage(cast):
    branch = cast.branches[0]
    screening_round = make_round(branch)
    assert [row.zero for row in round_coverage(cast.users["village"], screening_round)] == [False]
    file_zero_report(user=cast.users["leader"], screening_round=screening_round, unit=branch.neighborhood)
    with pytest.raises(ValidationError, match="已报告过"):
        file_zero_report(user=cast.users["leader"], screening_round=screening_round, unit=branch.neighborhood)
    with pytest.raises(ValidationError, match="组或邻"):
        file_zero_report(user=cast.users["village"], screening_round=screening_round, unit=branch.village)
    rows = round_coverage(cast.users["village"], screening_round)
    assert [(row.unit, row.zero) for row in rows] == [(branch.neighborhood, True)]


def test_a_round_with_a_risk_refuses_a_zero_report(cast):
    branch = cast.branches[0]
    screening_round = make_round(branch)
    report_risk(user=cast.users["leader"], household=branch.households[0], description="x",
                screening_round=screening_round)  # fmt: skip
    with pytest.raises(ValidationError, match="已报告隐患"):
        file_zero_report(user=cast.users["leader"], screening_round=screening_round, unit=branch.neighborhood)


def test_the_round_page_shows_who_has_not_reported(client, cast):
    screening_round = make_round(cast.branches[0])
    client.force_login(cast.users["village"])
    html = client.get(reverse("admin:disputes_screeninground_change", args=[screening_round.pk])).content.decode()
    assert "未报告" in html and cast.branches[0].neighborhood.name in html


def test_urging_reschedules_and_a_kept_agreement_leaves_the_queue(cast):
    user = cast.users["village"]
    dispute = succeeded(cast)
    assert [s.count for s in work_queue(user=user) if s.key == "revisit_due"] == [1]
    with pytest.raises(ValidationError, match="后续措施"):
        record_fulfilment_revisit(user=user, dispute=dispute, fulfilment="partial", satisfaction="basic")
    dispute = record_fulfilment_revisit(user=user, dispute=dispute, fulfilment="partial", satisfaction="basic",
                                        follow_up="urge", rebounded=True)  # fmt: skip
    assert dispute.revisit_due_on == TODAY + datetime.timedelta(days=15) and dispute.rebounded
    dispute = record_fulfilment_revisit(user=user, dispute=dispute, fulfilment="fulfilled", satisfaction="satisfied")
    assert dispute.revisit_due_on is None and dispute.revisit_count == 2


def test_remediation_reopens_and_the_new_agreement_keeps_its_number(cast):
    user = cast.users["village"]
    dispute = succeeded(cast)
    number = dispute.agreement.number
    dispute = record_fulfilment_revisit(user=user, dispute=dispute, fulfilment="unfulfilled",
                                        satisfaction="unsatisfied", follow_up="remediate")  # fmt: skip
    assert dispute.status == Dispute.Status.MEDIATING
    assert dispute.events.order_by("-pk").first().action == "remediate"
    dispute = sign_agreement(user=user, dispute=dispute, kind="written", terms="补充", disputed_points="p")
    assert dispute.agreement.number == number and "补充修改协议" in dispute.events.order_by("-pk").first().note


def test_judicial_confirmation_within_thirty_days_then_the_answer(cast):
    user = cast.users["village"]
    dispute = make_dispute(cast.branches[0], Dispute.Status.MEDIATING, session_count=1)
    old = TODAY - datetime.timedelta(days=40)
    dispute = sign_agreement(
        user=user, dispute=dispute, kind="written", terms="t", disputed_points="p", signed_on=TODAY
    )
    with pytest.raises(ValidationError, match="尚未申请"):
        record_confirmation(user=user, dispute=dispute, step="confirmed")
    dispute.agreement.signed_on = old
    dispute.agreement.save()
    with pytest.raises(ValidationError, match="30日内"):
        record_confirmation(user=user, dispute=dispute, step="request", court="县法院")
    dispute.agreement.signed_on = TODAY
    dispute.agreement.save()
    record_confirmation(user=user, dispute=dispute, step="request", court="县法院")
    dispute = record_confirmation(user=user, dispute=dispute, step="confirmed")
    assert dispute.agreement.confirmation == "confirmed"
    assert "confirm" not in __import__("disputes.services", fromlist=["x"]).allowed_actions(dispute)


def test_oral_agreements_cannot_be_confirmed(cast):
    dispute = make_dispute(cast.branches[0], Dispute.Status.MEDIATING, session_count=1)
    dispute = sign_agreement(user=cast.users["village"], dispute=dispute, kind="oral", terms="t")
    with pytest.raises(ValidationError, match="不能执行"):
        record_confirmation(user=cast.users["village"], dispute=dispute, step="request", court="x")
