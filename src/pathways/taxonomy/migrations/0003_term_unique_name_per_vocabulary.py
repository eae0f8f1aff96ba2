"""One name per vocabulary, whatever its case: the services refuse a duplicate with a message, and this
constraint holds when two curators add the same term at once."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_seed_terms")]

    operations = [
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"), "vocabulary", name="term_unique_name_per_vocabulary"
            ),
        ),
    ]
