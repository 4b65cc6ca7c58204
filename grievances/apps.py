from django.apps import AppConfig
from django.db.models.signals import post_delete


class GrievancesConfig(AppConfig):
    name = "grievances"
    verbose_name = "群众诉求"

    def ready(self):
        from grievances.models import Revisit, revisit_deleted

        # A revisit deleted (one or a queryset's): its grievance's latest satisfaction is read again.
        post_delete.connect(revisit_deleted, sender=Revisit, dispatch_uid="grievances.revisit_deleted")
