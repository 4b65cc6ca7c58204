from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Statistics pages and their Excel exports (/reports/): the page layer, above every domain app."""

    name = "reports"
    verbose_name = "统计报表"

    def ready(self):
        from core.jobs import register_writer
        from reports.county import write_county_job

        register_writer("county", write_county_job)
        from reports.measures import register_measures

        register_measures()
