"""Numbers as the governance pages, minutes and PDFs show them, in the active
language: counts with the locale's grouping, percentages with the locale's decimal
mark and, in French, a non-breaking space before the per cent sign ("88,9 %").

Results store their percentages as text with a point ("88.9", see
``polls.results.percentages``): machine-readable in the JSON export, shown through
:func:`percent` everywhere a person reads them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

_SPACE_BEFORE = re.compile(r"[ \t]+(?=[:;!?»%])")
_SPACE_AFTER = re.compile(r"(?<=«)[ \t]+")


def count(value: Any) -> str:
    """A whole number in the locale's format ("1 234" in French)."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def decimal(value: Any, places: int = 1) -> str:
    """A decimal number with the locale's decimal mark ("88,9" in French)."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def percent(value: Any, places: int = 1) -> str:
    """A percentage as text: "88,9 %" in French, "88.9%" in English."""
    if value is None or value == "" or _decimal(value) is None:
        return "" if value in (None, "") else str(value)
    return _("%(number)s%%") % {"number": decimal(value, places)}


def share(value: Any) -> str:
    """A fraction (0.667, as the statutes store a majority) as a percentage."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return percent((number * 100).normalize(), places=1)


def labelled(label: Any, value: Any) -> str:
    """ "Oui : 8" in French, "Yes: 8" in English."""
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def listing(items: Iterable[str]) -> str:
    """Items separated as French typography wants ("a ; b") or English ("a; b")."""
    return pgettext("separator between the items of a list", "; ").join(items)


def names(items: Iterable[str]) -> str:
    """ "Ali, Bea and Cyd"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return _("%(names)s and %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def french_spaces(text: str) -> str:
    """In French, the space before : ; ! ? % » and after « made non-breaking, so a
    line never starts with the sign (text people typed, in the minutes' PDF)."""
    if not (get_language() or "").startswith("fr"):
        return text
    return _SPACE_AFTER.sub("\u00a0", _SPACE_BEFORE.sub("\u00a0", text))
