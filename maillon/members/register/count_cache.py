"""The register list's capped count, kept per process for one state of the register.

Every page of the member list says how many people match its filters (exactly up to
10,000, "more than 10,000" beyond). Counting costs PostgreSQL up to 10,001 index
entries, joins for the role and fee filters, per page view, although the answer only
changes when the register does.

Migration ``members/0011_register_version`` makes the database replace an
association's random ``token`` (table ``members_register_version``) in the same
transaction as any write to its people, roles or membership periods, whoever writes
(triggers: services, imports, bulk updates, cascades, raw SQL alike). The page's own
query reads the token (:func:`token_expression`); a count is kept under the token
read **in the count's own statement** (:func:`count_and_token`), so a count is only
ever given for the very state it was made from: any change makes a new token and the
next page counts afresh. The day is part of the key (the fee filter depends on it).

Each process keeps at most ``SIZE`` counts, least recently used first out.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db import connections
from django.db.models import BigIntegerField, QuerySet
from django.db.models.expressions import RawSQL

from maillon.core.render_memo import RenderMemo

SIZE = 4096
REGISTER_VERSION_SQL = "SELECT token FROM members_register_version WHERE association_id = %s"

_counts = RenderMemo(size=SIZE)
get = _counts.get
put = _counts.put


def token_expression(association_id: int) -> RawSQL:
    """The association's register token as a column of another query (``None``
    when the association has no token yet: then nothing is kept)."""
    return RawSQL(f"({REGISTER_VERSION_SQL})", [association_id], output_field=BigIntegerField())  # noqa: S611


def cache_key(db: str, association_id: int, token: int, filters: Hashable) -> Hashable:
    """The key of a count of the register of database alias ``db``."""
    return (connections[db].settings_dict["NAME"], association_id, token, filters)


def count_and_token(qs: QuerySet, association_id: int, cap: int) -> tuple[int, Any]:
    """(min(count, cap + 1), the register token) in one statement, so the count
    belongs to the state that token names."""
    inner = qs.order_by().values("pk")[: cap + 1]
    sql, params = inner.query.get_compiler(using=qs.db).as_sql()
    statement = f"SELECT (SELECT COUNT(*) FROM ({sql}) capped), ({REGISTER_VERSION_SQL})"  # noqa: S608
    with connections[qs.db].cursor() as cursor:
        cursor.execute(statement, (*params, association_id))
        count, token = cursor.fetchone()
    return count, token
