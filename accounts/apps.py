from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与日志"

    def ready(self):
        """Write an AccessLog row for every read core reports (``core.access.record_access``)."""
        from accounts.services import write_access_log
        from core.access import access_recorded

        access_recorded.connect(write_access_log, dispatch_uid="accounts.write_access_log")
