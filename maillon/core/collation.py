"""French order for names: BÉGOC before BRÉHAULT, CAËN before CAMUS, ÉVRARD among the
E, "de Villiers" among the D, whatever the case.

One collation name, ``FRENCH``, on both databases: on PostgreSQL a collation made by a
migration from ICU's French rules (``core/migrations/0004_french_collation.py``); on
SQLite the same name registered on every new connection with a Python comparison
(``french_sort_key``). Columns of names declare it (``db_collation=FRENCH``), so every
ORDER BY on them, their indexes included, follows French order."""

from __future__ import annotations

import unicodedata

#: The collation's name in the database.
FRENCH = "maillon_fr"

#: PostgreSQL: ICU's French rules (deterministic: equal only when identical, as the
#: default collation, so equality, LIKE and unique constraints behave as before).
CREATE_POSTGRESQL = (
    f"CREATE COLLATION IF NOT EXISTS \"{FRENCH}\" (provider = icu, locale = 'fr-x-icu')"
)
DROP_POSTGRESQL = f'DROP COLLATION IF EXISTS "{FRENCH}"'


def french_sort_key(value: str) -> tuple[str, str, str]:
    """Letters first (accents and case aside), then accents, then case, then the
    text itself, so that two different names never compare equal."""
    value = value or ""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return letters, decomposed.casefold(), value


def compare_french(left: str, right: str) -> int:
    a, b = french_sort_key(left), french_sort_key(right)
    return (a > b) - (a < b)


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite learns the collation on each connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH, compare_french)
