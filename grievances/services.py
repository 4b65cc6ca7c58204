"""Every write to a grievance: registration, then one function per transition.

The legal transitions are the table ``TRANSITIONS`` below and nowhere else. Each transition
function runs in one transaction: it locks the row (``select_for_update``), refuses if the
version the user saw has changed (another user moved it first) or if the action is not legal
from the current status, then saves, bumps ``version`` and writes a GrievanceEvent
(actor, time, note) — the detail page's timeline.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import Village
from grievances.models import Grievance, GrievanceEvent, Revisit
from households.models import Household
from households.services import log_visit

DEFAULT_DAYS = {Grievance.Urgency.NORMAL: 15, Grievance.Urgency.URGENT: 7, Grievance.Urgency.CRITICAL: 3}


def default_due_date(received_on, urgency):
    return received_on + datetime.timedelta(days=DEFAULT_DAYS.get(urgency, 15))


S = Grievance.Status
A = GrievanceEvent.Action


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple


# action → the statuses it may start from (where it leads is decided by the function).
TRANSITIONS = {
    A.VERIFY: Transition("核实", (S.REGISTERED,)),
    A.REJECT: Transition("不予受理", (S.REGISTERED,)),
    A.HANDLE: Transition("办理", (S.VERIFIED, S.IN_PROGRESS)),
    A.REPLY: Transition("登记上级答复", (S.IN_PROGRESS,)),
    A.RESOLVE: Transition("办结", (S.IN_PROGRESS,)),
    A.REVISIT: Transition("回访", (S.RESOLVED,)),
    A.ARCHIVE: Transition("归档", (S.REVISITED,)),
}


def allowed_actions(grievance):
    """The transitions legal from the grievance's current status, in table order."""
    actions = [action for action, t in TRANSITIONS.items() if grievance.status in t.sources]
    if A.REPLY in actions and not (
        grievance.handling_mode == Grievance.HandlingMode.ESCALATED and not grievance.escalation_reply
    ):
        actions.remove(A.REPLY)
    return actions


def record_event(*, grievance, action, from_status, actor, note=""):
    return GrievanceEvent.objects.create(
        grievance=grievance,
        action=action,
        from_status=from_status,
        to_status=grievance.status,
        actor=actor,
        note=note,
    )


@transaction.atomic
def register_grievance(
    *,
    user,
    category,
    description,
    village=None,
    household=None,
    reporter_name="",
    reporter_phone="",
    channel=Grievance.Channel.VISIT,
    urgency=Grievance.Urgency.NORMAL,
    received_on=None,
    due_date=None,
    visit=None,
):
    """已登记: a new grievance from a household (or a non-resident reporter) in the user's scope."""
    if not (description or "").strip():
        raise ValidationError({"description": "请填写诉求内容。"})
    if household is not None:
        if not Household.objects.restrict(user).filter(pk=household.pk).exists():
            raise ValidationError("该户不在您的管辖范围内。")
        village = household.village
    if village is None:
        raise ValidationError("请选择反映户或所在村/社区。")
    if household is None:
        if not Village.objects.restrict(user).filter(pk=village.pk).exists():
            raise ValidationError("该村/社区不在您的管辖范围内。")
        if not reporter_name.strip():
            raise ValidationError({"reporter_name": "请选择反映户，或填写非本村户籍反映人的姓名。"})
    received_on = received_on or timezone.localdate()
    grievance = Grievance(
        village=village,
        household=household,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        visit=visit,
        channel=channel,
        category=category,
        description=description,
        urgency=urgency,
        received_by=user,
        received_on=received_on,
        due_date=due_date or default_due_date(received_on, urgency),
        status=Grievance.Status.REGISTERED,
    )
    grievance.full_clean()
    grievance.save()
    record_event(grievance=grievance, action=A.REGISTER, from_status="", actor=user, note=description[:200])
    return grievance


@transaction.atomic
def report_problem_from_visit(
    *,
    user,
    household,
    visitor,
    category,
    description,
    visited_on=None,
    method="door",
    topic="",
    hazard="",
    urgency=Grievance.Urgency.NORMAL,
    submission_token=None,
):
    """A visit that found a problem becomes, in one step, a grievance linked to that visit."""
    visit = log_visit(
        user=user,
        household=household,
        visitor=visitor,
        visited_on=visited_on,
        method=method,
        topic=topic or description,
        hazard=hazard,
        problem_found=True,
        submission_token=submission_token,
    )
    return register_grievance(
        user=user,
        household=household,
        category=category,
        description=description,
        channel=Grievance.Channel.VISIT,
        urgency=urgency,
        received_on=visit.visited_on,
        visit=visit,
    )


def _lock(*, user, grievance, action, expected_version):
    """The row, locked for this transaction, after the version and legality checks."""
    locked = (
        Grievance.objects.restrict(user)
        .select_for_update(of=("self",))
        .filter(pk=getattr(grievance, "pk", grievance))
        .first()
    )
    if locked is None:
        raise ValidationError("没有找到该诉求，或您无权办理。")
    perm = "grievances.add_revisit" if action == A.REVISIT else "grievances.change_grievance"
    if not user.has_perm(perm):
        raise ValidationError("您没有办理群众诉求的权限。")
    if expected_version is not None and locked.version != int(expected_version):
        raise ValidationError(
            f"该诉求刚刚已被他人办理（当前状态：{locked.get_status_display()}），您的提交未保存。"
            "请刷新页面查看最新情况后再操作。"
        )
    transition = TRANSITIONS[action]
    if locked.status not in transition.sources or action not in allowed_actions(locked):
        raise ValidationError(f"当前状态为“{locked.get_status_display()}”，不能执行“{transition.label}”。")
    return locked


def _commit(*, grievance, user, action, from_status, note, fields):
    grievance.version += 1
    grievance.full_clean()
    grievance.save(update_fields=[*fields, "status", "version", "updated_at"])
    record_event(grievance=grievance, action=action, from_status=from_status, actor=user, note=note)
    return grievance


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _not_future(day, field, label):
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})


@transaction.atomic
def verify_grievance(*, user, grievance, expected_version=None, note=""):
    """已登记 → 已核实."""
    g = _lock(user=user, grievance=grievance, action=A.VERIFY, expected_version=expected_version)
    from_status, g.status = g.status, S.VERIFIED
    return _commit(grievance=g, user=user, action=A.VERIFY, from_status=from_status, note=note, fields=[])


@transaction.atomic
def reject_grievance(*, user, grievance, reason, expected_version=None):
    """已登记 → 不予受理, with the reason told to the reporter."""
    reason = _required(reason, "reason", "不予受理时必须填写理由。")
    g = _lock(user=user, grievance=grievance, action=A.REJECT, expected_version=expected_version)
    from_status, g.status = g.status, S.REJECTED
    return _commit(grievance=g, user=user, action=A.REJECT, from_status=from_status, note=reason, fields=[])


@transaction.atomic
def start_handling(*, user, grievance, handling_mode, escalated_to="", note="", expected_version=None):
    """已核实 → 办理中 with a handling mode; from 办理中 it changes the mode (e.g. escalate after reopening)."""
    if handling_mode not in Grievance.HandlingMode.values:
        raise ValidationError({"handling_mode": "请选择办理方式。"})
    escalated_to = (escalated_to or "").strip()
    if handling_mode == Grievance.HandlingMode.ESCALATED:
        _required(escalated_to, "escalated_to", "上报上级时必须填写上报至哪个乡镇或县直部门。")
    else:
        escalated_to = ""
    g = _lock(user=user, grievance=grievance, action=A.HANDLE, expected_version=expected_version)
    from_status, g.status = g.status, S.IN_PROGRESS
    g.handling_mode, g.escalated_to, g.escalation_reply = handling_mode, escalated_to, ""
    text = f"办理方式：{g.get_handling_mode_display()}"
    if escalated_to:
        text += f"，上报至：{escalated_to}"
    if note:
        text += f"。{note}"
    return _commit(
        grievance=g,
        user=user,
        action=A.HANDLE,
        from_status=from_status,
        note=text,
        fields=["handling_mode", "escalated_to", "escalation_reply"],
    )


@transaction.atomic
def record_escalation_reply(*, user, grievance, reply, expected_version=None):
    """The township's or department's reply to an escalated grievance (status stays 办理中)."""
    reply = _required(reply, "reply", "请填写上级答复内容。")
    g = _lock(user=user, grievance=grievance, action=A.REPLY, expected_version=expected_version)
    g.escalation_reply = reply
    return _commit(
        grievance=g, user=user, action=A.REPLY, from_status=g.status, note=reply, fields=["escalation_reply"]
    )


@transaction.atomic
def resolve_grievance(*, user, grievance, resolution, resolved_on=None, expected_version=None):
    """办理中 → 已办结, with how it was resolved; an escalated one needs the reply first."""
    resolution = _required(resolution, "resolution", "请填写办结情况。")
    resolved_on = resolved_on or timezone.localdate()
    _not_future(resolved_on, "resolved_on", "办结日期")
    g = _lock(user=user, grievance=grievance, action=A.RESOLVE, expected_version=expected_version)
    if g.handling_mode == Grievance.HandlingMode.ESCALATED and not g.escalation_reply:
        raise ValidationError("上报上级的诉求须先登记上级答复，才能办结。")
    if resolved_on < g.received_on:
        raise ValidationError({"resolved_on": "办结日期不能早于受理日期。"})
    from_status, g.status = g.status, S.RESOLVED
    g.resolution, g.resolved_on = resolution, resolved_on
    return _commit(
        grievance=g,
        user=user,
        action=A.RESOLVE,
        from_status=from_status,
        note=resolution,
        fields=["resolution", "resolved_on"],
    )


@transaction.atomic
def record_revisit(
    *, user, grievance, satisfaction, revisited_on=None, revisitor=None, comment="", expected_version=None
):
    """已办结 → 已回访; 不满意 reopens it (back to 办理中, reopen count kept)."""
    if satisfaction not in Revisit.Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意度。"})
    comment = (comment or "").strip()
    if satisfaction == Revisit.Satisfaction.UNSATISFIED and not comment:
        raise ValidationError({"comment": "群众不满意时请记录其意见。"})
    revisited_on = revisited_on or timezone.localdate()
    _not_future(revisited_on, "revisited_on", "回访日期")
    g = _lock(user=user, grievance=grievance, action=A.REVISIT, expected_version=expected_version)
    if g.resolved_on and revisited_on < g.resolved_on:
        raise ValidationError({"revisited_on": "回访日期不能早于办结日期。"})
    # The revisitor is someone on the grievance's village roster (a 邻长 cannot see the roster itself,
    # but revisits as its own person); the grievance itself was reached through the user's scope.
    if revisitor is not None and revisitor.village_id != g.village_id:
        raise ValidationError({"revisitor": "回访人须是该村/社区的人员。"})
    revisit = Revisit(
        grievance=g,
        revisited_on=revisited_on,
        revisitor=revisitor,
        recorded_by=user,
        satisfaction=satisfaction,
        comment=comment,
    )
    revisit.full_clean()
    revisit.save()
    text = f"满意度：{revisit.get_satisfaction_display()}"
    if comment:
        text += f"；群众意见：{comment}"
    from_status = g.status
    if satisfaction == Revisit.Satisfaction.UNSATISFIED:
        g.status, g.resolved_on = S.IN_PROGRESS, None
        g.reopen_count += 1
        text += f"；重新办理（第{g.reopen_count}次）"
        return _commit(
            grievance=g,
            user=user,
            action=A.REOPEN,
            from_status=from_status,
            note=text,
            fields=["resolved_on", "reopen_count"],
        )
    g.status = S.REVISITED
    return _commit(grievance=g, user=user, action=A.REVISIT, from_status=from_status, note=text, fields=[])


@transaction.atomic
def archive_grievance(*, user, grievance, note="", expected_version=None):
    """已回访 → 已归档 (一事一记 closed)."""
    g = _lock(user=user, grievance=grievance, action=A.ARCHIVE, expected_version=expected_version)
    from_status, g.status = g.status, S.ARCHIVED
    return _commit(grievance=g, user=user, action=A.ARCHIVE, from_status=from_status, note=note, fields=[])


PERFORMERS = {
    A.VERIFY: verify_grievance,
    A.REJECT: reject_grievance,
    A.HANDLE: start_handling,
    A.REPLY: record_escalation_reply,
    A.RESOLVE: resolve_grievance,
    A.REVISIT: record_revisit,
    A.ARCHIVE: archive_grievance,
}


def perform(action, **kwargs):
    """Run the transition function for ``action`` (used by the admin's transition forms)."""
    if action not in PERFORMERS:
        raise ValidationError("未知的办理操作。")
    return PERFORMERS[action](**kwargs)


EDITABLE_FIELDS = ["category", "description", "urgency", "channel", "due_date", "reporter_phone"]


@transaction.atomic
def update_details(*, user, grievance, changes, expected_version=None):
    """Correct the registered details of an open grievance; the timeline notes which fields changed."""
    g = Grievance.objects.restrict(user).select_for_update(of=("self",)).filter(pk=grievance.pk).first()
    if g is None:
        raise ValidationError("没有找到该诉求，或您无权办理。")
    if expected_version is not None and g.version != int(expected_version):
        raise ValidationError("该诉求刚刚已被他人更新，您的修改未保存。请刷新页面后重试。")
    if g.status not in Grievance.OPEN_STATUSES:
        raise ValidationError(f"当前状态为“{g.get_status_display()}”，不能再修改登记信息。")
    changed = [name for name, value in changes.items() if name in EDITABLE_FIELDS and getattr(g, name) != value]
    if not changed:
        return g
    for name in changed:
        setattr(g, name, changes[name])
    labels = "、".join(str(Grievance._meta.get_field(name).verbose_name) for name in changed)
    return _commit(
        grievance=g, user=user, action=A.EDIT, from_status=g.status, note=f"修改了：{labels}", fields=changed
    )
