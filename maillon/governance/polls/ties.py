"""Ties told in words, for the results page and the minutes: who tied, for what,
how the tie was settled (the rule, the lot's seed) and how anyone can re-check it
with the ``tally`` command (TALLY.md). Reads the frozen result only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..formatting import count, names


def _first_counts(result: Mapping[str, Any]) -> Mapping[str, Any]:
    rounds = (result.get("total") or {}).get("rounds") or []
    return rounds[0].get("counts", {}) if rounds else {}


def _each(result: Mapping[str, Any], tied: list[str]) -> str:
    """ "2 votes each" when the tied candidates have the same count, else ""."""
    counts = _first_counts(result)
    values = {counts.get(name) for name in tied}
    if len(values) != 1 or None in values:
        return ""
    (value,) = values
    if not float(value).is_integer():
        return ""
    number = int(value)
    return ngettext("%(count)s vote each", "%(count)s votes each", number) % {
        "count": count(number)
    }


def _seat_tie(tie: Mapping[str, Any], label, each: str, seed: Any) -> str:
    tied = [label(n) for n in tie["tied"]]
    chosen = [label(n) for n in tie["chosen"]]
    others = [name for name in tied if name not in chosen]
    values = {
        "names": names(tied),
        "each": f" ({each})" if each else "",
        "seats": count(len(chosen)),
        "seed": seed,
        "chosen": names(chosen),
        "others": names(others),
    }
    return (
        ngettext(
            "Tie between %(names)s%(each)s for %(seats)s seat: settled by lot (seed "
            "%(seed)s): %(chosen)s takes the seat, not %(others)s.",
            "Tie between %(names)s%(each)s for %(seats)s seats: settled by lot (seed "
            "%(seed)s): %(chosen)s take the seats, not %(others)s.",
            len(chosen),
        )
        % values
    )


def _elimination_tie(tie: Mapping[str, Any], label, seed: Any) -> str:
    values = {
        "round": tie.get("round"),
        "names": names([label(n) for n in tie["tied"]]),
        "chosen": names([label(n) for n in tie["chosen"]]),
        "seed": seed,
    }
    if tie.get("rule") == "lot":
        text = _(
            "Round %(round)s: tie for the fewest votes between %(names)s, settled by lot "
            "(seed %(seed)s): %(chosen)s is eliminated."
        )
    else:
        text = _(
            "Round %(round)s: tie for the fewest votes between %(names)s, settled by their "
            "counts in the previous rounds: %(chosen)s is eliminated."
        )
    return text % values


def tie_lines(
    result: Mapping[str, Any], label: Callable[[str], str], *, command: str | None = None
) -> list[str]:
    """Sentences on the ties of ``result`` ([] without a tie). ``label`` turns the
    engine's name of a candidate into what people read; ``command`` is the ``tally``
    command line that re-counts the published ballots."""
    if result.get("kind") == "yes_no":
        if result.get("tie"):
            return [_("As many yes as no: a tie does not pass, the resolution is not adopted.")]
        return []
    tie_break = result.get("tie_break")
    if not tie_break:
        if not result.get("tie"):
            return []
        return [
            _(
                "The counting rules leave a tie: %(names)s are beaten by nobody, and this "
                "method has no tie-break."
            )
            % {"names": names([str(w) for w in result.get("winners") or []])}
        ]
    seed = tie_break.get("seed")
    lines = []
    for tie in tie_break.get("ties") or []:
        if tie.get("for") == "seat":
            lines.append(_seat_tie(tie, label, _each(result, tie["tied"]), seed))
        else:
            lines.append(_elimination_tie(tie, label, seed))
    if seed is not None:
        lines.append(
            _(
                "Anyone can draw the lot again: each tied candidate gets the SHA-256 of "
                "“%(seed)s:name” (their name as on the ballot); in ascending order, the "
                "first takes the seat and the last is eliminated."
            )
            % {"seed": seed}
        )
    if command:
        lines.append(
            _("To re-check the count with the tally command: %(command)s") % {"command": command}
        )
    return lines
