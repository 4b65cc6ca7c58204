from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Statistics pages and their Excel exports (/reports/): the page layer, above every domain app."""

    name = "reports"
    verbose_name = "统计报表"
