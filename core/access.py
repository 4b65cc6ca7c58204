"""Access logging from core without importing accounts: core names the actions and sends a signal.

``record_access`` is what admin mixins and pages call when someone exports rows, imports a file, reveals
full ID numbers or phones, or opens a minor's record. The row itself is written by the receiver that
``accounts`` connects in ``AccountsConfig.ready`` (``accounts.services.log_access``). Nothing
listening is a configuration error, never a silently lost log row.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.dispatch import Signal


class AccessAction(models.TextChoices):
    """The reads that are logged (the values stored in ``accounts.AccessLog.action``)."""

    EXPORT = "export", "导出数据"
    REVEAL = "reveal", "查看完整证件号/电话"
    VIEW_MINOR = "view_minor", "查看未成年人（留守儿童）信息"
    IMPORT = "import", "导入数据"


# Sent with sender = the model read; kwargs: request, action, obj, filters, row_count.
access_recorded = Signal()


def record_access(*, request, action, obj=None, model=None, filters=None, row_count=None):
    """Log one read; returns what the receivers returned (the AccessLog row)."""
    model = model or (type(obj) if obj is not None else None)
    responses = access_recorded.send(
        sender=model, request=request, action=AccessAction(action), obj=obj, filters=filters, row_count=row_count
    )
    if not responses:
        raise ImproperlyConfigured("访问日志没有接收方：请确认已安装 accounts 应用，访问记录不能丢失。")
    return responses[0][1]


def may_export(user):
    """The export permission: ``export`` in the user model's app, granted by role (accounts.backends)."""
    return user.has_perm(f"{get_user_model()._meta.app_label}.export")
