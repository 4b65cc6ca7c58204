"""The grievance demo seeder: a year of visits by each household's 邻长, every status, idempotent."""

import io
import random

import pytest

from demo import grievances as demo
from governance.models import Posting
from grievances.models import Grievance, GrievanceEvent, Revisit, refresh_satisfaction
from households import tallies
from households.models import Visit, VisitDay
from tests.factories import PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(cast):
    for branch in cast.branches:
        PostingFactory(unit=branch.neighborhood, person__village=branch.village)
    return cast.county


def run(county, seed="demo"):
    out = io.StringIO()
    counts = demo.seed(county=county, rng=random.Random(seed), scale="demo", stdout=out)
    return counts, out.getvalue()


def test_every_status_is_present_with_consistent_history(county):
    counts, out = run(county)
    assert "走访" in out
    statuses = demo.status_counts(county)
    assert set(statuses) == set(Grievance.Status.values)
    assert counts.grievances == sum(statuses.values())
    # Each grievance's last event leads to its current status; the first is the registration.
    for grievance in Grievance.objects.prefetch_related("events"):
        events = list(grievance.events.all())
        assert events[0].action == GrievanceEvent.Action.REGISTER
        assert events[-1].to_status == grievance.status
    assert Grievance.objects.filter(reopen_count__gte=1).exists()
    assert Revisit.objects.filter(satisfaction=Revisit.Satisfaction.UNSATISFIED).exists()
    assert Grievance.objects.awaiting_reply().exists()
    assert Grievance.objects.filter(handling_mode="escalated").exclude(escalation_reply="").exists()
    from django.utils import timezone

    assert Grievance.objects.overdue(timezone.localdate()).exists()


def test_visits_are_by_the_households_leader_at_its_interval(county):
    run(county)
    leaders = dict(Posting.objects.filter(role=Posting.Role.NEIGHBORHOOD_LEADER).values_list("unit_id", "person_id"))
    visits = Visit.objects.select_related("household")
    assert visits.count() > 8 * 9  # 8 monthly households over a year, with some gaps
    assert all(v.visitor_id == leaders[v.household.neighborhood_id] for v in visits)
    linked = Grievance.objects.filter(visit__isnull=False).select_related("visit")
    assert all(g.visit.problem_found and g.visit.household_id == g.household_id for g in linked)


def test_generated_history_is_not_in_the_audit_log(county):
    from auditlog.models import LogEntry

    before = LogEntry.objects.count()
    run(county)
    assert LogEntry.objects.count() == before


def test_seeding_twice_changes_nothing(county):
    run(county)
    before = (Visit.objects.count(), Grievance.objects.count(), GrievanceEvent.objects.count())
    counts, out = run(county, seed="again")
    assert counts is None
    assert "跳过" in out
    assert (Visit.objects.count(), Grievance.objects.count(), GrievanceEvent.objects.count()) == before


def test_seeded_rows_pass_model_validation(county):
    run(county)
    for grievance in Grievance.objects.all():
        grievance.full_clean()


def test_seeded_grievances_render_on_the_detail_page(county, client):
    """Seeded events have no actor (no accounts exist yet when the seeder runs)."""
    run(county)
    client.force_login(county_user(county))
    for grievance in Grievance.objects.filter(status__in=["archived", "in_progress"])[:5]:
        response = client.get(f"/admin/grievances/grievance/{grievance.pk}/change/")
        assert response.status_code == 200
        assert "办理记录" in response.content.decode()


def county_user(county):
    from accounts.models import User

    return User.objects.get(username="county")


def test_the_seeded_visits_are_counted_per_village_and_day(county):
    run(county)
    assert VisitDay.objects.exists()
    assert sum(VisitDay.objects.values_list("visits", flat=True)) == Visit.objects.count()
    assert tallies.differences() == []


def test_the_seeded_grievances_keep_their_latest_revisits_answer(county):
    run(county)
    seeded = dict(Grievance.objects.values_list("pk", "satisfaction"))
    assert set(seeded.values()) >= {"", *Revisit.Satisfaction.values}
    refresh_satisfaction()  # read again from the revisits: nothing changes
    assert dict(Grievance.objects.values_list("pk", "satisfaction")) == seeded
