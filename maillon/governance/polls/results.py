"""Counting a poll: from stored ballots (and the room's counts) to the frozen result.

Pure apart from :func:`present_or_represented`, which reads the attendance sheet.
Every count goes through the tally engine (:func:`maillon.tally.methods.tally`);
this module only prepares its input and applies the association's rules to its
output:

- **Weights** (federations): a ballot of weight *w* is given to the engine *w*
  times. Exact, and cheap at the size of an association's assembly.
- **Candidates' names**: the engine names each option by its label (NFC), as a
  ballot file for the ``tally`` command does, so anyone can re-count the published
  ballots (:func:`tally_csv`) and draw the same lot from the same seed. Results
  frozen before this named options by id; :func:`result_rows` reads both.
- **Room counts** (hybrid assemblies): for yes/no, single, multiple, approval and
  election polls, the secretary enters how many hands or paper ballots went to each
  option, counted alone (``room``) and with the online ballots (``total``): the
  three parts are kept and shown. A yes/no or single-choice count is one ballot per
  hand or mark. Where a ballot names several options (multiple, approval,
  election), the room gives its number of ballots and blank ones apart from the
  marks per option (``{"ballots": 6, "blank": 1, "<id>": marks...}``): the marks are
  dealt out in turn over the ballots that are not blank (:func:`room_ballots`),
  which gives every option its marks and every ballot between the least and the
  most marks allowed, so counts, ballots and blanks are exact. Ranked, Condorcet
  and majority-judgment paper ballots cannot be summed per option, so they are
  entered one by one through the paper channel instead
  (:func:`maillon.governance.polls.ballots.ballot_cast`).
- **Majorities** (yes/no polls): the engine counts yes, no and abstain; the rule is
  applied here because the statutes decide separately whether blank votes and
  abstentions count as cast (the engine has one switch for both). Bases:
  *simple*, *two-thirds* and *custom* use the votes cast (yes + no, plus abstentions
  and/or blank votes when they count); *absolute* uses the members present or
  represented (weights), from the attendance sheet and the active proxies.
  Simple and absolute mean **more than** half; two-thirds and custom mean **at
  least** that share. Equal yes and no never pass.
"""

from __future__ import annotations

import csv
import io
import math
import shlex
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from maillon.associations.models import MajorityRule
from maillon.tally.judgment import DEFAULT_GRADES
from maillon.tally.methods import tally

YES_NO_KEYS = ("yes", "no", "abstain")
# Kinds whose room counts are entered per option (see the module docstring).
ROOM_COUNT_KINDS = frozenset({"yes_no", "single", "multiple", "approval", "election"})
# Kinds where one ballot may name several options: the room gives its ballots apart.
MULTI_MARK_KINDS = frozenset({"multiple", "approval", "election"})
# Kinds whose result names winning options (the others decide a resolution).
SEATS_KINDS = frozenset({"election", "ranked"})


@dataclass(frozen=True)
class PollSpec:
    """What the count needs to know about a poll, without the database."""

    kind: str
    options: Sequence[tuple[int, str]] = ()  # (option id, label), in display order
    seats: int = 1
    grades: Sequence[str] = ()
    majority_rule: str = MajorityRule.SIMPLE
    majority_fraction: Decimal | None = None
    blank_counts_as_cast: bool = False
    abstention_counts_as_cast: bool = False
    min_choices: int = 0
    max_choices: int | None = None

    @property
    def keys(self) -> list[str]:
        """The options as the platform names them: option ids (yes/no/abstain)."""
        if self.kind == "yes_no":
            return list(YES_NO_KEYS)
        return [str(option_id) for option_id, _label in self.options]

    @property
    def labels(self) -> dict[str, str]:
        if self.kind == "yes_no":
            return {k: k for k in YES_NO_KEYS}
        return {str(option_id): label for option_id, label in self.options}

    @property
    def names(self) -> dict[str, str]:
        """Key → the candidate's name for the engine: its label, as a ballot file
        names it (NFC, like the ``tally`` command reads names)."""
        if self.kind == "yes_no":
            return {k: k for k in YES_NO_KEYS}
        return {key: unicodedata.normalize("NFC", label) for key, label in self.labels.items()}

    @property
    def candidates(self) -> list[str]:
        names = self.names
        return [names[key] for key in self.keys]

    def marks_per_ballot(self) -> tuple[int, int]:
        """The least and the most options a ballot that is not blank names."""
        everyone = max(len(self.options), 1)
        if self.kind == "election":
            return 1, self.seats
        if self.kind == "multiple":
            return max(1, self.min_choices), self.max_choices or everyone
        if self.kind == "approval":
            return 1, everyone
        return 1, 1


def spec_for_poll(poll, options: Iterable | None = None) -> PollSpec:
    opts = list(options if options is not None else poll.options.all())
    return PollSpec(
        kind=poll.kind,
        options=[(o.pk, o.label) for o in opts],
        seats=poll.seats,
        grades=list(poll.grades or DEFAULT_GRADES),
        majority_rule=poll.majority_rule,
        majority_fraction=poll.majority_fraction,
        blank_counts_as_cast=poll.blank_counts_as_cast,
        abstention_counts_as_cast=poll.abstention_counts_as_cast,
        min_choices=poll.min_choices,
        max_choices=poll.max_choices,
    )


def method_for(spec: PollSpec) -> tuple[str, int]:
    """The engine's method and seats for a poll kind."""
    kind = spec.kind
    if kind == "yes_no":
        return "yes-no", 1
    if kind == "single":
        return "plurality", 1
    if kind in ("multiple", "approval", "election"):
        # An election for N seats is plurality per seat: each voter names up to N
        # candidates and the N most named are elected, which is an approval count.
        return "approval", spec.seats if kind == "election" else 1
    if kind == "ranked":
        return ("irv", 1) if spec.seats == 1 else ("stv", spec.seats)
    if kind == "condorcet":
        return "schulze", 1
    if kind == "majority_judgment":
        return "majority-judgment", spec.seats
    raise ValueError(f"unknown poll kind {kind!r}")


def engine_ballot(spec: PollSpec, choice: Any, names: Mapping[str, str] | None = None) -> list:
    """A stored choice as one engine ballot ([] is blank)."""
    if spec.kind == "yes_no":
        return [choice] if isinstance(choice, str) else []
    if spec.kind == "majority_judgment":
        if not choice:
            return []
        return [int(choice[key]) for key in spec.keys]
    names = names if names is not None else spec.names
    return [names[str(option_id)] for option_id in choice]


def expand(spec: PollSpec, ballots: Iterable[tuple[Any, int]]) -> list[list]:
    """(choice, weight) pairs as engine ballots, a ballot of weight w repeated w times."""
    out: list[list] = []
    names = spec.names
    for choice, weight in ballots:
        out.extend([engine_ballot(spec, choice, names)] * weight)
    return out


def room_ballot_count(spec: PollSpec, room_counts: Mapping[str, int]) -> int:
    """How many ballots (or hands) the room's counts stand for, blank ones included."""
    if spec.kind in MULTI_MARK_KINDS and "ballots" in room_counts:
        return int(room_counts["ballots"])
    return sum(int(room_counts.get(key, 0)) for key in spec.keys) + int(room_counts.get("blank", 0))


def room_ballots(spec: PollSpec, room_counts: Mapping[str, int]) -> list[list]:
    """The room's counts as engine ballots (``blank`` as blank ones).

    One mark, one ballot, unless the room gave its number of ballots (kinds where a
    ballot names several options): then the marks are dealt out in turn over the
    ballots that are not blank. As no option has more marks than those ballots, no
    ballot gets an option twice; every ballot gets the total divided by their
    number, rounded down or up, so within the bounds the service checked. Counts
    that cannot be such ballots raise ``ValueError`` (never a silent miscount)."""
    names = spec.names
    marks = [(names[key], int(room_counts.get(key, 0))) for key in spec.keys]
    blank = int(room_counts.get("blank", 0))
    if spec.kind not in MULTI_MARK_KINDS or "ballots" not in room_counts:
        out = [[name] for name, count in marks for _n in range(count)]
        return out + [[] for _n in range(blank)]
    filled = int(room_counts["ballots"]) - blank
    total = sum(count for _name, count in marks)
    least, most = spec.marks_per_ballot()
    if filled < 0 or any(count > filled for _name, count in marks):
        raise ValueError("room counts: more marks for an option than ballots")
    if filled and not least * filled <= total <= most * filled:
        raise ValueError("room counts: marks do not fit the ballots")
    if not filled and total:
        raise ValueError("room counts: marks without a ballot")
    ballots: list[list] = [[] for _n in range(filled)]
    turn = 0
    for name, count in marks:
        for _n in range(count):
            ballots[turn % filled].append(name)
            turn += 1
    return ballots + [[] for _n in range(blank)]


def _run(spec: PollSpec, ballots: list[list]) -> dict[str, Any]:
    method, seats = method_for(spec)
    kwargs: dict[str, Any] = {"seats": seats}
    if method == "majority-judgment":
        kwargs["grades"] = list(spec.grades)
    return tally(method, spec.candidates, ballots, **kwargs).to_dict()


def tally_csv(spec: PollSpec, ballots: Iterable[tuple[Any, int]], room_counts=None) -> str:
    """The ballots as the ``tally`` command reads them (TALLY.md): the candidates'
    names, then one row per ballot (a ballot of weight w, w rows), the room's
    ballots last. Counting this file gives the poll's result, lot included."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [*YES_NO_KEYS] if spec.kind == "yes_no" else spec.candidates
    writer.writerow(header)
    # Sorted: the order in which ballots were stored must not show (secret ballots).
    rows = sorted(expand(spec, ballots), key=lambda row: [str(cell) for cell in row])
    if spec.kind in ROOM_COUNT_KINDS:
        rows += room_ballots(spec, room_counts or {})
    for row in rows:
        # A blank ballot as a row of empty cells, one per candidate, not an empty
        # line: ``tally`` ignores empty lines at the end of a file (editors add them).
        writer.writerow(row if row else [""] * len(header))
    return out.getvalue()


def tally_command(spec: PollSpec, result: Mapping[str, Any], filename: str) -> str:
    """The ``tally`` command line that re-counts :func:`tally_csv`'s file."""
    method, seats = method_for(spec)
    parts = ["tally", "--method", method]
    if seats != 1:
        parts += ["--seats", str(seats)]
    if method == "majority-judgment":
        # The labels, unless one holds a separator: then their number (same count).
        plain = not any("," in grade or ";" in grade for grade in spec.grades)
        parts += ["--grades", ",".join(spec.grades) if plain else str(len(spec.grades))]
    seed = (result.get("tie_break") or {}).get("seed")
    if seed is not None:
        parts += ["--seed", str(seed)]
    return shlex.join([*parts, filename])


def ballots_filename(poll_id: int) -> str:
    return f"poll-{poll_id}-ballots.csv"


def _counts(part: dict[str, Any]) -> dict[str, Any]:
    rounds = part.get("rounds") or []
    return dict(rounds[0]["counts"]) if rounds else {}


def majority_decision(
    spec: PollSpec, counts: Mapping[str, int], blank: int, present_or_represented: int | None
) -> dict[str, Any]:
    """Applies the poll's majority rule to yes/no/abstain counts."""
    yes, no, abstain = (int(counts.get(k, 0)) for k in YES_NO_KEYS)
    cast = yes + no
    if spec.abstention_counts_as_cast:
        cast += abstain
    if spec.blank_counts_as_cast:
        cast += blank
    rule = spec.majority_rule
    if rule == MajorityRule.ABSOLUTE:
        fraction, strict = Fraction(1, 2), True
        base = present_or_represented if present_or_represented is not None else cast
        base_is = "present_or_represented" if present_or_represented is not None else "cast"
    else:
        base, base_is = cast, "cast"
        if rule == MajorityRule.SIMPLE:
            fraction, strict = Fraction(1, 2), True
        elif rule == MajorityRule.TWO_THIRDS:
            fraction, strict = Fraction(2, 3), False
        else:
            fraction, strict = Fraction(str(spec.majority_fraction or "0.5")), False
    threshold = fraction * base
    required = math.floor(threshold) + 1 if strict else max(1, math.ceil(threshold))
    adopted = base > 0 and yes >= required
    return {
        "rule": str(rule),
        "fraction": str(fraction),
        "strict": strict,
        "base": base,
        "base_is": base_is,
        "cast": cast,
        "required": required,
        "yes": yes,
        "adopted": adopted,
        "tie": yes == no and base > 0,
    }


def percentages(counts: Mapping[str, Any], base: int) -> dict[str, str]:
    """Each count as a percentage of ``base``, one decimal, as text ("" when base is 0)."""
    out = {}
    for key, value in counts.items():
        out[key] = "" if not base else f"{Decimal(str(value)) * 100 / base:.1f}"
    return out


def compute_result(
    spec: PollSpec,
    ballots: Iterable[tuple[Any, int]],
    *,
    room_counts: Mapping[str, int] | None = None,
    present_or_represented: int | None = None,
    quorum: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The frozen result of a poll (stored in ``Poll.result`` at close)."""
    online_ballots = expand(spec, ballots)
    room = room_ballots(spec, room_counts or {}) if spec.kind in ROOM_COUNT_KINDS else []
    online = _run(spec, online_ballots)
    total = _run(spec, online_ballots + room) if room else online
    keys_by_name = {name: key for key, name in spec.names.items()}
    by_name = {name: spec.labels[key] for name, key in keys_by_name.items()}
    result: dict[str, Any] = {
        "kind": spec.kind,
        "method": total["method"],
        "seats": total["seats"],
        "options": [{"key": k, "label": spec.labels[k], "name": spec.names[k]} for k in spec.keys],
        "online": online,
        "room": _run(spec, room) if room else None,
        "total": total,
        "ballots": total["ballots"],
        "blank": total["blank"],
        "winners": [by_name[w] for w in total["winners"]],
        "winner_keys": [keys_by_name[w] for w in total["winners"]],
        "tie": total["tie"],
        "tie_break": total["tie_break"],
        "present_or_represented": present_or_represented,
        "quorum": dict(quorum) if quorum is not None else None,
    }
    counts = _counts(total)
    if spec.kind == "yes_no":
        decision = majority_decision(spec, counts, total["blank"], present_or_represented)
        result["majority"] = decision
        result["adopted"] = decision["adopted"]
        # Abstentions get a percentage only when they are part of the votes cast.
        shares = {"yes": counts.get("yes", 0), "no": counts.get("no", 0)}
        if spec.abstention_counts_as_cast:
            shares["abstain"] = counts.get("abstain", 0)
        result["percentages"] = percentages(shares, decision["cast"])
        # The engine's own decision uses its defaults; ours is the one that applies.
        result["winners"] = ["yes" if decision["adopted"] else "no"]
        result["winner_keys"] = list(result["winners"])
        result["tie"] = decision["tie"]
    elif spec.kind in ("single", "multiple", "approval", "election"):
        # Non-blank ballots are the base: a percentage of the voters who chose.
        result["percentages"] = percentages(counts, total["ballots"] - total["blank"])
    return result


def result_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per option for display and CSV: label, online, room, total, percentage."""
    total = _counts(result.get("total") or {})
    online = _counts(result.get("online") or {})
    room = _counts(result.get("room") or {}) if result.get("room") else {}
    pct = result.get("percentages") or {}
    winners = set(result.get("winner_keys") or [])
    kind = result.get("kind")
    rows = []
    for option in result.get("options", []):
        key = option["key"]
        # The engine's name of the option (results frozen before names: its key).
        name = option.get("name", key)
        rows.append(
            {
                "key": key,
                "label": option["label"],
                "online": online.get(name, "") if kind != "majority_judgment" else "",
                "room": room.get(name, "") if room else "",
                "total": total.get(name, "") if kind != "majority_judgment" else "",
                "percentage": pct.get(name, ""),
                "elected": key in winners and kind != "yes_no",
            }
        )
    return rows


def quorum_statement(
    *, present_or_represented: int, roll_weight: int, fraction: Decimal | None, waived: bool
) -> dict[str, Any]:
    """Present + represented against the quorum (a fraction of the voting roll)."""
    fraction = Decimal(fraction or 0)
    required = 0 if waived else math.ceil(Fraction(str(fraction)) * roll_weight)
    return {
        "present_or_represented": present_or_represented,
        "roll": roll_weight,
        "fraction": str(fraction),
        "required": required,
        "waived": waived,
        "reached": present_or_represented >= required,
    }
