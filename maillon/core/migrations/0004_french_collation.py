"""The French collation on PostgreSQL (``core.collation``); SQLite registers it on
each connection instead."""

from django.db import migrations

from maillon.core.collation import CREATE_POSTGRESQL, DROP_POSTGRESQL


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_POSTGRESQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_idempotencykey_fingerprint")]

    operations = [migrations.RunPython(create, drop)]
