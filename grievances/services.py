"""Every write to a grievance: registration here; each later transition in its own function.

Each function runs in one transaction, validates the transition, writes a GrievanceEvent
(actor, time, note) and saves.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from grievances.models import Grievance, GrievanceEvent
from households.models import Household
from households.services import log_visit

DEFAULT_DAYS = {Grievance.Urgency.NORMAL: 15, Grievance.Urgency.URGENT: 7, Grievance.Urgency.CRITICAL: 3}


def default_due_date(received_on, urgency):
    return received_on + datetime.timedelta(days=DEFAULT_DAYS.get(urgency, 15))


def record_event(*, grievance, action, from_status, actor, note=""):
    return GrievanceEvent.objects.create(
        grievance=grievance,
        action=action,
        from_status=from_status,
        to_status=grievance.status,
        actor=actor,
        note=note,
    )


@transaction.atomic
def register_grievance(
    *,
    user,
    category,
    description,
    village=None,
    household=None,
    reporter_name="",
    reporter_phone="",
    channel=Grievance.Channel.VISIT,
    urgency=Grievance.Urgency.NORMAL,
    received_on=None,
    due_date=None,
    visit=None,
):
    """已登记: a new grievance from a household (or a non-resident reporter) in the user's scope."""
    if household is not None:
        if not Household.objects.restrict(user).filter(pk=household.pk).exists():
            raise ValidationError("该户不在您的管辖范围内。")
        village = household.village
    if village is None:
        raise ValidationError("请选择反映户或所在村/社区。")
    received_on = received_on or timezone.localdate()
    grievance = Grievance(
        village=village,
        household=household,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        visit=visit,
        channel=channel,
        category=category,
        description=description,
        urgency=urgency,
        received_by=user,
        received_on=received_on,
        due_date=due_date or default_due_date(received_on, urgency),
        status=Grievance.Status.REGISTERED,
    )
    grievance.full_clean()
    grievance.save()
    record_event(grievance=grievance, action="register", from_status="", actor=user, note=description[:200])
    return grievance


@transaction.atomic
def report_problem_from_visit(
    *,
    user,
    household,
    visitor,
    category,
    description,
    visited_on=None,
    method="door",
    topic="",
    hazard="",
    urgency=Grievance.Urgency.NORMAL,
):
    """A visit that found a problem becomes, in one step, a grievance linked to that visit."""
    visit = log_visit(
        user=user,
        household=household,
        visitor=visitor,
        visited_on=visited_on,
        method=method,
        topic=topic or description,
        hazard=hazard,
        problem_found=True,
    )
    return register_grievance(
        user=user,
        household=household,
        category=category,
        description=description,
        channel=Grievance.Channel.VISIT,
        urgency=urgency,
        received_on=visit.visited_on,
        visit=visit,
    )
