"""The six steps (seed 003): 受理 → 指定调解主持人 → 了解核实情况 → 告知权利义务 → 依法调解 → 签订协议.

The legal steps are the table ``TRANSITIONS`` and nowhere else. Each service checks its input and
hands the workflow kit an ``apply`` that sets its fields and returns the timeline note; the kit
locks the row through the user's scope, refuses a stale version or an illegal step, sets the
status, bumps ``version`` and writes the DisputeEvent, in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.workflow import Edit, Transition, Workflow
from disputes.casefile import missing_documents
from disputes.models import Dispute, DisputeEvent, FulfilmentRevisit, MediationCommittee, MediationSession
from disputes.models.disputes import one_month_after

S = Dispute.Status
A = DisputeEvent.Action
OPEN = tuple(Dispute.OPEN_STATUSES)


def unchanged(dispute, data):
    return dispute.status


def assign_target(dispute, data):
    """The first assignment moves 已受理 → 已指定主持人; a change of mediator later keeps the step."""
    return S.ASSIGNED if dispute.status == S.ACCEPTED else dispute.status


def revisit_target(dispute, data):
    """重新调解 sends the case back to 调解中; any other follow-up keeps it 调解成功."""
    return S.MEDIATING if data.get("follow_up") == FulfilmentRevisit.FollowUp.REMEDIATE else S.SUCCEEDED


def not_escalated(dispute):
    return not dispute.escalated


def may_confirm(dispute):
    """司法确认: a written agreement without a final answer from the court."""
    agreement = getattr(dispute, "agreement", None)
    return (
        agreement is not None
        and agreement.kind == agreement.Kind.WRITTEN
        and agreement.confirmation in ("", agreement.Confirmation.REQUESTED)
    )


TRANSITIONS = {
    A.ACCEPT: Transition("受理", (S.REGISTERED,), S.ACCEPTED),
    A.REJECT: Transition("不予受理", (S.REGISTERED,), S.REJECTED),
    A.ASSIGN: Transition("指定调解主持人", OPEN, assign_target),
    A.INVESTIGATE: Transition("了解核实情况", (S.ASSIGNED,), S.INVESTIGATED),
    A.NOTIFY: Transition("告知权利义务", (S.INVESTIGATED,), S.NOTIFIED),
    A.MEDIATE: Transition("依法调解", (S.NOTIFIED, S.MEDIATING), S.MEDIATING),
    A.SUCCEED: Transition("调解成功，签订协议", (S.MEDIATING,), S.SUCCEEDED),
    A.FAIL: Transition("调解不成", (S.MEDIATING,), S.FAILED),
    A.WITHDRAW: Transition("当事人撤回", OPEN, S.WITHDRAWN),
    A.EXTEND: Transition("延期", OPEN, unchanged),
    A.ESCALATE: Transition("上报乡镇包案", OPEN, unchanged, guard=not_escalated),
    A.REVISIT: Transition(
        "履行回访",
        (S.SUCCEEDED,),
        revisit_target,
        event_actions={S.MEDIATING: A.REMEDIATE},
        permission="disputes.add_fulfilmentrevisit",
    ),
    A.CONFIRM: Transition("司法确认", (S.SUCCEEDED, S.ARCHIVED), unchanged, guard=may_confirm),
    A.ARCHIVE: Transition("卷宗归档", (S.SUCCEEDED, S.FAILED, S.WITHDRAWN, S.REJECTED), S.ARCHIVED),
}
EDITABLE_FIELDS = [
    "title",
    "dispute_type",
    "source",
    "facts",
    "requests",
    "persons_involved",
    "prevents_crime",
    "prevents_mass_petition",
]

WORKFLOW = Workflow(
    model=Dispute,
    transitions=TRANSITIONS,
    event_model=DisputeEvent,
    event_fk="dispute",
    noun="该纠纷",
    edit=Edit(A.EDIT, (S.REGISTERED, *OPEN), "纠纷信息"),
    timeline_title="调解过程",
)
allowed_actions = WORKFLOW.allowed_actions
perform = WORKFLOW.perform


def required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def not_future(day, field, label):
    if day > timezone.localdate():
        raise ValidationError({field: f"{label}不能晚于今天。"})


def run(action, *, user, dispute, expected_version, apply, data=None):
    return WORKFLOW.run(action, user=user, obj=dispute, expected_version=expected_version, apply=apply, data=data)


@transaction.atomic
def register_dispute(
    *,
    user,
    village,
    title,
    dispute_type,
    facts,
    source=Dispute.Source.APPLICATION,
    requests="",
    household=None,
    received_on=None,
    persons_involved=2,
    prevents_crime=False,
    prevents_mass_petition=False,
    risk_report=None,
):
    """已登记: a dispute brought to the village committee (parties are added on the same page)."""
    if village is None or not in_scope(village, user):
        raise ValidationError({"village": "该村/社区不在您的管辖范围内。"})
    committee = MediationCommittee.objects.filter(village=village).first()
    if committee is None:
        raise ValidationError({"village": "该村/社区尚未设立人民调解委员会，请先登记调委会。"})
    if household is not None and household.village_id != village.pk:
        raise ValidationError({"household": "发生户须是该村/社区的农户。"})
    received_on = received_on or timezone.localdate()
    not_future(received_on, "received_on", "登记日期")
    dispute = Dispute(
        village=village,
        committee=committee,
        household=household,
        risk_report=risk_report,
        title=required(title, "title", "请填写纠纷名称。"),
        dispute_type=dispute_type,
        source=source,
        facts=required(facts, "facts", "请填写纠纷事实。"),
        requests=requests or "",
        persons_involved=persons_involved or 2,
        prevents_crime=prevents_crime,
        prevents_mass_petition=prevents_mass_petition,
        received_on=received_on,
        registered_by=user,
        status=S.REGISTERED,
    )
    dispute.full_clean()
    dispute.save()
    WORKFLOW.record_event(dispute, user=user, action=A.REGISTER, note=facts[:200])
    return dispute


@WORKFLOW.performs(A.ACCEPT)
def accept_dispute(*, user, dispute, accepted_on=None, note="", expected_version=None):
    """已登记 → 已受理: the month's deadline starts; two parties at least must be on record."""
    accepted_on = accepted_on or timezone.localdate()
    not_future(accepted_on, "accepted_on", "受理日期")

    def apply(d):
        if d.parties.count() < 2:
            raise ValidationError("纠纷须有两方及以上当事人，请先补充当事人再受理。")
        if accepted_on < d.received_on:
            raise ValidationError({"accepted_on": "受理日期不能早于登记日期。"})
        d.accepted_on, d.due_date = accepted_on, one_month_after(accepted_on)
        return f"受理，调解期限至{d.due_date:%Y-%m-%d}。{note}".strip()

    return run(A.ACCEPT, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.REJECT)
def reject_dispute(*, user, dispute, reason, expected_version=None):
    """已登记 → 不予受理, with the reason told to the parties."""
    reason = required(reason, "reason", "不予受理时必须填写理由。")

    def apply(d):
        d.ended_on = timezone.localdate()
        return f"不予受理理由：{reason}"

    return run(A.REJECT, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.ASSIGN)
def assign_mediator(*, user, dispute, presiding, reason="", expected_version=None):
    """指定调解主持人: a current member of the village's committee; a later change needs a reason."""
    if presiding is None:
        raise ValidationError({"presiding": "请选择调解主持人。"})

    def apply(d):
        if presiding.committee_id != d.committee_id or presiding.end_date is not None:
            raise ValidationError({"presiding": "调解主持人须是本村人民调解委员会的在任成员。"})
        if d.presiding_id == presiding.pk:
            raise ValidationError({"presiding": "该调解员已是本案主持人。"})
        text = f"调解主持人：{presiding.person.name}"
        if d.presiding_id is not None:
            why = required(reason, "reason", "更换调解主持人时请写明理由（如当事人申请回避）。")
            text = f"调解主持人由{d.presiding.person.name}更换为{presiding.person.name}。理由：{why}"
        d.presiding = presiding
        return text

    return run(A.ASSIGN, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.INVESTIGATE)
def investigate_dispute(*, user, dispute, investigation, evidence="", expected_version=None):
    """了解核实情况: the investigation notes and the evidence list (the case file's 调查记录)."""
    investigation = required(investigation, "investigation", "请填写调查核实情况。")

    def apply(d):
        d.investigation, d.evidence = investigation, (evidence or "").strip()
        return investigation[:200]

    return run(A.INVESTIGATE, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.NOTIFY)
def notify_rights(*, user, dispute, signed, notified_on=None, expected_version=None):
    """告知权利义务: the 告知书 read and signed by every party."""
    if not signed:
        raise ValidationError({"signed": "请确认各方当事人已在权利义务告知书上签字。"})
    notified_on = notified_on or timezone.localdate()
    not_future(notified_on, "notified_on", "告知日期")

    def apply(d):
        d.notified_on = notified_on
        return f"已告知当事人权利义务，告知书经各方签字（{notified_on:%Y-%m-%d}）。"

    return run(A.NOTIFY, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.MEDIATE)
def record_session(*, user, dispute, held_on, place, participants, record, expected_version=None):
    """依法调解: one mediation session (repeatable)."""
    place = required(place, "place", "请填写调解地点。")
    participants = required(participants, "participants", "请填写参加人员。")
    record = required(record, "record", "请填写调解记录。")
    if held_on is None:
        raise ValidationError({"held_on": "请填写调解日期。"})
    not_future(held_on, "held_on", "调解日期")

    def apply(d):
        if d.accepted_on and held_on < d.accepted_on:
            raise ValidationError({"held_on": "调解日期不能早于受理日期。"})
        MediationSession.objects.create(
            dispute=d, held_on=held_on, place=place, participants=participants, record=record, recorded_by=user
        )
        d.session_count += 1
        return f"第{d.session_count}次调解（{held_on:%Y-%m-%d}，{place}）：{record[:150]}"

    return run(A.MEDIATE, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.FAIL)
def fail_mediation(*, user, dispute, failure_route, reason, expected_version=None):
    """调解不成: the parties are told where to go next (诉讼、仲裁、行政处理或上报乡镇)."""
    if failure_route not in Dispute.FailureRoute.values:
        raise ValidationError({"failure_route": "请选择告知当事人的解决途径。"})
    reason = required(reason, "reason", "请写明调解不成的原因。")

    def apply(d):
        d.failure_route, d.ended_on = failure_route, timezone.localdate()
        return f"{d.get_failure_route_display()}。原因：{reason}"

    return run(A.FAIL, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.WITHDRAW)
def withdraw_dispute(*, user, dispute, reason, expected_version=None):
    """当事人撤回: mediation ends at the parties' request."""
    reason = required(reason, "reason", "请写明当事人撤回的情况。")

    def apply(d):
        d.ended_on = timezone.localdate()
        return f"当事人撤回：{reason}"

    return run(A.WITHDRAW, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.EXTEND)
def extend_deadline(*, user, dispute, due_date, consent, expected_version=None):
    """延期: a later deadline, only with the parties' consent recorded."""
    consent = required(consent, "consent", "延期须经当事人同意，请记录同意情况。")
    if due_date is None:
        raise ValidationError({"due_date": "请填写新的调解期限。"})

    def apply(d):
        if due_date <= d.due_date:
            raise ValidationError({"due_date": f"新的调解期限须晚于原期限（{d.due_date:%Y-%m-%d}）。"})
        note = f"调解期限由{d.due_date:%Y-%m-%d}延期至{due_date:%Y-%m-%d}。当事人同意情况：{consent}"
        d.due_date, d.extension_count = due_date, d.extension_count + 1
        return note

    return run(A.EXTEND, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.ESCALATE)
def escalate_dispute(*, user, dispute, escalated_to, lead_official, reason="", expected_version=None):
    """上报乡镇: a serious dispute taken over or co-mediated by the township, with its 包案 leader."""
    escalated_to = required(escalated_to, "escalated_to", "请填写上报的乡镇或部门。")
    lead_official = required(lead_official, "lead_official", "请写明包案领导。")

    def apply(d):
        d.escalated, d.escalated_to, d.lead_official = True, escalated_to, lead_official
        text = f"上报{escalated_to}，包案领导：{lead_official}"
        return f"{text}。{reason.strip()}" if (reason or "").strip() else text

    return run(A.ESCALATE, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.ARCHIVE)
def archive_dispute(*, user, dispute, file_number, filed_by, retention, expected_version=None):
    """卷宗归档: only when the papers the outcome needs are all there (the missing ones are named)."""
    file_number = required(file_number, "file_number", "请填写卷号。")
    filed_by = required(filed_by, "filed_by", "请填写立卷人。")
    retention = required(retention, "retention", "请选择保管期限。")

    def apply(d):
        missing = missing_documents(d)
        if missing:
            raise ValidationError("卷宗尚缺以下材料，不能归档：" + "、".join(missing))
        d.file_number, d.filed_by, d.retention = file_number, filed_by, retention
        return f"卷号：{file_number}，立卷人：{filed_by}，保管期限：{retention}"

    return run(A.ARCHIVE, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


def update_details(*, user, dispute, changes, expected_version=None):
    """Correct the registered details of an open dispute; the timeline names the fields changed."""

    def apply(d):
        changed = [name for name, value in changes.items() if name in EDITABLE_FIELDS and getattr(d, name) != value]
        if not changed:
            return None
        for name in changed:
            setattr(d, name, changes[name])
        return "修改了：" + "、".join(str(Dispute._meta.get_field(name).verbose_name) for name in changed)

    return WORKFLOW.update(user=user, obj=dispute, expected_version=expected_version, apply=apply)
