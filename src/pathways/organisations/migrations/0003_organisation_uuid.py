import uuid

from django.db import migrations, models


def give_each_organisation_a_uuid(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    for organisation in Organisation.objects.filter(uuid__isnull=True).only("pk"):
        organisation.uuid = uuid.uuid4()
        organisation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_seed_types_roles_capabilities")]

    operations = [
        migrations.AddField(model_name="organisation", name="uuid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_each_organisation_a_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation", name="uuid",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
