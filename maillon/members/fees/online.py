"""The hook through which a payment app tells the member pages whether an association
can take fees online (members does not import the payment app)."""

from __future__ import annotations

from collections.abc import Callable

from maillon.associations.models import Association

_check: Callable[[Association], bool] = lambda association: False  # noqa: E731
_origins: Callable[[], list[str]] = lambda: []  # noqa: E731


def set_online_payment_check(
    check: Callable[[Association], bool], origins: Callable[[], list[str]]
) -> None:
    """``origins``: where the renewal form's redirect leads (the page's CSP form-action
    must allow them, or the browser stops the redirect to the payment page)."""
    global _check, _origins
    _check, _origins = check, origins


def checkout_origins() -> list[str]:
    return _origins()


def online_payment_ready(association: Association) -> bool:
    return _check(association)
