"""Factories for disputes: rows written directly (lists, statistics, scoping); lifecycle tests go
through disputes.services instead."""

import datetime

from disputes.models import (
    Agreement,
    CommitteeMember,
    Dispute,
    DisputeEvent,
    DisputeParty,
    FulfilmentRevisit,
    MediationCommittee,
    MediationSession,
    RiskReport,
    ScreeningRound,
    ZeroReport,
)
from tests.factories.governance import PersonFactory
from tests.factories.households import ResidentFactory


def committee_for(village, short_name=None):
    """The village's committee with a chair and one member (created once)."""
    committee, created = MediationCommittee.objects.get_or_create(
        village=village,
        defaults={"name": f"{village.name}人民调解委员会", "short_name": short_name or village.name[:2]},
    )
    if created:
        CommitteeMember.objects.create(committee=committee, person=PersonFactory(village=village), role="chair")
        CommitteeMember.objects.create(committee=committee, person=PersonFactory(village=village), role="member")
    return committee


def make_dispute(branch, status=Dispute.Status.REGISTERED, *, parties=True, **fields):
    """A dispute of the branch's village, hanging on its first household, with two resident parties."""
    today = datetime.date.today()
    committee = committee_for(branch.village)
    values = {
        "village": branch.village,
        "committee": committee,
        "household": branch.households[0],
        "title": "张某与李某宅基地纠纷",
        "dispute_type": "homestead",
        "facts": "两家因宅基地界址发生争执。",
        "received_on": today - datetime.timedelta(days=5),
        "status": status,
    }
    if status not in (Dispute.Status.REGISTERED, Dispute.Status.REJECTED):
        values.update(accepted_on=today - datetime.timedelta(days=4), due_date=today + datetime.timedelta(days=20))
    values.update(fields)
    dispute = Dispute.objects.create(**values)
    if parties:
        for household, side in zip(branch.households, ("applicant", "respondent"), strict=False):
            DisputeParty.objects.create(dispute=dispute, side=side, resident=ResidentFactory(household=household))
    return dispute


def presiding_member(dispute):
    return dispute.committee.members.filter(role="chair").first()


def make_agreement(dispute, kind="written", number=None, **fields):
    today = datetime.date.today()
    if kind == "written" and number is None:
        number = (Agreement.objects.filter(committee=dispute.committee, year=today.year).count() or 0) + 1
    return Agreement.objects.create(
        dispute=dispute,
        committee=dispute.committee,
        kind=kind,
        year=today.year,
        number=number if kind == "written" else None,
        terms="李某拆除越界围墙。",
        signed_on=fields.pop("signed_on", today),
        **fields,
    )


def make_round(branch, **fields):
    today = datetime.date.today()
    values = {"village": branch.village, "title": "本月排查", "start_date": today, "end_date": today}
    values.update(fields)
    return ScreeningRound.objects.create(**values)


def make_risk(branch, **fields):
    values = {
        "village": branch.village,
        "unit": branch.neighborhood,
        "household": branch.households[0],
        "found_on": datetime.date.today(),
        "description": "两户因排水沟堵塞争吵",
    }
    values.update(fields)
    return RiskReport.objects.create(**values)


def make_zero_report(branch):
    return ZeroReport.objects.create(screening_round=make_round(branch), unit=branch.neighborhood)


def make_session(dispute):
    return MediationSession.objects.create(
        dispute=dispute, held_on=datetime.date.today(), place="村调解室", participants="双方", record="调解"
    )


def make_revisit(dispute, **fields):
    values = {"dispute": dispute, "revisited_on": datetime.date.today(), "fulfilment": "fulfilled",
              "satisfaction": "satisfied"}  # fmt: skip
    values.update(fields)
    return FulfilmentRevisit.objects.create(**values)


def make_event(dispute):
    return DisputeEvent.objects.create(dispute=dispute, action="register", to_status=dispute.status)
