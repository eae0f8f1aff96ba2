"""The bundled postcode districts (directory/data/postcode_districts.csv, see its SOURCE), so that distance
search works on every installation from the start. Full postcodes come later from the ONS Postcode
Directory with `pathways load_postcodes`; districts already here are updated, never duplicated."""

import csv
from pathlib import Path

from django.db import migrations

DISTRICTS = Path(__file__).resolve().parent.parent / "data" / "postcode_districts.csv"


def load(apps, schema_editor):
    PostcodeArea = apps.get_model("directory", "PostcodeArea")
    with DISTRICTS.open(newline="", encoding="utf-8") as file:
        areas = [
            PostcodeArea(
                code=row["outcode"].strip().upper(), latitude=float(row["latitude"]),
                longitude=float(row["longitude"]), town=row["town"].strip()[:100], county=row["county"].strip()[:100],
            )
            for row in csv.DictReader(file)
        ]
    PostcodeArea.objects.bulk_create(
        areas, batch_size=500, update_conflicts=True, unique_fields=["code"],
        update_fields=["latitude", "longitude", "town", "county"],
    )


def unload(apps, schema_editor):
    PostcodeArea = apps.get_model("directory", "PostcodeArea")
    with DISTRICTS.open(newline="", encoding="utf-8") as file:
        codes = [row["outcode"].strip().upper() for row in csv.DictReader(file)]
    for start in range(0, len(codes), 500):
        PostcodeArea.objects.filter(code__in=codes[start:start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_search_full_text")]

    operations = [migrations.RunPython(load, unload)]
