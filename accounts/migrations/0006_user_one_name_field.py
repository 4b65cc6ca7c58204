"""One 姓名 field on User, written as Chinese names are; the old family and given names joined."""

from django.db import migrations, models


def join_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(first_name="", last_name=""):
        User.objects.filter(pk=user.pk).update(name=f"{user.last_name}{user.first_name}".strip()[:32])


def split_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(name=""):
        family = user.name[:2] if user.name[:2] == "欧阳" else user.name[:1]
        User.objects.filter(pk=user.pk).update(last_name=family, first_name=user.name[len(family) :])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_mask_numbers_in_logged_filters"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name",
            field=models.CharField(blank=True, default="", max_length=32, verbose_name="姓名"),
        ),
        migrations.RunPython(join_names, split_names),
        migrations.RemoveField(model_name="user", name="first_name"),
        migrations.RemoveField(model_name="user", name="last_name"),
    ]
