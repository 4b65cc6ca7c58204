"""民意调查提事: an opinion recorded from a household (the 邻长's phone, a visit, a meeting…)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import in_scope
from core.submission import save_once
from deliberation.models import Opinion


@transaction.atomic
def record_opinion(
    *, user, topic, text, household=None, village=None, channel=Opinion.Channel.VISIT, collected_by=None,
    collected_on=None, submission_token=None,
):  # fmt: skip
    """One opinion; from a household it hangs on the household's village (and 邻). Saved once per token."""
    if household is not None:
        if not in_scope(household, user):
            raise ValidationError({"household": "该户不在您的管辖范围内。"})
        village = household.village
    elif village is None or not in_scope(village, user):
        raise ValidationError({"village": "请选择所在村/社区（须在您的管辖范围内）。"})
    topic, text = (topic or "").strip(), (text or "").strip()
    if not topic:
        raise ValidationError({"topic": "请填写议题（如：修路、饮水）。"})
    if not text:
        raise ValidationError({"text": "请填写群众的意见。"})
    if channel not in Opinion.Channel.values:
        raise ValidationError({"channel": "请选择收集渠道。"})
    collected_on = collected_on or timezone.localdate()
    if collected_on > timezone.localdate():
        raise ValidationError({"collected_on": "收集日期不能晚于今天。"})
    if collected_by is not None and collected_by.village_id != village.pk:
        raise ValidationError({"collected_by": "收集人须是本村/社区的人员。"})
    opinion = Opinion(
        village=village, household=household, topic=topic[:64], text=text, channel=channel,
        collected_by=collected_by, collected_on=collected_on, recorded_by=user, submission_token=submission_token,
    )  # fmt: skip
    opinion.full_clean(exclude=["submission_token"])
    return save_once(opinion)
