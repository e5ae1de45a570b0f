"""One idempotency store: a client-chosen key makes a write safe to retry. The key is
stored in the same transaction as what the write made, with the answer to give again
(an object's id, a ballot's receipt); a retry, or the loser of a race on the unique
key, gets that stored answer and makes nothing more.

The key is bound to the request's payload (its ``payload_fingerprint``): the same
key sent again with another payload is refused (``KeyReused``; the API answers 422,
as the IETF Idempotency-Key draft says) instead of replaying an answer made for
other data.

Scopes: ``api:<association id>:<what>`` for API creations (purged after
``API_RETRY_KEY_DAYS``); ``poll:...`` and ``quickpoll:...`` for votes (kept until the
poll's results are published, since they hold receipts and answers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .models import IdempotencyKey

#: The unique constraint (user, scope, key) of the store.
KEY_CONSTRAINT = "idempotency_key_once"

MAX_KEY_LENGTH = 100  # IdempotencyKey.key
API_RETRY_SCOPE_PREFIX = "api:"
API_RETRY_KEY_DAYS = 30  # a retry comes within minutes


class KeyTaken(Exception):
    """Another request stored the same key first (the current transaction is broken:
    roll it back, then read the stored answer)."""


class KeyReused(ValidationError):
    """The key is stored for a request with another payload: nothing is replayed and
    nothing is written."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(
            message
            or _(
                "This Idempotency-Key was already used for a request with other data: "
                "use a new key for a new request."
            ),
            code="idempotency_key_reused",
        )


def payload_fingerprint(payload: Any) -> str:
    """HMAC-SHA-256 of ``payload`` as canonical JSON (sorted keys, no spaces): the same
    data gives the same fingerprint whatever the order of its keys. Keyed with the
    server's secret key, so that a stored fingerprint does not tell what a ballot with
    few possible choices was to someone reading the database."""
    canonical = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return salted_hmac(
        "maillon.core.idempotency.payload",
        canonical.encode("utf-8", "surrogatepass"),
        algorithm="sha256",
    ).hexdigest()


def normalised_key(raw: str | None) -> str | None:
    """The key as stored: stripped, at most ``MAX_KEY_LENGTH`` characters, None when
    empty."""
    return (raw or "").strip()[:MAX_KEY_LENGTH] or None


def stored_response(
    *, association, user, scope: str, key: str, fingerprint: str = ""
) -> dict[str, Any] | None:
    """The answer stored for ``key``, or None. Runs inside the association's scope.
    With a ``fingerprint``, raises ``KeyReused`` when the key was stored with another
    one (a key stored without a fingerprint matches any)."""
    row = (
        IdempotencyKey.objects.filter(association=association, user=user, scope=scope, key=key)
        .values_list("response", "fingerprint")
        .first()
    )
    if row is None:
        return None
    response, stored_fingerprint = row
    if fingerprint and stored_fingerprint and stored_fingerprint != fingerprint:
        raise KeyReused
    return response


def store_response(
    *,
    association,
    user,
    scope: str,
    key: str,
    response: dict[str, Any],
    fingerprint: str = "",
) -> None:
    """Store the answer for ``key`` in the caller's transaction, without a savepoint:
    on a clash the caller's whole transaction is rolled back (``KeyTaken``), so what
    it wrote before disappears with it."""
    try:
        IdempotencyKey.objects.create(
            association=association,
            user=user,
            scope=scope,
            key=key,
            response=response,
            fingerprint=fingerprint,
        )
    except IntegrityError:
        raise KeyTaken from None


def response_row(
    *,
    association,
    user,
    scope: str,
    key: str,
    response: dict[str, Any],
    fingerprint: str = "",
) -> IdempotencyKey:
    """The row ``store_response`` writes, not saved yet: for a service that writes it
    in the same statement as its other rows (``maillon.core.db.rows.insert_rows``);
    an ``IntegrityError`` of that statement for which :func:`is_key_taken` is true
    means ``KeyTaken``."""
    return IdempotencyKey(
        association_id=association.pk,
        user_id=user.pk,
        scope=scope,
        key=key,
        response=response,
        fingerprint=fingerprint,
    )


def is_key_taken(constraint: str) -> bool:
    """Whether a violated constraint (``maillon.core.db.rows.violated_constraint``:
    PostgreSQL names it, SQLite names the table and columns) is the key's."""
    return constraint == KEY_CONSTRAINT or IdempotencyKey._meta.db_table + "." in constraint


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
    fingerprint: str = "",
) -> dict[str, Any]:
    """Run ``write`` (it returns the answer to store) at most once per key: a retry,
    or the loser of a race, gets the stored answer; with another ``fingerprint``
    than the stored one, ``KeyReused``. Without a key, ``write`` just runs."""
    if not key:
        return write()
    same = {"association": association, "user": user, "scope": scope, "key": key}
    stored = stored_response(**same, fingerprint=fingerprint)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            response = write()
            store_response(**same, response=response, fingerprint=fingerprint)
    except KeyTaken:
        stored = stored_response(**same, fingerprint=fingerprint)
        if stored is None:  # pragma: no cover - a stored key is never deleted this fast
            raise
        return stored
    return response
