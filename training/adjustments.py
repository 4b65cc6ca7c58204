"""动态调整 through the workflow kit: 村级提出 → 乡镇同意/不同意 → 办结.

Carrying a case out ends the posting through governance's posting service with the matching end
reason (劝辞 → 主动劝辞, 罢免 → 依法罢免, 联审 → 联审未通过), in the same transaction: the unit then
has no active leader, so the vacancy shows in coverage until a by-election (补选) fills it.
The decisions need the change permission, which only township staff (and above) hold.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.workflow import Transition, Workflow
from governance.services import end_posting
from training.models import Adjustment, AdjustmentEvent

S = Adjustment.Status
A = AdjustmentEvent.Action

TRANSITIONS = {
    A.APPROVE: Transition("乡镇同意", (S.PROPOSED,), S.APPROVED),
    A.REJECT: Transition("乡镇不同意", (S.PROPOSED,), S.REJECTED),
    A.CARRY_OUT: Transition("办结（离任）", (S.APPROVED,), S.CARRIED_OUT),
}
WORKFLOW = Workflow(
    model=Adjustment,
    transitions=TRANSITIONS,
    event_model=AdjustmentEvent,
    event_fk="adjustment",
    noun="该调整",
)


@transaction.atomic
def propose_adjustment(*, user, posting, kind, reason, evaluation=None, proposed_on=None):
    """村级提出: a case for an active posting in the user's scope (e.g. after a 不称职 grade)."""
    if not user.has_perm("training.add_adjustment"):
        raise PermissionDenied("您的账号没有提出调整的权限。")
    if posting is None or not in_scope(posting, user):
        raise ValidationError({"posting": "该任职不在您的管辖范围内。"})
    if not posting.is_active:
        raise ValidationError({"posting": "该任职已离任，无需调整。"})
    if kind not in Adjustment.Kind.values:
        raise ValidationError({"kind": "请选择调整方式。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写调整理由。"})
    if evaluation is not None and evaluation.person_id != posting.person_id:
        raise ValidationError({"evaluation": "依据的考核应是该任职人员本人的。"})
    if Adjustment.objects.filter(posting=posting, status__in=[S.PROPOSED, S.APPROVED]).exists():
        raise ValidationError({"posting": "该任职已有一件未办结的调整。"})
    adjustment = Adjustment.objects.create(
        posting=posting, kind=kind, reason=reason.strip(), evaluation=evaluation,
        proposed_on=proposed_on or timezone.localdate(),
    )  # fmt: skip
    WORKFLOW.record_event(adjustment, user=user, action=A.PROPOSE, note=reason.strip()[:200])
    return adjustment


def _decide(action, *, user, adjustment, decision, expected_version):
    def apply(locked):
        locked.decision, locked.decided_on = decision, timezone.localdate()
        return decision

    return WORKFLOW.run(action, user=user, obj=adjustment, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.APPROVE)
def approve_adjustment(*, user, adjustment, decision="", expected_version=None):
    return _decide(A.APPROVE, user=user, adjustment=adjustment, decision=decision, expected_version=expected_version)


@WORKFLOW.performs(A.REJECT)
def reject_adjustment(*, user, adjustment, decision, expected_version=None):
    if not (decision or "").strip():
        raise ValidationError({"decision": "不同意时请填写乡镇意见。"})
    return _decide(A.REJECT, user=user, adjustment=adjustment, decision=decision, expected_version=expected_version)


@WORKFLOW.performs(A.CARRY_OUT)
def carry_out_adjustment(*, user, adjustment, carried_out_on=None, expected_version=None):
    """办结: the posting ends on ``carried_out_on`` with the case's end reason; the vacancy opens."""
    carried_out_on = carried_out_on or timezone.localdate()

    def apply(locked):
        posting = end_posting(
            posting=locked.posting, end_date=carried_out_on, end_reason=Adjustment.END_REASONS[locked.kind], actor=user
        )
        locked.carried_out_on = carried_out_on
        return f"{posting.person.name}于{carried_out_on}离任（{posting.get_end_reason_display()}），该职务待补选。"

    return WORKFLOW.run(A.CARRY_OUT, user=user, obj=adjustment, expected_version=expected_version, apply=apply)
