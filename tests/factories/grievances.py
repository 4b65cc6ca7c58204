"""Factories for grievances.

GrievanceFactory writes rows directly (for lists and statistics); lifecycle tests go through
grievances.services instead.
"""

import datetime

import factory

from grievances.models import Grievance, GrievanceCategory, GrievanceEvent, Revisit
from tests.factories.households import HouseholdFactory


def category(name="基础设施"):
    return GrievanceCategory.objects.get(name=name)


class GrievanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grievance

    household = factory.SubFactory(HouseholdFactory)
    village = factory.LazyAttribute(lambda o: o.household.village)
    category = factory.LazyFunction(category)
    description = factory.Sequence(lambda n: f"诉求内容{n}：门前道路破损")
    channel = Grievance.Channel.VISIT
    urgency = Grievance.Urgency.NORMAL
    received_on = factory.LazyFunction(datetime.date.today)
    due_date = factory.LazyAttribute(lambda o: o.received_on + datetime.timedelta(days=15))
    status = Grievance.Status.REGISTERED


class GrievanceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrievanceEvent

    grievance = factory.SubFactory(GrievanceFactory)
    action = GrievanceEvent.Action.REGISTER
    to_status = factory.LazyAttribute(lambda o: o.grievance.status)


class RevisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revisit

    grievance = factory.SubFactory(GrievanceFactory, status=Grievance.Status.REVISITED)
    revisited_on = factory.LazyAttribute(lambda o: o.grievance.resolved_on or o.grievance.received_on)
    satisfaction = Revisit.Satisfaction.SATISFIED
