"""``{% work_queue_cache as queue %}``: how long, and under which key, the home page keeps a user's queues.

The work queues (诉求, 矛盾纠纷, 说事日) are two thirds of a village cadre's home page: a dozen
grouped counts and lists (issue 15). The page keeps their rendered HTML ``WORK_QUEUE_CACHE_SECONDS``
per user and day. The key holds the user's last write (``core.middleware.write_stamp``): after
registering or handling a case the user's own queue is counted afresh at once; what other people
did shows within the keeping time.
"""

from django import template
from django.conf import settings
from django.utils import timezone

from core.middleware import write_stamp

register = template.Library()


@register.simple_tag(takes_context=True)
def work_queue_cache(context):
    request = context["request"]
    return {
        "seconds": settings.WORK_QUEUE_CACHE_SECONDS,
        "key": f"{request.user.pk}:{timezone.localdate().isoformat()}:{write_stamp(request)}",
    }
