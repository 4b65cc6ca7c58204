from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "户籍与走访"

    def ready(self):
        from households import tallies

        tallies.connect()
