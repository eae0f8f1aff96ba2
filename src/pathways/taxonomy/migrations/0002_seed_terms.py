from django.db import migrations


def seed(apps, schema_editor):
    from pathways.taxonomy.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
