"""``{% dispute_work_queue %}``: the signed-in user's dispute work queue on the admin home page.

Its sections are ``disputes.selectors.work_queue`` (待受理, 调解已超期, 本周到期, 待回访, 上报乡镇办理中),
each linking the mediation register filtered by the same definition; plus the screening rounds of
the last month with 邻 that have reported nothing. A 组长/邻长, who acts on the phone, gets the
phone's links instead.
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from disputes.models import Dispute, RiskReport
from disputes.selectors import unreported_rounds, work_queue

register = template.Library()


@register.inclusion_tag("admin/disputes/work_queue.html", takes_context=True)
def dispute_work_queue(context):
    user = context["request"].user
    today = timezone.localdate()
    if not user.has_perm("disputes.view_dispute"):
        return {"show": False}
    if not user.has_perm("disputes.change_dispute"):
        if not user.has_perm("disputes.add_fulfilmentrevisit"):
            return {"show": False}  # county staff: the statistics are theirs, not a queue
        return {
            "show": True,
            "phone_only": True,
            "revisits": Dispute.objects.restrict(user).deadline("revisit_due", today).count(),
            "risks": RiskReport.objects.restrict(user).filter(status__in=RiskReport.OPEN_STATUSES).count(),
            "home_url": reverse("mobile:dispute_home"),
            "screening_url": reverse("mobile:screening_rounds"),
        }
    changelist = reverse("admin:disputes_dispute_changelist")
    return {
        "show": True,
        "sections": [(s, f"{changelist}?deadline={s.key}") for s in work_queue(user=user, today=today)],
        "rounds": unreported_rounds(user, today=today),
        "stats_url": reverse("reports:dispute_stats"),
        "risks_url": reverse("admin:disputes_riskreport_changelist") + "?status__exact=open",
        "add_url": reverse("admin:disputes_dispute_add") if user.has_perm("disputes.add_dispute") else "",
        "today": today,
    }
