"""The hook through which a payment app tells the member pages whether an association
can take fees online (members does not import the payment app)."""

from __future__ import annotations

from collections.abc import Callable

from maillon.associations.models import Association

_check: Callable[[Association], bool] = lambda association: False  # noqa: E731


def set_online_payment_check(check: Callable[[Association], bool]) -> None:
    global _check
    _check = check


def online_payment_ready(association: Association) -> bool:
    return _check(association)
