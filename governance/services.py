"""Use cases that change postings (任职): appoint, end (离任) and by-election (补选).

Each function is one transaction, takes keyword arguments only, checks the transition and
raises ValidationError with a Chinese message; the database constraints stay the last word
(a concurrent second appointment turns into the same ValidationError, never a 500).
"""

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Posting, Unit

ACTIVE_LEADER_TAKEN = "该单元已有一名在任的{role}（{name}），请先办理其离任。"


def _actor_context(actor):
    """Attribute audit-log entries written inside the block to ``actor`` (when given)."""
    if actor is None:
        return nullcontext()
    from auditlog.context import set_actor

    return set_actor(actor)


def end_posting(*, posting, end_date, end_reason, actor=None):
    """End an active posting on ``end_date`` for ``end_reason``; the row stays as history."""
    if not end_date:
        raise ValidationError({"end_date": "请填写离任日期。"})
    if end_reason not in Posting.EndReason.values:
        raise ValidationError({"end_reason": "请选择离任原因。"})
    with transaction.atomic(), _actor_context(actor):
        locked = Posting.objects.select_for_update().select_related("person", "unit").get(pk=posting.pk)
        if locked.end_date is not None:
            raise ValidationError(
                f"{locked.person}的“{locked.get_role_display()}”任职已于{locked.end_date}离任，不能重复办理。"
            )
        if end_date < locked.start_date:
            raise ValidationError({"end_date": f"离任日期不能早于任职日期（{locked.start_date}）。"})
        locked.end_date = end_date
        locked.end_reason = end_reason
        locked.save(update_fields=["end_date", "end_reason"])
    posting.end_date, posting.end_reason = locked.end_date, locked.end_reason
    return locked


def appoint(*, person, unit, role, start_date, selection_method="", note="", actor=None):
    """Post ``person`` to ``unit`` in ``role``; a second active 片长/组长/邻长 is refused."""
    posting = Posting(
        person=person, unit=unit, role=role, start_date=start_date, selection_method=selection_method, note=note
    )
    with transaction.atomic(), _actor_context(actor):
        if role in Posting.SINGLE_HOLDER_ROLES:
            # Lock the unit row so two appointments to the same unit queue up behind each other.
            Unit.objects.select_for_update().filter(pk=unit.pk).exists()
            current = (
                Posting.objects.filter(unit=unit, role=role, end_date__isnull=True).select_related("person").first()
            )
            if current is not None:
                label = Posting.Role(role).label
                raise ValidationError(ACTIVE_LEADER_TAKEN.format(role=label, name=current.person))
        posting.full_clean()
        try:
            with transaction.atomic():
                posting.save()
        except IntegrityError as exc:
            raise ValidationError("该单元已有一名在任的同职务人员，请先办理其离任。") from exc
    return posting


def by_election(*, posting, end_date, end_reason, person, start_date, note="", actor=None):
    """补选: end ``posting`` and appoint ``person`` to the same unit and role, all or nothing."""
    with transaction.atomic():
        end_posting(posting=posting, end_date=end_date, end_reason=end_reason, actor=actor)
        if start_date < end_date:
            raise ValidationError({"start_date": "补选人员的任职日期不能早于前任的离任日期。"})
        return appoint(
            person=person,
            unit=posting.unit,
            role=posting.role,
            start_date=start_date,
            selection_method=Posting.SelectionMethod.BY_ELECTION,
            note=note,
            actor=actor,
        )
