from django.db import migrations

CATEGORIES = [
    ("left_behind_child", "留守儿童"),
    ("lonely_elderly", "孤寡老人"),
    ("empty_nest", "空巢老人"),
    ("minimum_living", "低保"),
    ("five_guarantees", "五保"),
    ("serious_illness", "重病重残"),
    ("monitored", "边缘监测"),
    ("hardship", "生活困难"),
]


def create_categories(apps, schema_editor):
    CareCategory = apps.get_model("households", "CareCategory")
    for order, (code, name) in enumerate(CATEGORIES):
        CareCategory.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
