"""A trigram index on Person.search_text (PostgreSQL only): the register's search
(``search_text LIKE '%word%'``, accent-folded text) becomes an index lookup instead
of reading the association's rows (a rare name in a 100,000-person register: 0.6 ms
instead of 121 ms; docs/benchmarks.md). Nothing to do on SQLite.

``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.db import migrations

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS person_search_trgm_idx
    ON members_person USING gin (search_text gin_trgm_ops);
"""

DROP_SQL = "DROP INDEX IF EXISTS person_search_trgm_idx;"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_member_export")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
