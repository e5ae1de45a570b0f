"""Reading ballot files (CSV, as TALLY.md describes).

- The file is UTF-8; a UTF-8 BOM is accepted and ignored.
- The delimiter is a semicolon when the first line holds a semicolon outside
  quotes, else a comma (so a semicolon file may have commas inside names).
- The first row lists the candidates (for ``yes-no``: ``yes``, ``no``,
  ``abstain`` in any order, any case). Trailing empty cells are ignored; an empty
  cell between two names, or a name given twice, is an error.
- Every following row is one ballot. Cells are stripped of surrounding spaces and
  names are compared after Unicode NFC normalisation (so "é" typed either way
  matches). A row whose cells are all empty is a blank ballot; so is an empty
  line, except empty lines at the very end of the file, which editors add and
  which are ignored.
- Ranked ballots (``irv``, ``stv``, ``schulze``) skip empty cells: ``A,,B`` ranks A
  then B. Approval ballots naming a candidate twice approve them once.
- Majority-judgment rows have one integer grade per candidate, in header order;
  in a non-blank row, a missing grade is an error (it is not read as "worst").

Any invalid row raises :class:`~maillon.tally.errors.TallyInputError` naming its
line (the first physical line of the row, counting the header as line 1).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillon.tally.errors import TallyInputError
from maillon.tally.yesno import OPTIONS

RANKED = ("irv", "stv", "schulze")
METHOD_NAMES = (
    "plurality",
    "approval",
    "irv",
    "stv",
    "schulze",
    "majority-judgment",
    "yes-no",
)
_GRADE = re.compile(r"[0-9]+")


@dataclass
class BallotFile:
    """Candidates and ballots read from a file, ready for :func:`~maillon.tally.tally`."""

    method: str
    candidates: tuple[str, ...]
    ballots: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each ballot
    delimiter: str = ","


def decode(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise TallyInputError(
                "the file is not UTF-8 text (save it as 'CSV UTF-8')", line
            ) from None
    else:
        text = data
    return text.removeprefix("\ufeff")


def detect_delimiter(text: str) -> str:
    """``;`` if the first line has a semicolon outside quotes, else ``,``."""
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            if char in "\r\n":
                break
            if char == ";":
                return ";"
    return ","


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            yield start, row
    except csv.Error as exc:
        raise TallyInputError(f"malformed CSV ({exc})", end + 1) from None


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell.strip())


def _unknown(name: str, candidates: tuple[str, ...], line: int) -> TallyInputError:
    hint = ""
    for known in candidates:
        if known.casefold() == name.casefold():
            hint = f"; did you mean {known!r}?"
            break
    listed = ", ".join(candidates)
    return TallyInputError(f"unknown candidate {name!r} (candidates: {listed}){hint}", line)


def _header(method: str, line: int, row: list[str]) -> tuple[str, ...]:
    cells = [_clean(c) for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        raise TallyInputError("the first row must list the candidates", line)
    if method == "yes-no":
        lowered = [c.lower() for c in cells]
        if sorted(lowered) != sorted(OPTIONS):
            raise TallyInputError(
                f"a yes-no file must start with the row yes,no,abstain (found {','.join(cells)})",
                line,
            )
        return tuple(lowered)
    seen: set[str] = set()
    for column, name in enumerate(cells, start=1):
        if not name:
            raise TallyInputError(f"empty candidate name in column {column}", line)
        if name in seen:
            raise TallyInputError(f"candidate {name!r} is listed twice", line)
        seen.add(name)
    return tuple(cells)


def _ballot(
    method: str, candidates: tuple[str, ...], grades: int, line: int, row: list[str]
) -> tuple[Any, ...]:
    cells = [_clean(c) for c in row]
    filled = [c for c in cells if c]
    if not filled:
        return ()
    if method == "majority-judgment":
        return _grades(candidates, grades, line, cells)
    if method == "yes-no":
        if len(filled) > 1:
            raise TallyInputError(
                f"more than one answer on a yes-no ballot ({', '.join(filled)})", line
            )
        answer = filled[0].lower()
        if answer not in OPTIONS:
            raise TallyInputError(f"{filled[0]!r} is not one of yes, no, abstain", line)
        return (answer,)
    known = set(candidates)
    for name in filled:
        if name not in known:
            raise _unknown(name, candidates, line)
    if method == "plurality":
        if len(filled) > 1:
            raise TallyInputError(
                f"more than one candidate on a plurality ballot ({', '.join(filled)})", line
            )
        return (filled[0],)
    if method == "approval":
        return tuple(dict.fromkeys(filled))
    seen: set[str] = set()
    for name in filled:
        if name in seen:
            raise TallyInputError(f"candidate {name!r} is ranked twice", line)
        seen.add(name)
    return tuple(filled)


def _grades(
    candidates: tuple[str, ...], grades: int, line: int, cells: list[str]
) -> tuple[int, ...]:
    if any(cells[len(candidates) :]):
        raise TallyInputError(f"more grades than candidates ({len(candidates)} candidates)", line)
    values = []
    for i, name in enumerate(candidates):
        cell = cells[i] if i < len(cells) else ""
        if not cell:
            raise TallyInputError(f"no grade for {name!r}", line)
        if not _GRADE.fullmatch(cell):
            raise TallyInputError(
                f"grade {cell!r} for {name!r} is not an integer from 0 to {grades - 1}", line
            )
        value = int(cell)
        if value >= grades:
            raise TallyInputError(
                f"grade {value} for {name!r} is out of range (0 to {grades - 1})", line
            )
        values.append(value)
    return tuple(values)


def read_ballots(data: bytes | str, method: str, *, grades: int = 7) -> BallotFile:
    """Parse a ballot file's content for ``method`` (``grades`` = k, for majority-judgment)."""
    if method not in METHOD_NAMES:
        raise TallyInputError(f"unknown method {method!r}: use one of {', '.join(METHOD_NAMES)}")
    text = decode(data)
    delimiter = detect_delimiter(text)
    rows = list(_rows(text, delimiter))
    # Empty lines at the very end are an editor's doing, not blank ballots.
    while rows and len(rows[-1][1]) <= 1 and not "".join(rows[-1][1]).strip():
        rows.pop()
    if not rows:
        raise TallyInputError("the file is empty: its first row must list the candidates", 1)
    header_line, header = rows[0]
    candidates = _header(method, header_line, header)
    result = BallotFile(method, candidates, delimiter=delimiter)
    for line, row in rows[1:]:
        result.ballots.append(_ballot(method, candidates, grades, line, row))
        result.lines.append(line)
    return result


def read_file(path: str | Path, method: str, *, grades: int = 7) -> BallotFile:
    return read_ballots(Path(path).read_bytes(), method, grades=grades)
