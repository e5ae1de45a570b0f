"""PostgreSQL full-text search of missions: a French text search configuration that
folds accents ("maillon_fr" = french + unaccent) and a GIN index on
Mission.search_vector. Nothing to do on SQLite (the search reads search_text there)."""

from django.db import migrations

CREATE_SQL = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'maillon_fr') THEN
        CREATE TEXT SEARCH CONFIGURATION maillon_fr (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION maillon_fr
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS mission_search_vector_gin
    ON volunteering_mission USING gin (search_vector);
"""

DROP_SQL = """
DROP INDEX IF EXISTS mission_search_vector_gin;
DROP TEXT SEARCH CONFIGURATION IF EXISTS maillon_fr;
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(create_search, drop_search, elidable=False)]
