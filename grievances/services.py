"""Every write to a grievance: registration, then one small function per transition.

The legal transitions are the table ``TRANSITIONS`` below and nowhere else: where each may start,
where it leads. Each transition function checks its own input, then hands the workflow kit
(core/workflow) an ``apply`` that sets its fields and returns the timeline note; the kit locks
the row through the user's scope, refuses a stale version (another user moved it first) or an
illegal step, sets the target status, bumps ``version`` and writes the GrievanceEvent.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.submission import TOKEN_FIELD, save_once
from core.workflow import Edit, Transition, Workflow
from grievances.models import Grievance, GrievanceEvent, Revisit
from households.services import log_visit

DEFAULT_DAYS = {Grievance.Urgency.NORMAL: 15, Grievance.Urgency.URGENT: 7, Grievance.Urgency.CRITICAL: 3}


def default_due_date(received_on, urgency):
    return received_on + datetime.timedelta(days=DEFAULT_DAYS.get(urgency, 15))


S = Grievance.Status
A = GrievanceEvent.Action


def awaits_reply(grievance):
    """登记上级答复 only for an escalated grievance whose reply is not yet recorded."""
    return grievance.handling_mode == Grievance.HandlingMode.ESCALATED and not grievance.escalation_reply


def unchanged(grievance, data):
    """延期 moves the deadline, not the status."""
    return grievance.status


def revisit_target(grievance, data):
    """不满意 sends it back to 办理中 (reopened); otherwise it is 已回访."""
    return S.IN_PROGRESS if data.get("satisfaction") == Revisit.Satisfaction.UNSATISFIED else S.REVISITED


# action → label, the statuses it may start from, the status it leads to.
TRANSITIONS = {
    A.VERIFY: Transition("核实", (S.REGISTERED,), S.VERIFIED),
    A.REJECT: Transition("不予受理", (S.REGISTERED,), S.REJECTED),
    A.HANDLE: Transition("办理", (S.VERIFIED, S.IN_PROGRESS), S.IN_PROGRESS),
    A.REPLY: Transition("登记上级答复", (S.IN_PROGRESS,), S.IN_PROGRESS, guard=awaits_reply),
    A.RESOLVE: Transition("办结", (S.IN_PROGRESS,), S.RESOLVED),
    # 事后敲门回访 is the 邻长's: the revisit permission, not the change permission, lets them record it.
    A.REVISIT: Transition(
        "回访",
        (S.RESOLVED,),
        revisit_target,
        event_actions={S.IN_PROGRESS: A.REOPEN},
        permission="grievances.add_revisit",
    ),
    A.ARCHIVE: Transition("归档", (S.REVISITED,), S.ARCHIVED),
    A.EXTEND: Transition("延期", tuple(Grievance.OPEN_STATUSES), unchanged),
}
# The deadline is not among them: it moves only by 延期 (extend_deadline), with a reason.
EDITABLE_FIELDS = ["category", "description", "urgency", "channel", "reporter_phone"]

WORKFLOW = Workflow(
    model=Grievance,
    transitions=TRANSITIONS,
    event_model=GrievanceEvent,
    event_fk="grievance",
    noun="该诉求",
    edit=Edit(A.EDIT, tuple(Grievance.OPEN_STATUSES), "登记信息"),
)
allowed_actions = WORKFLOW.allowed_actions
perform = WORKFLOW.perform  # the admin's transition page: action → the function below


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
    submission_token=None,
):
    """已登记: a new grievance from a household (or a non-resident reporter) in the user's scope.

    A form's ``submission_token`` makes a repeated submission a refusal saying the first was saved.
    """
    if not (description or "").strip():
        raise ValidationError({"description": "请填写诉求内容。"})
    if household is not None:
        if not in_scope(household, user):
            raise ValidationError("该户不在您的管辖范围内。")
        village = household.village
    if village is None:
        raise ValidationError("请选择反映户或所在村/社区。")
    if household is None:
        if not in_scope(village, user):
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
        submission_token=submission_token,
    )
    grievance.full_clean(exclude=[TOKEN_FIELD])  # a repeated token is save_once's refusal, with its message
    save_once(grievance)
    WORKFLOW.record_event(grievance, user=user, action=A.REGISTER, note=description[:200])
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


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _not_future(day, field, label):
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def _run(action, *, user, grievance, expected_version, apply, data=None):
    return WORKFLOW.run(action, user=user, obj=grievance, expected_version=expected_version, apply=apply, data=data)


@WORKFLOW.performs(A.VERIFY)
def verify_grievance(*, user, grievance, expected_version=None, note=""):
    """已登记 → 已核实."""
    return _run(A.VERIFY, user=user, grievance=grievance, expected_version=expected_version, apply=lambda g: note)


@WORKFLOW.performs(A.REJECT)
def reject_grievance(*, user, grievance, reason, expected_version=None):
    """已登记 → 不予受理, with the reason told to the reporter."""
    reason = _required(reason, "reason", "不予受理时必须填写理由。")
    return _run(A.REJECT, user=user, grievance=grievance, expected_version=expected_version, apply=lambda g: reason)


@WORKFLOW.performs(A.HANDLE)
def start_handling(*, user, grievance, handling_mode, escalated_to="", note="", expected_version=None):
    """已核实 → 办理中 with a handling mode; from 办理中 it changes the mode (e.g. escalate after reopening)."""
    if handling_mode not in Grievance.HandlingMode.values:
        raise ValidationError({"handling_mode": "请选择办理方式。"})
    escalated_to = (escalated_to or "").strip()
    if handling_mode == Grievance.HandlingMode.ESCALATED:
        _required(escalated_to, "escalated_to", "上报上级时必须填写上报至哪个乡镇或县直部门。")
    else:
        escalated_to = ""

    def apply(g):
        g.handling_mode, g.escalated_to, g.escalation_reply = handling_mode, escalated_to, ""
        text = f"办理方式：{g.get_handling_mode_display()}"
        if escalated_to:
            text += f"，上报至：{escalated_to}"
        return f"{text}。{note}" if note else text

    return _run(A.HANDLE, user=user, grievance=grievance, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.REPLY)
def record_escalation_reply(*, user, grievance, reply, expected_version=None):
    """The township's or department's reply to an escalated grievance (status stays 办理中)."""
    reply = _required(reply, "reply", "请填写上级答复内容。")

    def apply(g):
        g.escalation_reply = reply
        return reply

    return _run(A.REPLY, user=user, grievance=grievance, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.RESOLVE)
def resolve_grievance(*, user, grievance, resolution, resolved_on=None, expected_version=None):
    """办理中 → 已办结, with how it was resolved; an escalated one needs the reply first."""
    resolution = _required(resolution, "resolution", "请填写办结情况。")
    resolved_on = resolved_on or timezone.localdate()
    _not_future(resolved_on, "resolved_on", "办结日期")

    def apply(g):
        if awaits_reply(g):
            raise ValidationError("上报上级的诉求须先登记上级答复，才能办结。")
        if resolved_on < g.received_on:
            raise ValidationError({"resolved_on": "办结日期不能早于受理日期。"})
        g.resolution, g.resolved_on = resolution, resolved_on
        return resolution

    return _run(A.RESOLVE, user=user, grievance=grievance, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.REVISIT)
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

    def apply(g):
        if g.resolved_on and revisited_on < g.resolved_on:
            raise ValidationError({"revisited_on": "回访日期不能早于办结日期。"})
        # The revisitor is someone on the grievance's village roster (a 邻长 cannot see the roster
        # itself, but revisits as its own person); the grievance was reached through the user's scope.
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
        revisit.save()  # keeps the grievance's latest satisfaction (Revisit.save)
        g.refresh_from_db(fields=["satisfaction"])
        text = f"满意度：{revisit.get_satisfaction_display()}"
        if comment:
            text += f"；群众意见：{comment}"
        if g.status == S.IN_PROGRESS:  # the table sent it back (不满意): reopened
            g.resolved_on = None
            g.reopen_count += 1
            text += f"；重新办理（第{g.reopen_count}次）"
        return text

    data = {"satisfaction": satisfaction}
    return _run(A.REVISIT, user=user, grievance=grievance, expected_version=expected_version, apply=apply, data=data)


@WORKFLOW.performs(A.ARCHIVE)
def archive_grievance(*, user, grievance, note="", expected_version=None):
    """已回访 → 已归档 (一事一记 closed)."""
    return _run(A.ARCHIVE, user=user, grievance=grievance, expected_version=expected_version, apply=lambda g: note)


@WORKFLOW.performs(A.EXTEND)
def extend_deadline(*, user, grievance, due_date, reason, expected_version=None):
    """延期: a later promised deadline with the reason; the timeline keeps both dates."""
    reason = _required(reason, "reason", "延期时必须填写理由。")

    def apply(g):
        if due_date <= g.due_date:
            raise ValidationError({"due_date": f"新的承诺时限须晚于原时限（{g.due_date:%Y-%m-%d}）。"})
        today = timezone.localdate()
        late = g.is_overdue(today)
        note = f"承诺时限由{g.due_date:%Y-%m-%d}延期至{due_date:%Y-%m-%d}"
        if late:
            note += f"（延期时已超期{(today - g.due_date).days}天）"
            g.extended_when_overdue = True
        g.due_date, g.extension_count = due_date, g.extension_count + 1
        return f"{note}。理由：{reason}"

    return _run(A.EXTEND, user=user, grievance=grievance, expected_version=expected_version, apply=apply)


def update_details(*, user, grievance, changes, expected_version=None):
    """Correct the registered details of an open grievance; the timeline notes which fields changed."""

    def apply(g):
        changed = [name for name, value in changes.items() if name in EDITABLE_FIELDS and getattr(g, name) != value]
        if not changed:
            return None
        for name in changed:
            setattr(g, name, changes[name])
        return "修改了：" + "、".join(str(Grievance._meta.get_field(name).verbose_name) for name in changed)

    return WORKFLOW.update(user=user, obj=grievance, expected_version=expected_version, apply=apply)
