"""Load the reference lists (regions, departments, sectors) shipped in ``taxonomy/data``."""

from django.db import migrations

from maillon.taxonomy.reference_data import load, read_csv


def load_reference_data(apps, schema_editor):
    load(
        apps.get_model("taxonomy", "Region"),
        apps.get_model("taxonomy", "Department"),
        apps.get_model("taxonomy", "Sector"),
        using=schema_editor.connection.alias,
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
