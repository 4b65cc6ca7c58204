"""排查: reporting a risk (from the admin or a household's phone page), following it, 零报告."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.scoping import in_scope
from disputes.models import Dispute, RiskReport, ZeroReport
from disputes.services.mediation import not_future, register_dispute, required
from governance.models.units import is_below_village

R = RiskReport.Status


@transaction.atomic
def report_risk(
    *,
    user,
    description,
    village=None,
    household=None,
    unit=None,
    dispute_type=None,
    level=RiskReport.Level.ORDINARY,
    parties="",
    measure="",
    found_by=None,
    found_on=None,
    screening_round=None,
    submission_token=None,
):
    """A hidden risk entered in the screening register; from a household it hangs on the household's 邻."""
    description = required(description, "description", "请填写隐患情况。")
    if submission_token:
        existing = RiskReport.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing  # the same form tapped twice
    if household is not None:
        if not in_scope(household, user):
            raise ValidationError("该户不在您的管辖范围内。")
        village, unit = household.village, household.neighborhood or unit
    elif village is None or not in_scope(village, user):
        raise ValidationError({"village": "请选择所在村/社区（须在您的管辖范围内）。"})
    if unit is not None and not (is_below_village(unit.level) and unit.path.startswith(village.path)):
        raise ValidationError({"unit": "所在组/邻须是该村/社区下的组或邻。"})
    if screening_round is not None and screening_round.village_id != village.pk:
        raise ValidationError({"screening_round": "排查轮次须是该村/社区的。"})
    found_on = found_on or timezone.localdate()
    not_future(found_on, "found_on", "发现日期")
    report = RiskReport(
        village=village,
        unit=unit,
        household=household,
        screening_round=screening_round,
        found_by=found_by,
        recorded_by=user,
        found_on=found_on,
        dispute_type=dispute_type or RiskReport._meta.get_field("dispute_type").default,
        parties=parties,
        level=level,
        description=description,
        measure=measure,
        submission_token=submission_token or None,
    )
    report.full_clean(exclude=["submission_token"])
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = RiskReport.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing
    return report


@transaction.atomic
def update_risk(*, user, report, status, measure="", resolved_on=None):
    """Follow a risk: 已化解 (with the date) or 持续关注; 转为纠纷 goes through ``convert_risk_to_dispute``."""
    locked = RiskReport.objects.restrict(user).select_for_update(of=("self",)).filter(pk=report.pk).first()
    if locked is None:
        raise ValidationError("没有找到该隐患，或您无权办理。")
    if locked.status == R.CONVERTED:
        raise ValidationError("该隐患已转为纠纷，请在纠纷中办理。")
    if status not in (R.OPEN, R.RESOLVED, R.WATCHING):
        raise ValidationError({"status": "请选择跟进结果。"})
    if measure:
        locked.measure = measure.strip()
    locked.status = status
    if status == R.RESOLVED:
        locked.resolved_on = resolved_on or timezone.localdate()
        not_future(locked.resolved_on, "resolved_on", "化解日期")
        if not locked.measure:
            raise ValidationError({"measure": "已化解的隐患请填写采取的措施。"})
    else:
        locked.resolved_on = None
    locked.full_clean(exclude=["submission_token"])
    locked.save()
    return locked


@transaction.atomic
def convert_risk_to_dispute(*, user, report, title, facts="", requests=""):
    """转为纠纷: the risk becomes a registered dispute, linked both ways (parties follow on its page)."""
    locked = RiskReport.objects.restrict(user).select_for_update(of=("self",)).filter(pk=report.pk).first()
    if locked is None:
        raise ValidationError("没有找到该隐患，或您无权办理。")
    if locked.status == R.CONVERTED or Dispute.objects.filter(risk_report=locked).exists():
        raise ValidationError("该隐患已转为纠纷。")
    dispute = register_dispute(
        user=user,
        village=locked.village,
        household=locked.household,
        title=title,
        dispute_type=locked.dispute_type,
        source=Dispute.Source.SCREENING,
        facts=facts or locked.description,
        requests=requests,
        risk_report=locked,
    )
    locked.status = R.CONVERTED
    locked.save(update_fields=["status"])
    return dispute


@transaction.atomic
def file_zero_report(*, user, screening_round, unit, reporter=None, note="", reported_on=None):
    """零报告: the 组/邻 found no risk in this round (once per unit and round)."""
    # A 邻长 cannot see the village's round itself, only their own unit: the unit is what is checked,
    # and it must lie in the round's village.
    if not in_scope(unit, user):
        raise ValidationError("该组/邻不在您的管辖范围内。")
    if not (is_below_village(unit.level) and unit.path.startswith(screening_round.village.path)):
        raise ValidationError({"unit": "零报告须由本村的组或邻填报。"})
    if RiskReport.objects.filter(screening_round=screening_round, unit=unit).exists():
        raise ValidationError("该组/邻本轮已报告隐患，不能再报零报告。")
    if ZeroReport.objects.filter(screening_round=screening_round, unit=unit).exists():
        raise ValidationError("该组/邻本轮已报告过。")
    report = ZeroReport(
        screening_round=screening_round,
        unit=unit,
        reporter=reporter,
        recorded_by=user,
        note=note,
        reported_on=reported_on or timezone.localdate(),
    )
    report.full_clean()
    report.save()
    return report
