"""The disputes demo seeder: every step and outcome, consistent timelines, complete archived files, idempotent."""

import io
import random

import pytest

from demo import disputes as demo
from disputes.casefile import missing_documents
from disputes.models import Agreement, Dispute, FulfilmentRevisit, MediationCommittee, RiskReport, ZeroReport
from tests.factories import PersonFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_step_and_is_idempotent(cast):
    for branch in cast.branches:
        for _ in range(3):
            PersonFactory(village=branch.village)
        for household in branch.households:
            ResidentFactory(household=household)
    out = io.StringIO()
    demo.seed(county=cast.county, rng=random.Random("demo"), scale="demo", stdout=out)
    assert "纠纷" in out.getvalue()
    statuses = set(Dispute.objects.values_list("status", flat=True))
    assert statuses >= {"registered", "accepted", "assigned", "investigated", "notified", "mediating", "failed",
                        "withdrawn", "archived"}  # fmt: skip
    assert statuses & {"succeeded", "archived"}
    for dispute in Dispute.objects.prefetch_related("events"):
        events = list(dispute.events.all())
        assert events[0].action == "register" and events[-1].to_status == dispute.status, dispute
        if dispute.status == "archived":
            assert missing_documents(dispute) == []
    for committee in MediationCommittee.objects.all():
        for year in set(Agreement.objects.filter(committee=committee).values_list("year", flat=True)):
            numbers = sorted(
                Agreement.objects.filter(committee=committee, year=year, kind="written").values_list(
                    "number", flat=True
                )
            )
            assert numbers == list(range(1, len(numbers) + 1))
    assert Agreement.objects.filter(kind="oral").exists() and FulfilmentRevisit.objects.exists()
    assert RiskReport.objects.exists() and ZeroReport.objects.exists()
    before = Dispute.objects.count()
    demo.seed(county=cast.county, rng=random.Random("demo"), scale="demo", stdout=io.StringIO())
    assert Dispute.objects.count() == before
