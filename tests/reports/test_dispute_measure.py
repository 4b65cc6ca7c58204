"""The 矛盾纠纷 component of an evaluation (reports/measures.py): screening rounds reported in,
revisits done of the disputes on the leader's households, mediations settled by the presiding
mediator; computed by hand here; absent when nothing applies; fixed queries."""

import datetime
from decimal import Decimal

import pytest

from disputes.models import CommitteeMember, Dispute, ZeroReport
from governance.models import Posting
from reports.measures import dispute_measure
from tests.factories import PersonFactory, PostingFactory
from tests.factories.disputes import committee_for, make_agreement, make_dispute, make_revisit, make_risk, make_round
from training.evaluations import create_round, round_postings
from training.models import Evaluation, EvaluationPolicy

pytestmark = pytest.mark.django_db
D = datetime.date
START, END = D(2026, 1, 1), D(2026, 6, 30)
TODAY = D(2026, 7, 15)


@pytest.fixture
def people(cast):
    """虎溪村: its 邻长, a 五老 on the committee, and a representative with nothing to measure."""
    branch = cast.branches[0]
    leader = PostingFactory(unit=branch.neighborhood, person__village=branch.village, person__name="邻长").person
    elder = PostingFactory(unit=branch.village, role=Posting.Role.ELDER_MEDIATOR, person__village=branch.village,
                           person__name="五老").person  # fmt: skip
    PostingFactory(unit=branch.village, role=Posting.Role.REPRESENTATIVE, person__name="代表",
                   person__village=branch.village)  # fmt: skip
    # 排查: three rounds in the half year (and one after it); a risk in January, a 零报告 in February.
    january, february = (make_round(branch, title=m, start_date=D(2026, n, 1), end_date=D(2026, n, 7))
                         for m, n in (("一月", 1), ("二月", 2)))  # fmt: skip
    make_round(branch, title="三月", start_date=D(2026, 3, 1), end_date=D(2026, 3, 7))
    july = make_round(branch, title="七月", start_date=D(2026, 7, 1), end_date=D(2026, 7, 7))
    make_risk(branch, screening_round=january, found_on=D(2026, 1, 3))
    make_risk(branch, screening_round=january, found_on=D(2026, 1, 4))  # the same round again
    ZeroReport.objects.create(screening_round=february, unit=branch.neighborhood)
    ZeroReport.objects.create(screening_round=july, unit=branch.neighborhood)  # outside the period
    # 回访: two mediated disputes on the 邻's households fell due in the period, one revisited.
    for due, revisited in ((D(2026, 4, 1), True), (D(2026, 5, 1), False)):
        dispute = make_dispute(branch, Dispute.Status.SUCCEEDED, received_on=D(2026, 3, 1), revisit_due_on=due)
        make_agreement(dispute)
        if revisited:
            make_revisit(dispute, revisited_on=D(2026, 4, 3))
    # 调解: the 五老 presided two disputes that ended in the period (one settled) and one withdrawn.
    member = CommitteeMember.objects.create(committee=committee_for(branch.village), person=elder)
    ended = {"presiding": member, "received_on": D(2026, 2, 1), "ended_on": D(2026, 3, 1)}
    make_agreement(make_dispute(branch, Dispute.Status.SUCCEEDED, **ended))
    make_dispute(branch, Dispute.Status.FAILED, failure_route="lawsuit", **ended)
    make_dispute(branch, Dispute.Status.WITHDRAWN, **ended)
    return branch, leader, elder


def test_the_component_by_hand(people, django_assert_max_num_queries):
    branch, leader, elder = people
    postings = list(round_postings(branch.village, END))
    with django_assert_max_num_queries(5):
        result = dispute_measure(postings, START, END, EvaluationPolicy(), branch.village)
    # 邻长: 排查 2 of 3 rounds (66.67) and 回访 1 of 2 (50): (66.67 + 50) / 2 = 58.3
    assert result[leader.pk] == ("排查2/3轮，回访1/2件", Decimal("58.3"))
    # 五老: no households, so only 调解: 1 settled of 2 mediated to an end (the withdrawn one is not)
    assert result[elder.pk] == ("调解成功1/2件", Decimal("50.0"))
    assert set(result) == {leader.pk, elder.pk}  # the representative: absent, never 0


def test_the_component_joins_the_evaluation_with_the_default_weight(people, cast):
    branch, leader, elder = people
    assert EvaluationPolicy().weights()["disputes"] == 10
    create_round(user=cast.users["village"], unit=branch.village, year=2026, kind="half", today=TODAY)
    parts = {c["key"]: c for c in Evaluation.objects.get(person=leader).components}
    assert parts["disputes"]["label"] == "矛盾纠纷" and parts["disputes"]["score"] == "58.3"
    evaluation = Evaluation.objects.get(person=elder)
    # the 五老's measured parts: training hours (0 of 8) and disputes (50), weights 10 and 10
    assert {c["key"] for c in evaluation.components} == {"training", "disputes"}
    assert evaluation.score == Decimal("25.0")


def test_a_county_that_weighs_disputes_zero_leaves_it_out(people, cast):
    branch, leader, elder = people
    EvaluationPolicy.objects.create(county=cast.county, weight_disputes=0)
    create_round(user=cast.users["village"], unit=branch.village, year=2026, kind="half", today=TODAY)
    assert "disputes" not in {c["key"] for c in Evaluation.objects.get(person=leader).components}


def test_another_villages_work_does_not_count(people, cast):
    branch, leader, elder = people
    other = cast.branches[1]
    make_round(other, start_date=D(2026, 4, 1), end_date=D(2026, 4, 7))
    PostingFactory(unit=other.neighborhood, person=PersonFactory(village=other.village))
    postings = list(round_postings(cast.townships[0], END))
    result = dispute_measure(postings, START, END, EvaluationPolicy(), cast.townships[0])
    assert result[leader.pk][0] == "排查2/3轮，回访1/2件"  # 大坪村's round is not 虎溪村's
    other_leader = next(p.person_id for p in postings if p.unit_id == other.neighborhood.pk)
    assert result[other_leader] == ("排查0/1轮", Decimal("0.0"))
