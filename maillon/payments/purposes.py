"""What a payment is for. An app that sells something through the payment provider
registers a purpose once (in its ``AppConfig.ready()``):

    register("membership_fee", on_paid=callable(payment), on_refunded=callable(payment))

``on_paid`` runs once per recorded payment, in the transaction that records it, inside
the association's scope; it may set ``payment.result_id`` (the object it created, e.g.
the membership period) and must be idempotent on its own data. ``on_refunded`` runs
once when the provider reports the payment refunded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[Any], None]


@dataclass(frozen=True)
class Purpose:
    kind: str
    on_paid: Handler
    on_refunded: Handler


_REGISTRY: dict[str, Purpose] = {}


def register(kind: str, *, on_paid: Handler, on_refunded: Handler) -> None:
    _REGISTRY[kind] = Purpose(kind, on_paid, on_refunded)


def get(kind: str) -> Purpose:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no payment purpose {kind!r} registered") from None


def kinds() -> list[str]:
    return sorted(_REGISTRY)
