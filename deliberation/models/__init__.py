"""群众议事 (四事四权, 六事): opinions, matters and what each of the six steps leaves behind.

Status changes of a matter happen only in deliberation/services through the workflow kit.
"""

from deliberation.models.matters import Category, Matter, MatterEvent, Opinion, Status
from deliberation.models.steps import (
    NOTICE_MIN_DAYS,
    Ballot,
    Consultation,
    Notice,
    Objection,
    Rule,
    Suggestion,
    SupervisionEntry,
    SurveyAnswer,
    Vote,
    meets,
)

__all__ = [
    "NOTICE_MIN_DAYS",
    "Ballot",
    "Category",
    "Consultation",
    "Matter",
    "MatterEvent",
    "Notice",
    "Objection",
    "Opinion",
    "Rule",
    "Status",
    "Suggestion",
    "SupervisionEntry",
    "SurveyAnswer",
    "Vote",
    "meets",
]
