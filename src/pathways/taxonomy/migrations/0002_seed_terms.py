from django.db import migrations


def seed(apps, schema_editor):
    from pathways.taxonomy.seed import VOCABULARIES

    Vocabulary = apps.get_model("taxonomy", "Vocabulary")
    Term = apps.get_model("taxonomy", "Term")
    for v_position, (code, name, description, terms) in enumerate(VOCABULARIES):
        vocabulary, _ = Vocabulary.objects.update_or_create(
            code=code, defaults=dict(name=name, description=description, position=v_position)
        )
        for position, (term_code, term_name, term_description) in enumerate(terms):
            Term.objects.update_or_create(
                code=term_code,
                defaults=dict(vocabulary=vocabulary, name=term_name, description=term_description, position=position),
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
