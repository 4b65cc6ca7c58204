from training.models.adjustments import Adjustment, AdjustmentEvent
from training.models.awards import Award
from training.models.evaluations import Evaluation, EvaluationPolicy, EvaluationRound
from training.models.meetings import Meeting, MeetingMatter, Rating
from training.models.sessions import Attendance, Mentorship, TrainingSession

__all__ = [
    "Adjustment",
    "AdjustmentEvent",
    "Attendance",
    "Award",
    "Evaluation",
    "EvaluationPolicy",
    "EvaluationRound",
    "Meeting",
    "MeetingMatter",
    "Mentorship",
    "Rating",
    "TrainingSession",
]
