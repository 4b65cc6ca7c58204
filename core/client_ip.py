"""The client's address, also behind the HTTPS reverse proxy (for login throttling and the access log).

With ``PROXY_COUNT`` trusted proxies in front (production: 1), the client is the address the
outermost trusted proxy appended to X-Forwarded-For; anything further left is client-supplied
and ignored. Without proxies it is REMOTE_ADDR.
"""

from django.conf import settings


def client_ip(request):
    if request is None:
        return None
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
