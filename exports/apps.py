from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Large ledger exports as background jobs and the 我的导出 page (page layer)."""

    name = "exports"
    verbose_name = "我的导出"

    def ready(self):
        from core.admin_export import register_background_export
        from core.jobs import register_starter
        from exports.services import start_export, start_file_job

        register_background_export(start_export)
        register_starter(start_file_job)
