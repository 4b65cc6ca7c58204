"""``{% grievance_work_queue %}``: the signed-in user's grievance work queue on the admin home page.

In the page layer: it links the admin's lists, the report pages and, for a 组长/邻长 who acts on
the phone rather than in the admin, the phone's revisit and reported lists.
"""

from django import template
from django.urls import reverse
from django.utils import timezone

from grievances.models import Grievance
from grievances.selectors import work_queue

register = template.Library()


@register.inclusion_tag("admin/grievances/work_queue.html", takes_context=True)
def grievance_work_queue(context):
    request = context["request"]
    user = request.user
    if not user.has_perm("grievances.view_grievance"):
        return {"show": False}
    if not user.has_perm("grievances.change_grievance") and user.has_perm("grievances.add_revisit"):
        # A 组长/邻长 verifies and handles nothing: no queue of steps they cannot take, only theirs.
        return {
            "show": True,
            "phone_only": True,
            "revisits": Grievance.objects.restrict(user).awaiting_revisit().count(),
            "revisit_url": reverse("mobile:revisit_list"),
            "reported_url": reverse("mobile:reported_list"),
        }
    changelist = reverse("admin:grievances_grievance_changelist")
    sections = work_queue(user=user, today=timezone.localdate())
    return {
        "show": True,
        "sections": [(section, f"{changelist}?deadline={section.key}") for section in sections],
        "stats_url": reverse("reports:grievance_stats"),
        "add_url": reverse("admin:grievances_grievance_add") if user.has_perm("grievances.add_grievance") else "",
        "today": timezone.localdate(),
    }
