from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self):
        from core.audit import register_project_models

        register_project_models()

        from django.contrib.auth.signals import user_logged_in

        from core.middleware import stamp_renewal_at_login

        user_logged_in.connect(stamp_renewal_at_login, dispatch_uid="core.stamp_renewal_at_login")
