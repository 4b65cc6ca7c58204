"""The demo leader's own work, so the phone journey can be walked at once after ``make run``.

Random seeding gives the demo 邻长's ten-odd households about one grievance a year; this adds,
through the real services, three problems the leader reported on visits: one waiting for
verification, two resolved and waiting for the leader's revisit (one of them past the week).
Idempotent: nothing is added when the leader already reported something.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from grievances.models import Grievance, GrievanceCategory
from grievances.services import report_problem_from_visit, resolve_grievance, start_handling, verify_grievance
from households.models import Household
from households.services import visitor_for

JOURNEY = [
    # (days ago reported, days ago resolved or None, category, description, resolution)
    (2, None, "基础设施", "村口路灯坏了三盏，晚上出行不便", ""),
    (6, 3, "环境卫生", "门前水沟堵塞，下雨积水", "组织村民清理水沟，疏通排水口"),
    (16, 10, "社保医保", "老人医保缴费不会在手机上操作", "村干部上门帮助办理缴费"),
]


@transaction.atomic
def ensure_leader_journey():
    leader = User.objects.filter(username="leader").select_related("unit").first()
    village = User.objects.filter(username="village").first()
    if leader is None or village is None or Grievance.objects.filter(received_by=leader).exists():
        return 0
    person = visitor_for(leader)
    households = list(Household.objects.restrict(leader).order_by("pk")[: len(JOURNEY)])
    if person is None or len(households) < len(JOURNEY):
        return 0
    today = timezone.localdate()
    for household, (reported, resolved, category, description, resolution) in zip(households, JOURNEY, strict=True):
        grievance = report_problem_from_visit(
            user=leader,
            household=household,
            visitor=person,
            category=GrievanceCategory.objects.get(name=category),
            description=description,
            visited_on=today - datetime.timedelta(days=reported),
        )
        if resolved is None:
            continue
        grievance = verify_grievance(user=village, grievance=grievance, note="已到现场核实")
        grievance = start_handling(user=village, grievance=grievance, handling_mode=Grievance.HandlingMode.ON_SPOT)
        resolve_grievance(
            user=village,
            grievance=grievance,
            resolution=resolution,
            resolved_on=today - datetime.timedelta(days=resolved),
        )
    return len(JOURNEY)
