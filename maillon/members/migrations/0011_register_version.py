"""A version of each association's register, changed by the database itself.

``members_register_version`` holds one random ``token`` per association. Triggers
replace it with a new random value in the same transaction as every INSERT, UPDATE,
DELETE (and TRUNCATE) of ``members_person``, ``members_roleassignment`` and
``members_membershipperiod``, whoever writes (services, imports with
``bulk_create``, ``QuerySet.update()``, cascades, COPY, raw SQL). A token therefore
names one state of what the register list reads, and the list may keep its
"how many people match" count per (association, token, filters, day)
(``maillon/members/register/count_cache.py``; docs/benchmarks.md).

The token is random rather than a counter so that a rolled-back change cannot make
a token come back with other data (a counter would repeat ``n + 1``).

PostgreSQL: statement-level triggers with transition tables (an import of 10,000
people changes the token once per statement, not once per row). SQLite: row
triggers. The table is not a Django model (no foreign key: the triggers still run
while an association's people are being deleted with it).
"""

from django.db import migrations

TABLES = ("members_person", "members_roleassignment", "members_membershipperiod")

# A random 63-bit value (random() has 52 random bits: plenty for a version tag).
PG_TOKEN = "(floor(random() * 9.0e18))::bigint"

PG_FUNCTIONS = f"""
CREATE TABLE IF NOT EXISTS members_register_version (
    association_id bigint PRIMARY KEY,
    token bigint NOT NULL
);
CREATE OR REPLACE FUNCTION members_register_touch(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO members_register_version AS v (association_id, token)
    SELECT id, {PG_TOKEN} FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS changed
    WHERE id IS NOT NULL
    ON CONFLICT (association_id) DO UPDATE SET token = EXCLUDED.token
$$;
CREATE OR REPLACE FUNCTION members_register_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM members_register_touch(ARRAY(SELECT association_id FROM new_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION members_register_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM members_register_touch(ARRAY(
        SELECT association_id FROM old_rows UNION SELECT association_id FROM new_rows
    ));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION members_register_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM members_register_touch(ARRAY(SELECT association_id FROM old_rows));
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION members_register_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE members_register_version SET token = {PG_TOKEN};
    RETURN NULL;
END $$;
"""

PG_TRIGGERS = """
CREATE TRIGGER {table}_register_ins AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION members_register_inserted();
CREATE TRIGGER {table}_register_upd AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION members_register_updated();
CREATE TRIGGER {table}_register_del AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION members_register_deleted();
CREATE TRIGGER {table}_register_trunc AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION members_register_truncated();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS {table}_register_ins ON {table};
DROP TRIGGER IF EXISTS {table}_register_upd ON {table};
DROP TRIGGER IF EXISTS {table}_register_del ON {table};
DROP TRIGGER IF EXISTS {table}_register_trunc ON {table};
"""

PG_DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS members_register_inserted();
DROP FUNCTION IF EXISTS members_register_updated();
DROP FUNCTION IF EXISTS members_register_deleted();
DROP FUNCTION IF EXISTS members_register_truncated();
DROP FUNCTION IF EXISTS members_register_touch(bigint[]);
DROP TABLE IF EXISTS members_register_version;
"""

SQLITE_TABLE = """
CREATE TABLE IF NOT EXISTS members_register_version (
    association_id integer PRIMARY KEY,
    token integer NOT NULL
)
"""

# An UPDATE, then an INSERT only when there was no row: no statement of the trigger
# meets a conflict, so the outer statement's conflict policy (``INSERT OR IGNORE`` of
# ``bulk_create(ignore_conflicts=True)``, which SQLite applies to the trigger's
# statements too) cannot turn the change of token into nothing.
SQLITE_TOUCH = (
    "UPDATE members_register_version SET token = random() "
    "WHERE association_id = {row}.association_id; "
    "INSERT INTO members_register_version (association_id, token) "
    "SELECT {row}.association_id, random() WHERE NOT EXISTS ("
    "SELECT 1 FROM members_register_version WHERE association_id = {row}.association_id);"
)
SQLITE_TRIGGERS = {
    "ins": ("INSERT", ("NEW",)),
    "upd": ("UPDATE", ("OLD", "NEW")),
    "del": ("DELETE", ("OLD",)),
}

INITIAL_TOKENS = {
    "postgresql": f"INSERT INTO members_register_version (association_id, token) "
    f"SELECT id, {PG_TOKEN} FROM associations_association ON CONFLICT DO NOTHING",
    "sqlite": "INSERT OR IGNORE INTO members_register_version (association_id, token) "
    "SELECT id, random() FROM associations_association",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTIONS)
        for table in TABLES:
            schema_editor.execute(PG_DROP.format(table=table) + PG_TRIGGERS.format(table=table))
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        for table in TABLES:
            for suffix, (event, rows) in SQLITE_TRIGGERS.items():
                body = " ".join(SQLITE_TOUCH.format(row=row) for row in rows)
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_register_{suffix}")
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_register_{suffix} AFTER {event} ON {table} "
                    f"FOR EACH ROW BEGIN {body} END"
                )
    else:
        return
    schema_editor.execute(INITIAL_TOKENS[vendor])


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(PG_DROP.format(table=table))
        schema_editor.execute(PG_DROP_FUNCTIONS)
    elif vendor == "sqlite":
        for table in TABLES:
            for suffix in SQLITE_TRIGGERS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_register_{suffix}")
        schema_editor.execute("DROP TABLE IF EXISTS members_register_version")


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0004_statutes_secret_ballot"),
        ("members", "0010_merge_record_links_and_fees"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
