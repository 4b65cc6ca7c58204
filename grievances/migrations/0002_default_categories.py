from django.db import migrations

CATEGORIES = ["基础设施", "土地", "社保医保", "环境卫生", "就业", "治安", "邻里", "其他"]


def create_categories(apps, schema_editor):
    GrievanceCategory = apps.get_model("grievances", "GrievanceCategory")
    for order, name in enumerate(CATEGORIES):
        GrievanceCategory.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("grievances", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
