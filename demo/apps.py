from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo-data builders and ``seed_demo``: above every domain app, imported by nothing but tests."""

    name = "demo"
    verbose_name = "演示数据"
