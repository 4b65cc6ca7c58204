"""Access-log rows written before log_access masked its filters: mask the ID numbers and phones
already stored in them (an export searched by a full ID number kept the number whole)."""

from django.db import migrations

from core.masking import mask_numbers_in


def mask_stored_filters(apps, schema_editor):
    AccessLog = apps.get_model("accounts", "AccessLog")
    for pk, filters in AccessLog.objects.exclude(filters={}).values_list("pk", "filters").iterator():
        masked = mask_numbers_in(filters)
        if masked != filters:
            AccessLog.objects.filter(pk=pk).update(filters=masked)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_phone_field"),
    ]

    operations = [
        migrations.RunPython(mask_stored_filters, migrations.RunPython.noop),
    ]
