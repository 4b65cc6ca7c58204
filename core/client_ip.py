"""The client's address, also behind the HTTPS reverse proxy (for login throttling and the access log).

X-Forwarded-For is believed only from a proxy we run: with ``PROXY_COUNT`` proxies in front
(production: 1), each hop is peeled off from the right only while the address that handed the
request on is in ``TRUSTED_PROXIES`` (addresses or networks; default the loopback addresses).
A client reaching the app port directly is keyed on its REMOTE_ADDR, whatever header it forges.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def parse_ip(value):
    """An ``ipaddress`` address, or None for anything that is not one."""
    try:
        return ipaddress.ip_address(str(value or "").strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    ip = parse_ip(address)
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ("127.0.0.1", "::1"))))
    return ip is not None and any(ip.version == net.version and ip in net for net in networks)


def client_ip(request):
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "PROXY_COUNT", 0)
    if not count or not is_trusted_proxy(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    chain = [*hops, remote]
    for _ in range(count):
        if len(chain) < 2 or not is_trusted_proxy(chain[-1]):
            break
        chain.pop()
    return chain[-1] if parse_ip(chain[-1]) is not None else remote
