"""``{% grievance_work_queue %}``: the signed-in user's grievance work queue on the admin home page."""

from django import template
from django.urls import reverse
from django.utils import timezone

from grievances.selectors import work_queue

register = template.Library()


@register.inclusion_tag("admin/grievances/work_queue.html", takes_context=True)
def grievance_work_queue(context):
    request = context["request"]
    user = request.user
    if not user.has_perm("grievances.view_grievance"):
        return {"show": False}
    changelist = reverse("admin:grievances_grievance_changelist")
    sections = work_queue(user=user, today=timezone.localdate())
    return {
        "show": True,
        "sections": [(section, f"{changelist}?deadline={section.key}") for section in sections],
        "stats_url": reverse("reports:grievance_stats"),
        "add_url": reverse("admin:grievances_grievance_add") if user.has_perm("grievances.add_grievance") else "",
        "today": timezone.localdate(),
    }
