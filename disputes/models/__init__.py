"""矛盾纠纷: the village 人民调解委员会, the screening register, disputes and their papers.

Status changes of a dispute happen only in disputes/services.py through the workflow kit.
"""

from disputes.models.agreements import Agreement, FulfilmentRevisit
from disputes.models.committees import CommitteeMember, MediationCommittee
from disputes.models.disputes import (
    DEADLINE_LISTS,
    Dispute,
    DisputeEvent,
    DisputeParty,
    DisputeType,
    MediationSession,
    deadline_q,
)
from disputes.models.screening import RiskReport, ScreeningRound, ZeroReport

__all__ = [
    "DEADLINE_LISTS",
    "Agreement",
    "CommitteeMember",
    "Dispute",
    "DisputeEvent",
    "DisputeParty",
    "DisputeType",
    "FulfilmentRevisit",
    "MediationCommittee",
    "MediationSession",
    "RiskReport",
    "ScreeningRound",
    "ZeroReport",
    "deadline_q",
]
