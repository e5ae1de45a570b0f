"""One idempotency store: a client-chosen key makes a write safe to retry. The key is
stored in the same transaction as what the write made, with the answer to give again
(an object's id, a ballot's receipt); a retry, or the loser of a race on the unique
key, gets that stored answer and makes nothing more.

Scopes: ``api:<association id>:<what>`` for API creations (purged after
``API_RETRY_KEY_DAYS``); ``poll:...`` and ``quickpoll:...`` for votes (kept until the
poll's results are published, since they hold receipts and answers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from .models import IdempotencyKey

MAX_KEY_LENGTH = 100  # IdempotencyKey.key
API_RETRY_SCOPE_PREFIX = "api:"
API_RETRY_KEY_DAYS = 30  # a retry comes within minutes


class KeyTaken(Exception):
    """Another request stored the same key first (the current transaction is broken:
    roll it back, then read the stored answer)."""


def normalised_key(raw: str | None) -> str | None:
    """The key as stored: stripped, at most ``MAX_KEY_LENGTH`` characters, None when
    empty."""
    return (raw or "").strip()[:MAX_KEY_LENGTH] or None


def stored_response(*, association, user, scope: str, key: str) -> dict[str, Any] | None:
    """The answer stored for ``key``, or None. Runs inside the association's scope."""
    return (
        IdempotencyKey.objects.filter(association=association, user=user, scope=scope, key=key)
        .values_list("response", flat=True)
        .first()
    )


def store_response(*, association, user, scope: str, key: str, response: dict[str, Any]) -> None:
    """Store the answer for ``key`` in the caller's transaction, without a savepoint:
    on a clash the caller's whole transaction is rolled back (``KeyTaken``), so what
    it wrote before disappears with it."""
    try:
        IdempotencyKey.objects.create(
            association=association, user=user, scope=scope, key=key, response=response
        )
    except IntegrityError:
        raise KeyTaken from None


def forget_responses(*, association, scope_prefix: str) -> int:
    """Delete the stored answers whose scope starts with ``scope_prefix`` (e.g. a
    poll's, once its results are published: they tie a user to a receipt); returns
    how many. Runs inside the association's scope."""
    deleted, _by_model = IdempotencyKey.objects.filter(
        association=association, scope__startswith=scope_prefix
    ).delete()
    return deleted


def run_once(
    *,
    association,
    user,
    scope: str,
    key: str | None,
    write: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run ``write`` (it returns the answer to store) at most once per key: a retry,
    or the loser of a race, gets the stored answer. Without a key, ``write`` just
    runs."""
    if not key:
        return write()
    stored = stored_response(association=association, user=user, scope=scope, key=key)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            response = write()
            store_response(
                association=association, user=user, scope=scope, key=key, response=response
            )
    except KeyTaken:
        stored = stored_response(association=association, user=user, scope=scope, key=key)
        if stored is None:  # pragma: no cover - a stored key is never deleted this fast
            raise
        return stored
    return response
