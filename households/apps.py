from django.apps import AppConfig
from django.db.models.signals import post_delete


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "户籍与走访"

    def ready(self):
        from households import tallies
        from households.models import Resident
        from households.models.households import resident_deleted

        tallies.connect()
        # A resident deleted (one or a queryset's): its household's count is read again.
        post_delete.connect(resident_deleted, sender=Resident, dispatch_uid="households.resident_deleted")
