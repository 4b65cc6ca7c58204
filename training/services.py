"""Writes of the training app: attendance (grid and QR check-in) and the meeting's rating grid.

Evaluations are in training/evaluations.py, adjustments and awards in their own modules. Every
function is one transaction, checks scope and input and refuses in Chinese with nothing written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.scoping import in_scope
from governance.models import Person, Posting, Unit
from households.models import Household
from households.services import visitor_for
from training.models import Attendance, Rating, TrainingSession

RATED_LEADER_ROLES = [Posting.Role.AREA_LEADER, Posting.Role.GROUP_LEADER, Posting.Role.NEIGHBORHOOD_LEADER]
NOT_IN_AUDIENCE = "您不在本次培训的参训范围内，不能签到。如有疑问请联系组织单位。"
OUTSIDE_WINDOW = "不在签到时间内：本次培训可在{opens:%m月%d日 %H:%M}至{closes:%H:%M}之间签到。"


def audience_postings(session):
    """Active postings of the session's expected audience (roles under its units, or the organiser's)."""
    postings = Posting.objects.filter(end_date__isnull=True)
    if session.audience_roles:
        postings = postings.filter(role__in=session.audience_roles)
    units = list(session.audience_units.all()) or [session.organiser]
    under = Q()
    for unit in units:
        under |= Q(unit__path__startswith=unit.path)
    return postings.filter(under)


def expected_audience(session):
    """The people expected at the session, by village and name (one query)."""
    return (
        Person.objects.filter(pk__in=audience_postings(session).values("person_id"))
        .select_related("village")
        .order_by("village__path", "name")
    )


def _session_for(user, session):
    if not in_scope(session, user):
        raise ValidationError("该培训不在您的管辖范围内。")
    if not user.has_perm("training.add_attendance"):
        raise PermissionDenied("您的账号没有登记签到的权限。")


@transaction.atomic
def save_attendance(*, user, session, person_ids):
    """The grid: exactly the ticked people of the expected audience attended (one save)."""
    _session_for(user, session)
    audience = set(expected_audience(session).values_list("pk", flat=True))
    current = set(Attendance.objects.filter(session=session).values_list("person_id", flat=True))
    ticked = {int(pk) for pk in person_ids}
    strangers = ticked - audience - current
    if strangers:
        raise ValidationError("所选人员不在本次培训的参训范围内，签到表未保存。")
    removed = (current - ticked) & audience
    Attendance.objects.filter(session=session, person_id__in=removed).delete()
    added = [Attendance(session=session, person_id=pk, recorded_by=user) for pk in sorted(ticked - current)]
    Attendance.objects.bulk_create(added)
    return len(added), len(removed)


@transaction.atomic
def check_in(*, user, token, now=None):
    """扫码签到: the user's own roster person, in the audience, within the session's window."""
    now = now or timezone.now()
    session = TrainingSession.objects.filter(qr_token=token).first()
    person = visitor_for(user)
    if session is None:
        raise ValidationError("签到码无效，请重新扫描现场的二维码。")
    if person is None or not audience_postings(session).filter(person=person).exists():
        raise ValidationError(NOT_IN_AUDIENCE)
    opens, closes = session.check_in_window()
    if not (opens <= now <= closes):
        local = timezone.localtime
        raise ValidationError(OUTSIDE_WINDOW.format(opens=local(opens), closes=local(closes)))
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        person=person,
        defaults={"method": Attendance.Method.QR, "recorded_by": user, "checked_in_at": now},
    )
    return session, attendance, created


# --- 民主评议 grid --------------------------------------------------------------------------------


def rating_grid(meeting):
    """(leaders by path, rows): each household under the meeting's unit with its 片长/组长/邻长.

    Three queries: the leaders' postings, the households, the ratings already entered this round.
    """
    unit = meeting.unit
    postings = (
        Posting.objects.filter(Posting.scope_q(unit) | Q(unit__path__in=unit.ancestor_paths()))
        .filter(end_date__isnull=True, role__in=RATED_LEADER_ROLES)
        .select_related("person", "unit")
    )
    leaders = {p.unit.path: p for p in postings}
    households = (
        Household.objects.filter(Household.scope_q(unit), neighborhood__isnull=False)
        .select_related("neighborhood")
        .order_by("neighborhood__path", "head_name", "pk")
    )
    given = {
        (r.household_id, r.leader_id): r
        for r in Rating.objects.filter(round=meeting.rating_round, household__in=households)
    }
    rows = []
    for household in households:
        path = household.neighborhood.path
        cells = []
        for role in RATED_LEADER_ROLES:
            posting = next((p for prefix, p in leaders.items() if path.startswith(prefix) and p.role == role), None)
            rating = given.get((household.pk, posting.person_id)) if posting else None
            cells.append({"role": role, "posting": posting, "rating": rating})
        rows.append({"household": household, "cells": cells})
    return rows


@transaction.atomic
def save_ratings(*, user, meeting, answers):
    """Enter the paper ballots: ``answers`` maps (household id, leader person id) → answer or "".

    A household rates a leader once per round: a rating entered at another meeting of the round
    is refused; at this meeting it is corrected. Only the household's own leaders may be rated.
    """
    if not in_scope(meeting, user) or not user.has_perm("training.add_rating"):
        raise ValidationError("该会议不在您的管辖范围内，或您无权录入评议。")
    grid = {(row["household"].pk, cell["posting"].person_id): cell for row in rating_grid(meeting)
            for cell in row["cells"] if cell["posting"]}  # fmt: skip
    created = changed = 0
    for key, answer in answers.items():
        if key not in grid:
            raise ValidationError("评议表中有不属于本会议范围的户或人员，未保存。")
        if answer and answer not in Rating.Answer.values:
            raise ValidationError("评议结果不正确，未保存。")
        existing = grid[key]["rating"]
        if existing is not None and existing.meeting_id != meeting.pk:
            raise ValidationError(
                f"{existing.household}本轮已在其他会议评议过{grid[key]['posting'].person.name}，未保存。"
            )
        if existing is None and answer:
            Rating.objects.create(
                meeting=meeting, round=meeting.rating_round, household_id=key[0], leader_id=key[1], answer=answer
            )
            created += 1
        elif existing is not None and answer and existing.answer != answer:
            existing.answer = answer
            existing.save(update_fields=["answer"])
            changed += 1
        elif existing is not None and not answer:
            existing.delete()
            changed += 1
    return created, changed


def meeting_units(user):
    """Units where the user may hold meetings (village and below, in scope)."""
    return Unit.objects.restrict(user).filter(level__in=["village", "area", "villager_group", "neighborhood"])
