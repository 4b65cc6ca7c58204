"""Response headers for pages that may hold personal data, and the session's idle renewal."""

import time

from django.conf import settings
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Every response to a signed-in user is ``Cache-Control: no-store`` (no copy on disk or in a proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True)
        return response


def stamp_renewal_at_login(sender, request, user, **kwargs):
    """Login saves the session anyway: it starts the renewal interval, so the next page writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[SessionRenewalMiddleware.KEY] = int(time.time())


class SessionRenewalMiddleware:
    """Renews a session's idle window at most once per ``SESSION_RENEW_SECONDS``.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page under load; renewing it when the last renewal is a few minutes old keeps the two-hour idle
    expiry to within those minutes, with one write per user per interval.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and not session.modified:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response


class WriteStampMiddleware:
    """Stamps the session each time its signed-in user sends a write (POST, PUT, PATCH, DELETE).

    Figures kept a short while per user (the home page's work queue) put the stamp in their cache
    key: the user's own changes show at once, whichever worker process served them, while other
    people's show within the keeping time. One session write per write request, none per page.
    """

    KEY = "_wrote_at"
    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE:
            user = getattr(request, "user", None)
            session = getattr(request, "session", None)
            if session is not None and user is not None and user.is_authenticated:
                session[self.KEY] = time.time_ns()
        return response


def write_stamp(request):
    """The time of the user's last write in this session (0 before any)."""
    session = getattr(request, "session", None)
    return session.get(WriteStampMiddleware.KEY, 0) if session is not None else 0
