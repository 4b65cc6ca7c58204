"""Factories for the training app: sessions, meetings, ratings, rounds, evaluations, adjustments, awards."""

import datetime

import factory

from governance.models import Posting
from tests.factories.governance import PersonFactory, PostingFactory, VillageFactory
from training.models import (
    Adjustment,
    Attendance,
    Award,
    Evaluation,
    EvaluationRound,
    Meeting,
    Rating,
    TrainingSession,
)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    organiser = factory.SubFactory(VillageFactory)
    level = TrainingSession.Level.VILLAGE
    topic = TrainingSession.Topic.POLICY
    title = factory.Sequence(lambda n: f"三长履职培训{n}")
    held_on = datetime.date(2026, 3, 10)
    hours = 2


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(PersonFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    unit = factory.SubFactory(VillageFactory)
    kind = Meeting.Kind.TALK
    held_on = datetime.date(2026, 3, 10)
    topic = "一季度村民恳谈会"


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    meeting = factory.SubFactory(MeetingFactory)
    round = factory.LazyAttribute(lambda r: r.meeting.rating_round)
    leader = factory.SubFactory(PersonFactory)
    answer = Rating.Answer.SATISFIED


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound

    unit = factory.SubFactory(VillageFactory)
    year = 2026
    kind = "half"


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    posting = factory.SubFactory(PostingFactory)
    person = factory.LazyAttribute(lambda e: e.posting.person)
    round = factory.SubFactory(
        EvaluationRoundFactory, unit=factory.LazyAttribute(lambda r: r.factory_parent.person.village)
    )
    year = factory.LazyAttribute(lambda e: e.round.year)
    kind = factory.LazyAttribute(lambda e: e.round.kind)


class AdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adjustment

    posting = factory.SubFactory(PostingFactory, role=Posting.Role.NEIGHBORHOOD_LEADER)
    kind = Adjustment.Kind.PERSUADE
    reason = "长期外出务工，无法履职"


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    person = factory.SubFactory(PersonFactory)
    year = 2026
    reasons = "联系群众热心，调解邻里纠纷多起"
