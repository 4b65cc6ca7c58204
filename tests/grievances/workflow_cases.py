"""The grievance workflow's transitions, one legal case each (see tests/workflow_cases.py)."""

import datetime

from grievances.models import Grievance
from tests.factories import GrievanceFactory
from tests.workflow_cases import Case

S = Grievance.Status


def grievance(status, **kwargs):
    def build(cast):
        received = datetime.date.today() - datetime.timedelta(days=3)
        return GrievanceFactory(household=cast.branches[0].households[0], status=status, received_on=received, **kwargs)

    return build


GRIEVANCE_CASES = {
    "verify": Case(grievance(S.REGISTERED), {"note": "已现场核实"}),
    "reject": Case(grievance(S.REGISTERED), {"reason": "不属于村级事项"}),
    "handle": Case(grievance(S.VERIFIED), {"handling_mode": "escalated", "escalated_to": "塔峰镇"}),
    "reply": Case(
        grievance(S.IN_PROGRESS, handling_mode="escalated", escalated_to="塔峰镇"), {"reply": "同意列入计划"}
    ),
    "resolve": Case(grievance(S.IN_PROGRESS, handling_mode="on_spot"), {"resolution": "已修复"}),
    "revisit": Case(
        grievance(S.RESOLVED, handling_mode="on_spot", resolved_on=datetime.date.today()),
        {"satisfaction": "satisfied", "comment": "满意"},
    ),
    "extend": Case(
        grievance(S.IN_PROGRESS, handling_mode="on_spot"), {"due_date": "2099-01-01", "reason": "需等待乡镇审批"}
    ),
    "archive": Case(grievance(S.REVISITED, handling_mode="on_spot", resolved_on=datetime.date.today())),
}
