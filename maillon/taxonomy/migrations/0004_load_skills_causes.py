"""Load the skills and causes shipped in ``taxonomy/data``."""

from django.db import migrations

from maillon.taxonomy.reference_data import load_labels, read_csv

LISTS = (("Skill", "skills.csv"), ("Cause", "causes.csv"))


def load_lists(apps, schema_editor):
    for model_name, filename in LISTS:
        load_labels(
            apps.get_model("taxonomy", model_name), filename, using=schema_editor.connection.alias
        )


def unload_lists(apps, schema_editor):
    for model_name, filename in LISTS:
        apps.get_model("taxonomy", model_name).objects.using(schema_editor.connection.alias).filter(
            code__in=[row["code"] for row in read_csv(filename)]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_skills_causes"),
    ]

    operations = [
        migrations.RunPython(load_lists, unload_lists),
    ]
