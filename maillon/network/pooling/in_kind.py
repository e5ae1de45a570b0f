"""Free loans closed in a year, valued by the owner, as contributions in kind on
both sides (registered in ``maillon.core.in_kind`` by the app config)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.core.in_kind import InKindLine

from .selectors import loans_in_kind_across_associations


def free_loans_in_kind(*, association: Any, year: int) -> list[InKindLine]:
    figures = loans_in_kind_across_associations(association=association, year=year)
    lines = []
    if figures["borrowed_count"]:
        lines.append(
            InKindLine(
                label=ngettext(
                    "Free loan received from another association",
                    "Free loans received from other associations",
                    figures["borrowed_count"],
                ),
                count=figures["borrowed_count"],
                value=Decimal(figures["borrowed_value"]),
            )
        )
    if figures["lent_count"]:
        lines.append(
            InKindLine(
                label=_("Free loans given to other associations"),
                count=figures["lent_count"],
                value=Decimal(figures["lent_value"]),
            )
        )
    return lines
