"""考核: scores computed by hand from known data, renormalised weights, thresholds, the batch
(idempotent, fixed number of queries) and the lock after the township confirms."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Posting
from grievances.models import Grievance, Revisit
from households.models import Visit
from tests.factories import GrievanceFactory, HouseholdFactory, NeighborhoodFactory, PersonFactory, PostingFactory
from tests.factories.training import AttendanceFactory, MeetingFactory, RatingFactory, TrainingSessionFactory
from training.evaluations import compute_score, confirm_round, create_round, rescore
from training.models import Evaluation, EvaluationPolicy, EvaluationRound

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 7, 15)  # after the first half: the period is 1 Jan – 30 Jun 2026
D = datetime.date


@pytest.fixture
def leader(cast):
    """A 邻长 of the cast's first 邻 with known ratings, visits, grievances and training."""
    b = cast.branches[0]
    person = PersonFactory(village=b.village, name="邝银祥")
    PostingFactory(person=person, unit=b.neighborhood, start_date=D(2025, 1, 1))
    h0, h1 = b.households
    meeting = MeetingFactory(unit=b.village, held_on=D(2026, 3, 10))  # round 2026Q1
    RatingFactory(meeting=meeting, household=h0, leader=person, answer="satisfied")
    RatingFactory(meeting=meeting, household=h1, leader=person, answer="basic")
    v_jun = Visit.objects.create(household=h0, visitor=person, visited_on=D(2026, 6, 20))
    v_may = Visit.objects.create(household=h1, visitor=person, visited_on=D(2026, 5, 1))
    v_mar = Visit.objects.create(household=h1, visitor=person, visited_on=D(2026, 3, 1))
    resolved = GrievanceFactory(
        household=h1,
        visit=v_may,
        received_on=D(2026, 5, 1),
        status=Grievance.Status.RESOLVED,
        resolved_on=D(2026, 5, 10),
    )
    GrievanceFactory(household=h1, visit=v_mar, received_on=D(2026, 3, 1), status=Grievance.Status.IN_PROGRESS)
    Revisit.objects.create(grievance=resolved, revisited_on=D(2026, 5, 20), satisfaction="satisfied")
    assert v_jun.pk
    session = TrainingSessionFactory(organiser=b.village, held_on=D(2026, 3, 10), hours=4)
    AttendanceFactory(session=session, person=person)
    return person


def components_of(evaluation):
    return {c["key"]: (c["value"], Decimal(c["score"])) for c in evaluation.components}


def test_measured_components_and_score_by_hand(cast, leader):
    create_round(user=cast.users["village"], unit=cast.branches[0].village, year=2026, kind="half", today=TODAY)
    evaluation = Evaluation.objects.get(person=leader)
    parts = components_of(evaluation)
    # rating: (100 + 60) / 2; compliance as of 30 Jun: h0 visited 20 Jun (in 30 days), h1 last 1 May (not)
    assert parts["rating"] == ("满意1，基本满意1，不满意0", Decimal("80.0"))
    assert parts["compliance"] == ("1/2户", Decimal("50.0"))
    # visits: 3 logged against 6 months × 2 households
    assert parts["visits"] == ("3次/应12次", Decimal("25.0"))
    assert parts["grievances"] == ("反映2件，办结1件", Decimal("50.0"))
    assert parts["satisfaction"][1] == Decimal("100.0")
    assert parts["training"] == ("4学时/应8学时", Decimal("50.0"))
    assert "disputes" not in parts  # no round, revisit or mediation of theirs: absent, not zero
    # default weights 25/15/10/10/10/10 over the six present (assessment not yet entered):
    # (25×80 + 15×50 + 10×25 + 10×50 + 10×100 + 10×50) / 80 = 5000 / 80
    assert evaluation.score == Decimal("62.5")
    assert evaluation.grade == "basic"
    # the officer's 90 joins with weight 20: (5000 + 1800) / 100
    rescore(user=cast.users["village"], evaluation=evaluation, assessment_score=Decimal(90), remarks="履职认真")
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal("68.0")
    assert evaluation.remarks == "履职认真"


def test_absent_components_renormalise_the_weights(cast):
    village = cast.branches[0].village
    representative = PersonFactory(village=village)
    PostingFactory(person=representative, unit=village, role=Posting.Role.REPRESENTATIVE)
    create_round(user=cast.users["village"], unit=village, year=2026, kind="half", today=TODAY)
    evaluation = Evaluation.objects.get(person=representative)
    assert [c["key"] for c in evaluation.components] == ["training"]  # no households, ratings or grievances
    assert evaluation.score == Decimal("0.0")
    assert evaluation.grade == "incompetent"
    rescore(user=cast.users["village"], evaluation=evaluation, assessment_score=Decimal(80))
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal("53.3")  # (10×0 + 20×80) / 30


def test_county_weights_and_thresholds(cast, leader):
    EvaluationPolicy.objects.create(
        county=cast.county, weight_rating=100, weight_compliance=0, weight_visits=0, weight_grievances=0,
        weight_satisfaction=0, weight_training=0, weight_assessment=0,
        excellent_from=80, competent_from=70, basic_from=50,
    )  # fmt: skip
    create_round(user=cast.users["village"], unit=cast.branches[0].village, year=2026, kind="half", today=TODAY)
    evaluation = Evaluation.objects.get(person=leader)
    assert [c["key"] for c in evaluation.components] == ["rating"]
    assert evaluation.score == Decimal("80.0")
    assert evaluation.grade == "excellent"


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "excellent"), (90, "excellent"), ("89.9", "competent"), (75, "competent"), ("74.9", "basic"),
     (60, "basic"), ("59.9", "incompetent"), (0, "incompetent")],
)  # fmt: skip
def test_default_grade_thresholds(score, grade):
    assert EvaluationPolicy().grade_for(Decimal(str(score))) == grade


def test_compute_score_shows_shares():
    components = [{"key": "rating", "label": "群众评议", "value": "", "score": "80"}]
    score, parts = compute_score(components, Decimal(60), EvaluationPolicy())
    assert score == Decimal("71.1")  # (25×80 + 20×60) / 45
    assert [p["share"] for p in parts] == [Decimal("55.6"), Decimal("44.4")]


def add_leaders(branch, n):
    for _ in range(n):
        neighborhood = NeighborhoodFactory(parent=branch.group)
        HouseholdFactory(neighborhood=neighborhood, village=branch.village)
        PostingFactory(person=PersonFactory(village=branch.village), unit=neighborhood)


def count_batch_queries(user, unit):
    with CaptureQueriesContext(connection) as queries:
        create_round(user=user, unit=unit, year=2026, kind="half", today=TODAY)
    return len(queries)


def test_batch_is_idempotent_and_runs_a_fixed_number_of_queries(cast):
    township = cast.townships[0]
    user = cast.users["township"]
    create_round(
        user=cast.users["township2"], unit=cast.townships[1], year=2026, kind="half", today=TODAY
    )  # warm caches
    EvaluationRound.objects.create(unit=township, year=2026, kind="half")  # both runs find the round
    add_leaders(cast.branches[0], 2)
    small = count_batch_queries(user, township)
    assert Evaluation.objects.count() == 2
    add_leaders(cast.branches[1], 12)
    Evaluation.objects.all().delete()
    large = count_batch_queries(user, township)
    assert Evaluation.objects.count() == 14
    assert large == small, (small, large)
    assert large <= 25  # savepoints, 18 reads (the measures included: disputes reads 5), the insert and its audit
    # again: nothing new; a new appointment is added alone
    create_round(user=user, unit=township, year=2026, kind="half", today=TODAY)
    assert Evaluation.objects.count() == 14
    add_leaders(cast.branches[1], 1)
    _, created = create_round(user=user, unit=township, year=2026, kind="half", today=TODAY)
    assert created == 1 and Evaluation.objects.count() == 15
    # a village round of the same half year does not evaluate the same people twice
    _, created = create_round(
        user=cast.users["village"], unit=cast.branches[0].village, year=2026, kind="half", today=TODAY
    )
    assert created == 0


def test_confirmed_round_is_locked(cast, leader):
    village = cast.branches[0].village
    evaluation_round, _ = create_round(user=cast.users["village"], unit=village, year=2026, kind="half", today=TODAY)
    with pytest.raises(PermissionDenied):
        confirm_round(user=cast.users["village"], evaluation_round=evaluation_round)
    with pytest.raises(ValidationError):
        confirm_round(user=cast.users["township2"], evaluation_round=evaluation_round)  # not theirs
    confirm_round(user=cast.users["township"], evaluation_round=evaluation_round)
    evaluation = Evaluation.objects.get(person=leader)
    with pytest.raises(ValidationError, match="锁定"):
        rescore(user=cast.users["village"], evaluation=evaluation, assessment_score=Decimal(100))
    with pytest.raises(ValidationError, match="锁定"):
        create_round(user=cast.users["village"], unit=village, year=2026, kind="half", today=TODAY)
    evaluation.refresh_from_db()
    assert evaluation.assessment_score is None and evaluation.score == Decimal("62.5")


def test_round_pages(client, cast, leader):
    client.force_login(cast.users["township"])
    response = client.post(
        reverse("reports:training_round_batch"), {"unit": cast.branches[0].village.pk, "year": 2026, "kind": "year"}
    )
    assert response.status_code == 302
    evaluation_round = EvaluationRound.objects.get(kind="year")
    page = client.get(reverse("reports:training_round", args=[evaluation_round.pk]))
    assert "邝银祥" in page.content.decode() and "群众评议" in page.content.decode()
    client.post(reverse("reports:training_round", args=[evaluation_round.pk]))
    evaluation_round.refresh_from_db()
    assert evaluation_round.is_locked
    # another township's village: 404 from the batch page, nothing created
    response = client.post(
        reverse("reports:training_round_batch"), {"unit": cast.branches[2].village.pk, "year": 2026, "kind": "year"}
    )
    assert response.status_code == 404 and EvaluationRound.objects.count() == 1


def test_round_page_is_scoped(client, cast):
    from tests.core import scope_matrix as sm

    sm.check_object_view(
        client, cast, EvaluationRound, lambda r: reverse("reports:training_round", args=[r.pk]),
        roles=["superuser", "county", "township", "township2", "village", "village2"],
    )  # fmt: skip


def test_admin_evaluation_page_shows_how_the_score_was_made(client, cast, leader):
    create_round(user=cast.users["village"], unit=cast.branches[0].village, year=2026, kind="half", today=TODAY)
    evaluation = Evaluation.objects.get(person=leader)
    client.force_login(cast.users["village"])
    content = client.get(reverse("admin:training_evaluation_change", args=[evaluation.pk])).content.decode()
    assert "折算占比" in content and "3次/应12次" in content
