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
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillon.tally.ballots import BallotCounts
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


class _Rows:
    """The rows of a ballot file, read as a stream of text lines.

    ``lines`` gives the lines as ``io.StringIO(text, newline="")`` would (line
    ends kept); the delimiter is detected from the first lines, then the CSV
    reader runs over them. Each row comes with its first physical line.
    """

    def __init__(self, lines: Iterator[str]):
        head: list[str] = []
        quoted, decided = False, False
        self.delimiter = ","
        for text in lines:
            head.append(text)
            for char in text:
                if char == '"':
                    quoted = not quoted
                elif not quoted:
                    if char in "\r\n":
                        decided = True
                        break
                    if char == ";":
                        self.delimiter = ";"
                        decided = True
                        break
            if decided:
                break
        self._reader = csv.reader(
            itertools.chain(head, lines), delimiter=self.delimiter, strict=True
        )
        self.end = 0

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for row in reader:
                start, self.end = self.end + 1, reader.line_num
                yield start, row
        except csv.Error as exc:
            raise TallyInputError(f"malformed CSV ({exc})", self.end + 1) from None


def _empty_like(row: list[str]) -> bool:
    """A row an editor may leave at the end of a file (ignored there)."""
    return len(row) <= 1 and not "".join(row).strip()


def _text_lines(data: bytes | str) -> Iterator[str]:
    if isinstance(data, str):
        return iter(io.StringIO(data.removeprefix("\ufeff"), newline=""))
    return decoded_lines(io.BytesIO(data))


def decoded_lines(binary: Iterable[bytes]) -> Iterator[str]:
    """UTF-8 text lines from binary lines (a file opened in binary mode), one at a
    time, line ends kept and split as ``newline=""`` does (a lone CR ends a line);
    the BOM is dropped and invalid UTF-8 names its line."""
    for number, raw in enumerate(binary, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise TallyInputError(
                "the file is not UTF-8 text (save it as 'CSV UTF-8')", number
            ) from None
        if number == 1:
            text = text.removeprefix("\ufeff")
        if "\r" in text and not (text.endswith("\r\n") and text.count("\r") == 1):
            yield from io.StringIO(text, newline="")
        else:
            yield text


def _scan(
    lines: Iterator[str],
    method: str,
    grades: int,
    add: Callable[[int, tuple[Any, ...]], None],
    add_blanks: Callable[[list[int], int], None],
    *,
    keep_lines: bool,
) -> tuple[tuple[str, ...], str]:
    """Read the header, then hand every ballot to ``add(line, ballot)``.

    Each distinct row is checked once, at its first occurrence (so the first
    invalid row is the one named). Rows an editor may leave at the end of a file
    (empty lines) are held back: they become blank ballots only if a ballot
    follows them (``add_blanks(lines, how many)``, the lines only with
    ``keep_lines``). Returns the candidates and the delimiter.
    """
    if method not in METHOD_NAMES:
        raise TallyInputError(f"unknown method {method!r}: use one of {', '.join(METHOD_NAMES)}")
    rows = _Rows(lines)
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        raise TallyInputError("the file is empty: its first row must list the candidates", 1)
    header_line, header = first
    if _empty_like(header) and all(_empty_like(row) for _line, row in stream):
        raise TallyInputError("the file is empty: its first row must list the candidates", 1)
    candidates = _header(method, header_line, header)
    # raw row -> (ballot, empty-like), for every distinct row seen so far
    seen: dict[tuple[str, ...], tuple[tuple[Any, ...], bool]] = {}
    held_lines: list[int] = []
    held = 0
    for line, row in stream:
        raw = tuple(row)
        known = seen.get(raw)
        if known is None:
            known = seen[raw] = (_ballot(method, candidates, grades, line, row), _empty_like(row))
        if known[1]:
            held += 1
            if keep_lines:
                held_lines.append(line)
            continue
        if held:
            add_blanks(held_lines, held)
            held_lines, held = [], 0
        add(line, known[0])
    return candidates, rows.delimiter


def read_ballots(data: bytes | str, method: str, *, grades: int = 7) -> BallotFile:
    """Parse a ballot file's content for ``method`` (``grades`` = k, for majority-judgment):
    every ballot in file order, with its line."""
    ballots: list[tuple[Any, ...]] = []
    lines: list[int] = []

    def add(line: int, ballot: tuple[Any, ...]) -> None:
        ballots.append(ballot)
        lines.append(line)

    def add_blanks(held_lines: list[int], _n: int) -> None:
        ballots.extend(() for _line in held_lines)
        lines.extend(held_lines)

    candidates, delimiter = _scan(
        _text_lines(data), method, grades, add, add_blanks, keep_lines=True
    )
    return BallotFile(method, candidates, ballots, lines, delimiter)


@dataclass
class CountedFile:
    """A ballot file read as a stream: identical ballots counted once
    (:class:`~maillon.tally.ballots.BallotCounts`), ready for
    :func:`~maillon.tally.tally`. Memory grows with the distinct ballots only."""

    method: str
    candidates: tuple[str, ...]
    ballots: BallotCounts
    delimiter: str = ","


def count_lines(lines: Iterator[str], method: str, *, grades: int = 7) -> CountedFile:
    """Read text lines (line ends kept, as from a file opened with ``newline=""``)."""
    counts: dict[tuple[Any, ...], int] = {}

    def add(_line: int, ballot: tuple[Any, ...]) -> None:
        counts[ballot] = counts.get(ballot, 0) + 1

    def add_blanks(_lines: list[int], n: int) -> None:
        counts[()] = counts.get((), 0) + n

    candidates, delimiter = _scan(lines, method, grades, add, add_blanks, keep_lines=False)
    return CountedFile(method, candidates, BallotCounts(counts), delimiter)


def count_binary(binary: Iterable[bytes], method: str, *, grades: int = 7) -> CountedFile:
    """Stream a file opened in binary mode (or any iterable of binary lines)."""
    return count_lines(decoded_lines(binary), method, grades=grades)


def count_file(path: str | Path, method: str, *, grades: int = 7) -> CountedFile:
    with open(path, "rb") as handle:
        return count_binary(handle, method, grades=grades)


def read_file(path: str | Path, method: str, *, grades: int = 7) -> BallotFile:
    return read_ballots(Path(path).read_bytes(), method, grades=grades)
