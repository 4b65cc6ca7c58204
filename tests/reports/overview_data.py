"""Records for the unit page's tests: a little of everything in the cast's four villages, some in
the period and some outside it, so that each figure has something to count and something to leave out."""

import datetime

from django.utils import timezone

from governance.models import Posting
from grievances.models import Grievance, Revisit
from households.models import CareCategory, Visit
from tests.factories import HouseholdFactory
from tests.factories.disputes import make_dispute, make_risk
from tests.factories.governance import PersonFactory, PostingFactory
from tests.factories.grievances import GrievanceFactory, RevisitFactory
from tests.factories.training import AttendanceFactory, AwardFactory, EvaluationFactory, TrainingSessionFactory

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=60)
PERIOD = {"start": START.isoformat(), "end": TODAY.isoformat()}
S = Grievance.Status


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def populate(cast):
    b = cast.branches
    special = CareCategory.objects.get(code=CareCategory.Code.LONELY_ELDERLY)
    # 邻长 in three of the four 邻 (the fourth has none); one household in no 邻
    for branch in b[:3]:
        PostingFactory(unit=branch.neighborhood, person=PersonFactory(village=branch.village))
    HouseholdFactory(neighborhood=None, village=b[0].village)
    b[0].households[0].care_categories.add(special)
    b[2].households[0].care_categories.add(special)
    visitor = PersonFactory(village=b[0].village)
    for household, ago, method in [
        (b[0].households[0], 2, Visit.Method.DOOR),  # special, contacted in the week
        (b[1].households[0], 20, Visit.Method.PHONE),  # regular, in the month
        (b[2].households[0], 10, Visit.Method.WECHAT),  # special, not in the week
        (b[3].households[1], 90, Visit.Method.DOOR),  # before the period
    ]:
        Visit.objects.create(household=household, visitor=visitor, visited_on=days_ago(ago), method=method)
    # grievances: received in the period in three villages, one before it
    h = b[0].households
    GrievanceFactory(
        household=h[0], received_on=days_ago(30), status=S.RESOLVED, handling_mode="on_spot", resolved_on=days_ago(30)
    )
    GrievanceFactory(household=h[1], received_on=days_ago(40), due_date=days_ago(25), status=S.IN_PROGRESS)
    GrievanceFactory(household=h[1], received_on=days_ago(5), status=S.IN_PROGRESS, handling_mode="explained")
    escalated = GrievanceFactory(
        household=b[2].households[0],
        received_on=days_ago(20),
        status=S.REVISITED,
        handling_mode="escalated",
        escalated_to="县住建局",
        resolved_on=days_ago(10),
    )
    RevisitFactory(grievance=escalated, revisited_on=days_ago(8), satisfaction=Revisit.Satisfaction.BASIC)
    unhappy = GrievanceFactory(
        household=b[1].households[0],
        received_on=days_ago(15),
        status=S.REVISITED,
        channel=Grievance.Channel.TALK_DAY,
        resolved_on=days_ago(12),
    )
    RevisitFactory(grievance=unhappy, revisited_on=days_ago(11), satisfaction=Revisit.Satisfaction.UNSATISFIED)
    GrievanceFactory(household=b[3].households[0], received_on=days_ago(100), due_date=days_ago(90), status=S.VERIFIED)
    # disputes and risks
    make_dispute(b[0], received_on=days_ago(10))
    make_dispute(b[2], received_on=days_ago(200))
    make_risk(b[2], found_on=days_ago(3))
    make_risk(b[0], found_on=days_ago(3))
    # training: a township session attended by people of two villages; an award; an evaluation
    session = TrainingSessionFactory(organiser=cast.townships[0], level="township", held_on=days_ago(7))
    AttendanceFactory(session=session, person=PersonFactory(village=b[0].village))
    AttendanceFactory(session=session, person=PersonFactory(village=b[2].village))
    AttendanceFactory(
        session=TrainingSessionFactory(organiser=b[1].village, held_on=days_ago(300)),
        person=PersonFactory(village=b[1].village),
    )
    AwardFactory(person=PersonFactory(village=b[2].village), year=TODAY.year, status="approved", decided_on=days_ago(1))
    leader = Posting.objects.filter(unit=b[0].neighborhood).first()
    EvaluationFactory(posting=leader, round__year=TODAY.year, grade="excellent")
    EvaluationFactory(posting=leader, round__year=TODAY.year, round__kind="year", grade="excellent")
