from django.apps import AppConfig


class MobileConfig(AppConfig):
    """Phone pages (/m/) for 组长/邻长 and village cadres: the page layer, above every domain app."""

    name = "mobile"
    verbose_name = "手机页面"
