"""Per-workflow fixtures for the generated transition coverage (tests/core/test_workflow_coverage.py).

For every registered workflow (key: the model's label, e.g. "grievances.grievance") and every
action in its table: how to build an object in a legal source status, which cast user moves it,
and valid form data for its admin transition page. A workflow transition missing here fails a test.
A new lifecycle app adds its module (tests/<app>/workflow_cases.py) to ``all_cases``.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    build: object  # function(cast) -> an object in a legal source status
    data: dict = field(default_factory=dict)
    user: str = "village"


def all_cases():
    from tests.deliberation.workflow_cases import MATTER_CASES
    from tests.disputes.workflow_cases import DISPUTE_CASES
    from tests.grievances.workflow_cases import GRIEVANCE_CASES
    from tests.training.workflow_cases import ADJUSTMENT_CASES

    return {
        "grievances.grievance": GRIEVANCE_CASES,
        "disputes.dispute": DISPUTE_CASES,
        "training.adjustment": ADJUSTMENT_CASES,
        "deliberation.matter": MATTER_CASES,
    }
