from django.db import migrations


def seed(apps, schema_editor):
    from pathways.organisations.capabilities import Cap
    from pathways.organisations.seed import ORGANISATION_TYPES, ROLES

    Capability = apps.get_model("organisations", "Capability")
    OrganisationType = apps.get_model("organisations", "OrganisationType")
    Role = apps.get_model("organisations", "Role")
    for cap in Cap:
        Capability.objects.update_or_create(code=cap.value, defaults={"name": cap.label})
    for position, (code, name, description, vcs, commission, curate, agency) in enumerate(ORGANISATION_TYPES):
        OrganisationType.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name, description=description, is_voluntary_sector=vcs, can_commission=commission,
                can_curate=curate, can_act_as_agency=agency, position=position,
            ),
        )
    for position, (code, name, description, caps) in enumerate(ROLES):
        role, _ = Role.objects.update_or_create(
            code=code, defaults=dict(name=name, description=description, position=position)
        )
        role.capabilities.set(Capability.objects.filter(code__in=[c.value for c in caps]))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
