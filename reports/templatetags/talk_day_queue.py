"""``{% talk_day_queue %}``: the monthly 支部说事日 on the admin home page of village and township staff.

It shows the next 说事日 (``training.talk_days``) and the villages that have not registered the last
one, each with a link to the meeting form filled in for that village and day.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from training.models import Meeting
from training.talk_days import month_bounds, talk_day_queue

register = template.Library()

SHOWN = 12  # villages listed by name; the rest are behind the meeting list's link


@register.inclusion_tag("admin/training/talk_day_queue.html", takes_context=True)
def talk_day_work_queue(context):
    user = context["request"].user
    if not user.has_perm("training.add_meeting"):
        return {"show": False}
    today = timezone.localdate()
    queue = talk_day_queue(user, today)
    if not queue.villages:
        return {"show": False}
    add = reverse("admin:training_meeting_add")
    first, last = month_bounds(queue.last_day)

    def add_url(village, day):
        return f"{add}?" + urlencode(
            {"kind": Meeting.Kind.TALK_DAY, "held_on": day.isoformat(), "unit": village.pk, "topic": "支部说事日"}
        )

    month = {"kind__exact": Meeting.Kind.TALK_DAY, "held_on__gte": first.isoformat(), "held_on__lte": last.isoformat()}
    listing = f"{reverse('admin:training_meeting_changelist')}?{urlencode(month)}"
    return {
        "show": True,
        "queue": queue,
        "is_today": queue.next_day == today,
        "missing": [(v, add_url(v, queue.last_day)) for v in queue.missing[:SHOWN]],
        "more": max(len(queue.missing) - SHOWN, 0),
        "held": queue.villages - len(queue.missing),
        "listing_url": listing,
        "single": queue.villages == 1,
    }
