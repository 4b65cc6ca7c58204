"""Writes for households: logging a visit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.submission import TOKEN_FIELD, save_once
from governance.models import Person
from households.models import Visit


def visitor_for(user):
    """The roster Person behind an account: the one linked to it, else the active posting of its unit.

    Village cadres are usually also 片长 one level below their village, so their accounts name their
    Person explicitly; a 邻长/组长 account finds it through the posting of its own unit.
    """
    if user.unit_id is None:
        return None
    if user.person_id is not None:
        return user.person
    return (
        Person.objects.filter(postings__unit_id=user.unit_id, postings__end_date__isnull=True)
        .order_by("postings__start_date")
        .first()
    )


@transaction.atomic
def log_visit(
    *,
    user,
    household,
    visitor,
    visited_on=None,
    method=Visit.Method.DOOR,
    topic="",
    hazard="",
    problem_found=False,
    submission_token=None,
):
    """Record one contact. The household must be in the user's scope and the date not in the future.

    A form's ``submission_token`` makes a repeated submission (a double tap) a ValidationError
    saying the first one was saved (core.submission).
    """
    visited_on = visited_on or timezone.localdate()  # not after today: Visit.clean, in full_clean below
    if not in_scope(household, user):
        raise ValidationError("该户不在您的管辖范围内。")
    if visitor is None:
        raise ValidationError({"visitor": "请选择走访人。"})
    visit = Visit(
        household=household,
        visitor=visitor,
        recorded_by=user,
        visited_on=visited_on,
        method=method,
        topic=topic,
        hazard=hazard,
        problem_found=problem_found,
        submission_token=submission_token,
    )
    visit.full_clean(exclude=[TOKEN_FIELD])  # a repeated token is save_once's refusal, with its message
    return save_once(visit)
