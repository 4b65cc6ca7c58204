"""Login throttling: axes' lock per username+IP, plus a lock per IP across usernames.

One password tried against many accounts from one address never reaches five failures for any
single username; ``LOGIN_IP_FAILURE_LIMIT`` failures from one address within the cool-off time
(whatever the usernames) lock that address too. The limit is higher than the per-account one
because a village office may put many cadres behind one address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    """AXES_HANDLER: the stock database handler with the per-IP rule added."""

    def ip_failures(self, request):
        ip_address = getattr(request, "axes_ip_address", None)
        if not ip_address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def ip_locked(self, request):
        locked = self.ip_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT
        if locked:
            request.login_ip_locked = True  # the lockout page says the address, not the account, is locked
        return locked

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or (
            settings.AXES_LOCK_OUT_AT_FAILURE and self.ip_locked(request)
        )

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not settings.AXES_LOCK_OUT_AT_FAILURE:
            return
        if not self.is_whitelisted(request, credentials) and self.ip_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
