"""Load the shipped population margins (content/margins/national.yaml)."""

from django.db import migrations


def load(apps, schema_editor):
    from maillon.observatory.margins.loading import shipped_margins

    MarginSet = apps.get_model("observatory", "MarginSet")
    Margin = apps.get_model("observatory", "Margin")
    margins = shipped_margins()
    margin_set, _ = MarginSet.objects.update_or_create(
        name=margins.name,
        defaults={"year": margins.year, "source": margins.source, "notes": margins.notes},
    )
    Margin.objects.filter(margin_set=margin_set).delete()
    Margin.objects.bulk_create(
        Margin(
            margin_set=margin_set,
            variable=row.variable,
            category=row.category,
            share=row.share,
            source=row.source[:300],
            placeholder=row.placeholder,
        )
        for row in margins.rows
    )


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
