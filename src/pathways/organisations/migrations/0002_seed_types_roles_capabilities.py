from django.db import migrations


def seed(apps, schema_editor):
    from pathways.organisations.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
