"""The adjustment workflow's transitions, one legal case each (see tests/workflow_cases.py)."""

from tests.factories import PersonFactory, PostingFactory
from tests.factories.training import AdjustmentFactory
from tests.workflow_cases import Case
from training.models import Adjustment

S = Adjustment.Status


def adjustment(status):
    def build(cast):
        b = cast.branches[0]
        posting = PostingFactory(person=PersonFactory(village=b.village), unit=b.neighborhood)
        return AdjustmentFactory(posting=posting, status=status)

    return build


ADJUSTMENT_CASES = {
    "approve": Case(adjustment(S.PROPOSED), {"decision": "同意劝辞"}, user="township"),
    "reject": Case(adjustment(S.PROPOSED), {"decision": "再观察一个季度"}, user="township"),
    "carry_out": Case(adjustment(S.APPROVED), {"carried_out_on": "2026-06-30"}, user="township"),
}
