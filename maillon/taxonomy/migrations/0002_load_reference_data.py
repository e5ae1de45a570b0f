"""Load the reference lists (regions, departments, sectors) shipped in ``taxonomy/data``."""

import csv
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_csv(filename):
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps, schema_editor):
    Region = apps.get_model("taxonomy", "Region")
    Department = apps.get_model("taxonomy", "Department")
    Sector = apps.get_model("taxonomy", "Sector")
    db_alias = schema_editor.connection.alias

    Region.objects.using(db_alias).bulk_create(
        Region(code=row["code"], name=row["name"]) for row in read_csv("regions.csv")
    )
    regions = {region.code: region for region in Region.objects.using(db_alias).all()}

    Department.objects.using(db_alias).bulk_create(
        Department(code=row["code"], name=row["name"], region=regions[row["region_code"]])
        for row in read_csv("departments.csv")
    )

    Sector.objects.using(db_alias).bulk_create(
        Sector(
            code=row["code"],
            label_fr=row["label_fr"],
            label_en=row["label_en"],
            position=int(row["position"]),
        )
        for row in read_csv("sectors.csv")
    )


def unload_reference_data(apps, schema_editor):
    Region = apps.get_model("taxonomy", "Region")
    Department = apps.get_model("taxonomy", "Department")
    Sector = apps.get_model("taxonomy", "Sector")
    db_alias = schema_editor.connection.alias

    # Departments first: Department.region is PROTECT.
    Department.objects.using(db_alias).filter(
        code__in=[row["code"] for row in read_csv("departments.csv")]
    ).delete()
    Region.objects.using(db_alias).filter(
        code__in=[row["code"] for row in read_csv("regions.csv")]
    ).delete()
    Sector.objects.using(db_alias).filter(
        code__in=[row["code"] for row in read_csv("sectors.csv")]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, unload_reference_data),
    ]
