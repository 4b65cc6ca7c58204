"""The deliberation demo seeder: matters in every step, a vote without a quorum, a rejected matter, idempotent."""

import io
import random

import pytest

from deliberation.models import Consultation, Matter, Opinion, Vote
from demo import deliberation as demo
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_step_and_is_idempotent(cast):
    for branch in cast.branches:
        for _ in range(3):
            PersonFactory(village=branch.village)
    out = io.StringIO()
    demo.seed(county=cast.county, rng=random.Random("demo"), scale="demo", stdout=out)
    assert "议事事项" in out.getvalue()
    assert set(Matter.objects.values_list("status", flat=True)) == set(Matter.Status.values)
    assert Vote.objects.filter(result=Vote.Result.NO_QUORUM).exists()
    assert Opinion.objects.filter(matter__isnull=False).exists()
    assert Consultation.objects.filter(meeting__isnull=False).exists()  # 恳谈会 in the meeting register
    assert all(c.meeting.held_on == c.held_on for c in Consultation.objects.exclude(meeting=None))
    for matter in Matter.objects.prefetch_related("events"):
        events = list(matter.events.all())
        assert events[0].action == "propose" and events[-1].to_status == matter.status, matter
        days = [e.created_at for e in events]
        assert days == sorted(days), matter  # the timeline reads in the steps' order
    count = Matter.objects.count()
    demo.seed(county=cast.county, rng=random.Random("demo"), scale="demo", stdout=io.StringIO())
    assert Matter.objects.count() == count
