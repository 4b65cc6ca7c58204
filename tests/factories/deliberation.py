"""Factories for deliberation: rows written directly (lists, statistics, scoping); lifecycle tests
go through deliberation.services instead."""

import datetime

from deliberation.models import (
    Ballot,
    Consultation,
    Matter,
    MatterEvent,
    Notice,
    Objection,
    Opinion,
    Suggestion,
    SupervisionEntry,
    SurveyAnswer,
    Vote,
)
from governance.models import Posting
from tests.factories.governance import PersonFactory, PostingFactory

S = Matter.Status
TODAY = datetime.date.today


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def make_opinion(branch, *, household=True, **fields):
    values = {
        "village": branch.village,
        "household": branch.households[0] if household else None,
        "topic": "修路",
        "text": "三组到五组的路一下雨就走不了，希望硬化。",
        "collected_on": TODAY(),
    }
    values.update(fields)
    return Opinion.objects.create(**values)


def make_matter(branch, status=S.PROPOSED, **fields):
    """A matter of the branch's village with what its status needs (consultation, notice, vote…)."""
    values = {
        "village": branch.village,
        "title": "硬化三组至五组通组公路",
        "category": Matter.Category.ROAD,
        "description": "全长1.2公里，宽3.5米。",
        "proposer": "村党支部",
        "estimated_cost": 180000,
        "proposed_on": days_ago(40),
        "status": status,
    }
    if status == S.CLOSED:
        values.update(outcome="道路已通车", closed_on=TODAY())
    if status == S.REJECTED:
        values.update(rejection_reason="资金来源未落实", closed_on=TODAY())
    if status in (S.DECIDED, S.SUPERVISING, S.EVALUATING, S.CLOSED):
        values.update(decided_on=days_ago(20))
    values.update(fields)
    matter = Matter.objects.create(**values)
    order = [S.PROPOSED, S.CONSULTING, S.NOTICE, S.DECIDED, S.SUPERVISING, S.EVALUATING, S.CLOSED]
    reached = order.index(status) if status in order else (2 if status == S.VOTED_DOWN else 0)
    if reached >= 1 or status == S.VOTED_DOWN:
        make_consultation(matter)
    if reached >= 2 or status == S.VOTED_DOWN:
        make_notice(matter)
    if reached >= 3:
        make_vote(matter)
    if status == S.VOTED_DOWN:
        make_vote(matter, votes_for=10, votes_against=28)
    if reached >= 4:
        make_supervision(matter)
    if reached >= 6:
        make_survey(matter, branch.households[0])
    return matter


def make_event(matter):
    return MatterEvent.objects.create(matter=matter, action="propose", to_status=S.PROPOSED)


def make_consultation(matter, suggestions=2, adopted=1):
    consultation = Consultation.objects.create(
        matter=matter, held_on=days_ago(35), body=Consultation.Body.REPRESENTATIVES, participants="村民代表12人"
    )
    for i in range(suggestions):
        Suggestion.objects.create(
            matter=matter, consultation=consultation, made_by=f"代表{i}", text="路面加宽", made_on=days_ago(35),
            adopted=i < adopted,
        )  # fmt: skip
    return consultation


def make_suggestion(matter):
    return make_consultation(matter, suggestions=1).suggestions.first()


def make_notice(matter, **fields):
    values = {"text": "实施方案……", "posted_at": "村务公开栏", "start_on": days_ago(30), "end_on": days_ago(24)}
    values.update(fields)
    return Notice.objects.create(matter=matter, **values)


def make_objection(matter):
    return Objection.objects.create(matter=matter, received_on=days_ago(28), raised_by="李某", text="占了我家地")


def make_vote(matter, **fields):
    values = {
        "body": Vote.Body.ASSEMBLY,
        "held_on": days_ago(20),
        "entitled": 60,
        "present": 40,
        "votes_for": 35,
        "votes_against": 3,
        "abstentions": 2,
    }
    values.update(fields)
    vote = Vote(matter=matter, **values)
    vote.result = vote.compute_result()
    vote.save()
    return vote


def make_ballot(matter):
    vote = make_vote(matter, body=Vote.Body.REPRESENTATIVES, method=Vote.Method.BALLOTS, entitled=1, present=1,
                     votes_for=1, votes_against=0, abstentions=0)  # fmt: skip
    return Ballot.objects.create(vote=vote, voter=PersonFactory(village=matter.village), choice=Ballot.Choice.FOR)


def make_supervision(matter, spending=50000):
    return SupervisionEntry.objects.create(
        matter=matter, entry_on=days_ago(10), supervisor="村监委主任", progress="路基完成", spending=spending
    )


def make_survey(matter, household, answer=SurveyAnswer.Answer.SATISFIED):
    return SurveyAnswer.objects.create(matter=matter, household=household, answer=answer)


def representatives(branch, n):
    """``n`` representatives in office in the branch's village (their postings on its 组)."""
    return [
        PostingFactory(unit=branch.group, person=PersonFactory(village=branch.village),
                       role=Posting.Role.REPRESENTATIVE).person
        for _ in range(n)
    ]  # fmt: skip
