"""调解成功 with its agreement (numbered under a row lock), 司法确认, and 履行回访."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from disputes.models import Agreement, Dispute, FulfilmentRevisit, MediationCommittee
from disputes.services.mediation import WORKFLOW, A, S, not_future, required, run

REVISIT_AFTER_DAYS = 15  # without a fulfilment deadline: revisit a fortnight after signing
URGE_AGAIN_DAYS = 15  # 督促履行: the next revisit
CONFIRM_WITHIN_DAYS = 30  # 司法确认 is asked for within 30 days of the agreement taking effect


def allocate_number(committee, year):
    """The committee's next written-agreement number of ``year``.

    The committee's row is locked first (``select_for_update``), so two agreements signed at the
    same moment wait for each other and read the maximum in turn; the unique constraint on
    (committee, year, number) is the database's guarantee behind it. Call inside a transaction.
    """
    MediationCommittee.objects.select_for_update().filter(pk=committee.pk).values_list("pk", flat=True).get()
    top = Agreement.objects.filter(committee=committee, year=year).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


@WORKFLOW.performs(A.SUCCEED)
def sign_agreement(
    *,
    user,
    dispute,
    kind,
    terms,
    disputed_points="",
    responsibilities="",
    fulfil_method="",
    fulfil_place="",
    fulfil_by=None,
    signed_on=None,
    expected_version=None,
):
    """调解中 → 调解成功: the written agreement (numbered) or the oral one (recorded in the register).

    After a 重新调解 the same agreement is amended (a written one keeps its number).
    """
    if kind not in Agreement.Kind.values:
        raise ValidationError({"kind": "请选择协议形式。"})
    terms = required(terms, "terms", "请填写协议内容。")
    signed_on = signed_on or timezone.localdate()
    not_future(signed_on, "signed_on", "签订日期")
    if fulfil_by is not None and fulfil_by < signed_on:
        raise ValidationError({"fulfil_by": "履行期限不能早于签订日期。"})
    if kind == Agreement.Kind.WRITTEN and not (disputed_points or "").strip():
        raise ValidationError({"disputed_points": "书面协议须写明纠纷事实与争议事项。"})

    def apply(d):
        if d.accepted_on and signed_on < d.accepted_on:
            raise ValidationError({"signed_on": "签订日期不能早于受理日期。"})
        agreement = Agreement.objects.filter(dispute=d).first() or Agreement(dispute=d, committee=d.committee)
        amended = agreement.pk is not None
        agreement.kind, agreement.terms = kind, terms
        agreement.disputed_points, agreement.responsibilities = disputed_points or "", responsibilities or ""
        agreement.fulfil_method, agreement.fulfil_place, agreement.fulfil_by = fulfil_method, fulfil_place, fulfil_by
        agreement.signed_on = signed_on
        if kind == Agreement.Kind.ORAL:
            agreement.number = None
            agreement.year = signed_on.year
        elif agreement.number is None:
            agreement.year = signed_on.year
            agreement.number = allocate_number(d.committee, agreement.year)
        agreement.full_clean()
        agreement.save()
        d.ended_on = signed_on
        d.revisit_due_on = fulfil_by or signed_on + datetime.timedelta(days=REVISIT_AFTER_DAYS)
        label = agreement.document_number or "口头协议"
        return f"{'补充修改协议' if amended else '签订协议'}：{label}。{terms[:150]}"

    return run(A.SUCCEED, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.CONFIRM)
def record_confirmation(*, user, dispute, step, court="", on=None, expected_version=None):
    """司法确认: the request (within 30 days of signing) or the court's answer."""
    on = on or timezone.localdate()
    not_future(on, "on", "日期")
    if step not in ("request", Agreement.Confirmation.CONFIRMED, Agreement.Confirmation.REFUSED):
        raise ValidationError({"step": "请选择登记的事项。"})

    def apply(d):
        agreement = d.agreement
        if step == "request":
            if agreement.confirmation:
                raise ValidationError({"step": "已申请司法确认，请登记法院答复。"})
            if (on - agreement.signed_on).days > CONFIRM_WITHIN_DAYS:
                raise ValidationError({"on": "司法确认须在协议生效之日起30日内申请。"})
            if on < agreement.signed_on:
                raise ValidationError({"on": "申请日期不能早于协议签订日期。"})
            agreement.confirmation = Agreement.Confirmation.REQUESTED
            agreement.confirmation_requested_on = on
            agreement.court = required(court, "court", "请填写受理法院。")
            note = f"向{agreement.court}申请司法确认（{on:%Y-%m-%d}）"
        else:
            if agreement.confirmation != Agreement.Confirmation.REQUESTED:
                raise ValidationError({"step": "尚未申请司法确认，不能登记法院答复。"})
            if on < agreement.confirmation_requested_on:
                raise ValidationError({"on": "答复日期不能早于申请日期。"})
            agreement.confirmation, agreement.confirmation_decided_on = step, on
            note = f"{agreement.court}：{agreement.get_confirmation_display()}（{on:%Y-%m-%d}）"
        agreement.save()
        return note

    return run(A.CONFIRM, user=user, dispute=dispute, expected_version=expected_version, apply=apply)


@WORKFLOW.performs(A.REVISIT)
def record_fulfilment_revisit(
    *,
    user,
    dispute,
    fulfilment,
    satisfaction,
    follow_up=FulfilmentRevisit.FollowUp.NONE,
    rebounded=False,
    revisited_on=None,
    revisitor=None,
    note="",
    expected_version=None,
):
    """履行回访: kept or not, satisfied or not, flared up again or not; 重新调解 reopens mediation."""
    if fulfilment not in FulfilmentRevisit.Fulfilment.values:
        raise ValidationError({"fulfilment": "请选择履行情况。"})
    if satisfaction not in FulfilmentRevisit.Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择当事人满意度。"})
    if follow_up not in FulfilmentRevisit.FollowUp.values:
        raise ValidationError({"follow_up": "请选择后续措施。"})
    F = FulfilmentRevisit.Fulfilment
    if fulfilment != F.FULFILLED and follow_up == FulfilmentRevisit.FollowUp.NONE:
        raise ValidationError({"follow_up": "协议未完全履行，请选择后续措施（督促履行、告知起诉或重新调解）。"})
    revisited_on = revisited_on or timezone.localdate()
    not_future(revisited_on, "revisited_on", "回访日期")

    def apply(d):
        if d.ended_on and revisited_on < d.ended_on:
            raise ValidationError({"revisited_on": "回访日期不能早于协议签订日期。"})
        if revisitor is not None and revisitor.village_id != d.village_id:
            raise ValidationError({"revisitor": "回访人须是该村/社区的人员。"})
        revisit = FulfilmentRevisit(
            dispute=d,
            revisited_on=revisited_on,
            revisitor=revisitor,
            recorded_by=user,
            fulfilment=fulfilment,
            satisfaction=satisfaction,
            rebounded=bool(rebounded),
            follow_up=follow_up,
            note=(note or "").strip(),
        )
        revisit.full_clean()
        revisit.save()
        d.revisit_count += 1
        d.rebounded = d.rebounded or bool(rebounded)
        if follow_up == FulfilmentRevisit.FollowUp.URGE:
            d.revisit_due_on = revisited_on + datetime.timedelta(days=URGE_AGAIN_DAYS)
        else:
            d.revisit_due_on = None
        if d.status == S.MEDIATING:  # 重新调解: a new month from today
            d.ended_on = None
        text = f"{revisit.get_fulfilment_display()}，{revisit.get_satisfaction_display()}"
        if rebounded:
            text += "，纠纷反弹"
        text += f"；后续：{revisit.get_follow_up_display()}"
        return f"{text}。{revisit.note}" if revisit.note else text

    data = {"follow_up": follow_up}
    return run(A.REVISIT, user=user, dispute=dispute, expected_version=expected_version, apply=apply, data=data)


def revisit_due(dispute):
    return dispute.status == Dispute.Status.SUCCEEDED and dispute.revisit_due_on is not None
