"""Hours as a person reads them, the same in tables, messages and PDFs: the locale's
decimal mark, at most two decimals, no trailing zeros ("3,5", "0,25", "10")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats


def hours_text(value) -> str:
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    except InvalidOperation:
        return str(value)
    return formats.number_format(number, use_l10n=True)
