import atexit
import contextlib
import datetime
import threading
import time

from allauth.mfa.models import Authenticator
from django.db import connection
from django.db.models import Case, Value, When
from django.utils import timezone

from maillon.core.db.compiled import CompiledQuery

from .models import ApiToken


def user_has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# Token last use is informational (the tokens page shows it): it is recorded at
# most once a minute per token and written in batches, one UPDATE per process every
# LAST_USE_FLUSH_SECONDS at most, never in its own transaction on every request (in
# an election every voter's token is used once: that was one more transaction per
# vote). A pending time is lost only if the process is killed before its next flush.
LAST_USE_EVERY_SECONDS = 60
LAST_USE_FLUSH_SECONDS = 30
_last_use_lock = threading.Lock()
_pending_last_use: dict[int, datetime.datetime] = {}
_last_flush = time.monotonic()


_FLUSH_SQL = (
    "UPDATE {table} AS t SET last_used_at = v.at"
    " FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE t.id = v.id"
)


def flush_token_last_use() -> None:
    """Write the pending last-use times (one statement for all of them)."""
    global _last_flush
    with _last_use_lock:
        pending = dict(_pending_last_use)
        _pending_last_use.clear()
        _last_flush = time.monotonic()
    if not pending:
        return
    if connection.vendor == "postgresql":
        # The same UPDATE with the ids and times as two arrays: building a CASE of
        # hundreds of WHENs through the ORM cost more CPU than the votes it follows.
        with connection.cursor() as cursor:
            cursor.execute(
                _FLUSH_SQL.format(table=connection.ops.quote_name(ApiToken._meta.db_table)),
                [list(pending), list(pending.values())],
            )
        return
    when = Case(*(When(pk=pk, then=Value(at)) for pk, at in pending.items()))
    ApiToken.objects.filter(pk__in=list(pending)).update(last_used_at=when)


def note_token_use(
    *, token_id: int, last_used_at: datetime.datetime | None, now: datetime.datetime
) -> None:
    """Note that the token ``token_id`` (last used at ``last_used_at``, as read with
    it) was used ``now``: kept for the next batch if its last use is older than
    ``LAST_USE_EVERY_SECONDS``, and the batch written if it is due."""
    if last_used_at is not None and (
        (now - last_used_at).total_seconds() <= LAST_USE_EVERY_SECONDS
    ):
        return
    with _last_use_lock:
        _pending_last_use.setdefault(token_id, now)
        due = time.monotonic() - _last_flush >= LAST_USE_FLUSH_SECONDS
    if due:
        flush_token_last_use()


def _flush_at_exit() -> None:
    # At exit the database may be gone: last use is informational, never an error.
    with contextlib.suppress(Exception):
        flush_token_last_use()


atexit.register(_flush_at_exit)


# Read on every API request: its SQL is built once per process (the same query as
# ``select_related("user").filter(...).first()``; see ``maillon.core.db.compiled``).
_token_with_user = CompiledQuery(
    lambda key_hash: (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
        .order_by("pk")[:1]
    ),
    key_hash="sample-key-hash",
)


def user_for_api_token(raw: str):
    """The active user behind a raw API token, or None. Notes ``last_used_at`` at
    most once a minute per token, written in batches (:func:`flush_token_last_use`)."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    found = _token_with_user(key_hash=ApiToken.hash(raw))
    if not found:
        return None
    token = found[0]
    note_token_use(token_id=token.pk, last_used_at=token.last_used_at, now=timezone.now())
    return token.user
