"""The monthly 支部说事日: each village's party branch receives villagers on the 10th (seed 003).

One definition of the day and of "held": a 说事日 meeting (``Meeting.Kind.TALK_DAY``) registered for
the village or a unit under it, dated in that month. A village that moved the day within the month
still held it; one with no such meeting did not.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from governance.models import Unit
from governance.models.units import Level, under_path_q
from training.models import Meeting

TALK_DAY_OF_MONTH = 10


def talk_day(year, month):
    return datetime.date(year, month, TALK_DAY_OF_MONTH)


def month_bounds(day):
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def next_talk_day(today):
    """Today's 说事日 or the next one."""
    if today.day <= TALK_DAY_OF_MONTH:
        return talk_day(today.year, today.month)
    following = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return talk_day(following.year, following.month)


def previous_talk_day(today):
    """The last 说事日 already past (before today)."""
    if today.day > TALK_DAY_OF_MONTH:
        return talk_day(today.year, today.month)
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    return talk_day(last_month.year, last_month.month)


def held_in_month(day):
    """An ``Exists`` over 说事日 meetings in ``day``'s month at or under the outer unit's path."""
    first, last = month_bounds(day)
    return Exists(
        Meeting.objects.filter(
            under_path_q(OuterRef("path"), field="unit__path"), kind=Meeting.Kind.TALK_DAY, held_on__range=(first, last)
        )
    )


@dataclass
class TalkDays:
    """A user's 说事日 queue: the next date and the villages that have not registered the last one."""

    next_day: datetime.date
    last_day: datetime.date
    villages: int
    missing: list  # villages (Unit) without a 说事日 registered in the last one's month


def talk_day_queue(user, today):
    """One query: the user's villages annotated with whether the last 说事日 was registered."""
    last = previous_talk_day(today)
    villages = list(
        Unit.objects.restrict(user)
        .filter(level=Level.VILLAGE)
        .annotate(held=held_in_month(last))
        .only("pk", "name", "path", "level")
        .order_by("path")
    )
    return TalkDays(
        next_day=next_talk_day(today),
        last_day=last,
        villages=len(villages),
        missing=[v for v in villages if not v.held],
    )
