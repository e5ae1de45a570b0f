"""Retention: what the register of processing (``/privacy/``) promises is enforced by
the rules each module declares in its own ``retention.py`` and registers in its
``AppConfig.ready()`` (as metrics are). A daily job runs them all
(``manage.py purge_expired_data``).

A rule crosses associations by nature: the purge runs with scopes disabled, in one
transaction, and reports how many rows each rule changed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from .idempotency import API_RETRY_KEY_DAYS, API_RETRY_SCOPE_PREFIX


@dataclass(frozen=True)
class RetentionRule:
    """``purge(now)`` deletes or anonymises what is kept no longer and returns how
    many rows it changed, reported under ``name`` (e.g. ``invitations_deleted``)."""

    name: str
    purge: Callable[[datetime.datetime], int]


_rules: dict[str, RetentionRule] = {}


def register(*rules: RetentionRule) -> None:
    for rule in rules:
        if rule.name in _rules and _rules[rule.name] is not rule:
            raise ValueError(f"Retention rule {rule.name!r} is already registered.")
        _rules[rule.name] = rule


def registered_rules() -> list[RetentionRule]:
    return list(_rules.values())


@transaction.atomic
def purge_expired_data(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    with scopes_disabled():
        return {rule.name: rule.purge(now) for rule in _rules.values()}


# --- The bottom layer's own rule ---------------------------------------------------------


def purge_api_retry_keys(now: datetime.datetime) -> int:
    """Idempotency keys that only guard API retries; the keys of votes stay until
    the poll's results are published (they hold receipts and answers)."""
    from .models import IdempotencyKey

    return IdempotencyKey.objects.filter(
        scope__startswith=API_RETRY_SCOPE_PREFIX,
        created_at__lt=now - timedelta(days=API_RETRY_KEY_DAYS),
    ).delete()[0]


CORE_RULES = (RetentionRule("api_retry_keys_deleted", purge_api_retry_keys),)
