"""最美三长: the village nominates with reasons, the township approves (or not); approved awards
print as certificates (reports/training_people.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from governance.models import Unit
from governance.models.units import SEGMENT, Level
from training.models import Award


@transaction.atomic
def nominate_award(*, user, person, year, reasons, honour="最美三长"):
    if not user.has_perm("training.add_award"):
        raise PermissionDenied("您的账号没有推荐的权限。")
    if person is None or not in_scope(person, user):
        raise ValidationError({"person": "该人员不在您的管辖范围内。"})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": "请填写推荐理由。"})
    if Award.objects.filter(person=person, year=year, honour=honour).exists():
        raise ValidationError({"person": "此人本年度已被推荐该荣誉。"})
    return Award.objects.create(person=person, year=year, honour=honour or "最美三长", reasons=reasons.strip())


@transaction.atomic
def decide_award(*, user, award, approve):
    """乡镇党委 decides a nomination; the issuing body is the township's party committee."""
    if not user.has_perm("training.change_award"):
        raise PermissionDenied("推荐由乡镇审定，您的账号没有审定的权限。")
    locked = (
        Award.objects.restrict(user).select_for_update().select_related("person__village").filter(pk=award.pk).first()
    )
    if locked is None:
        raise ValidationError("没有找到该推荐，或您无权办理。")
    if locked.status != Award.Status.NOMINATED:
        raise ValidationError(f"该推荐已{locked.get_status_display()}，不能重复审定。")
    township = Unit.objects.get(path=locked.person.village.path[: 2 * SEGMENT], level=Level.TOWNSHIP)
    locked.status = Award.Status.APPROVED if approve else Award.Status.REJECTED
    locked.decided_on, locked.decided_by = timezone.localdate(), user
    locked.issuing_body = f"中共{township.name}委员会" if approve else ""
    locked.save(update_fields=["status", "decided_on", "decided_by", "issuing_body"])
    return locked
