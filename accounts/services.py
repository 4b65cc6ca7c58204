"""Writes for accounts: the access log."""

from accounts.models import AccessLog
from core.client_ip import client_ip
from core.masking import mask_numbers_in


def log_access(*, request, action, obj=None, model=None, filters=None, row_count=None):
    """Record an export, a reveal or a view of a minor's record; returns the new row.

    ``filters`` are what the user typed (a search for a full ID number): stored with numbers masked.
    """
    user = request.user
    model = model or (type(obj) if obj is not None else None)
    return AccessLog.objects.create(
        user=user,
        unit_id=getattr(user, "unit_id", None),
        action=action,
        model_label=model._meta.label if model is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        filters=mask_numbers_in(filters or {}),
        row_count=row_count,
        ip_address=client_ip(request),
    )


def write_access_log(sender, *, request, action, obj=None, filters=None, row_count=None, **kwargs):
    """Receiver of ``core.access.access_recorded`` (connected in AccountsConfig.ready)."""
    return log_access(request=request, action=action, obj=obj, model=sender, filters=filters, row_count=row_count)
