"""Count the village-days of the visits already stored (households.tallies keeps them from here on)."""

from django.db import migrations
from django.db.models import Count, F, Q

METHODS = ["door", "phone", "wechat", "talk_day", "meeting", "other"]


def count_existing(apps, schema_editor):
    Visit = apps.get_model("households", "Visit")
    Household = apps.get_model("households", "Household")
    VisitDay = apps.get_model("households", "VisitDay")
    special = Household.care_categories.through.objects.values("household_id")
    grouped = (
        Visit.objects.values(village_key=F("household__village_id"), day_key=F("visited_on"))
        .annotate(
            visits=Count("pk"),
            **{method: Count("pk", filter=Q(method=method)) for method in METHODS},
            problems=Count("pk", filter=Q(problem_found=True)),
            special_visits=Count("pk", filter=Q(household__in=special)),
        )
        .order_by()
    )
    rows = (
        VisitDay(village_id=row.pop("village_key"), day=row.pop("day_key"), **row)
        for row in grouped.iterator(chunk_size=5000)
    )
    VisitDay.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("households", "0012_visit_day")]

    operations = [migrations.RunPython(count_existing, migrations.RunPython.noop)]
