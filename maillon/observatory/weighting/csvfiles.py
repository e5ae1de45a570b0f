"""Reading the sample and the margins files of the weighting command.

Every refusal names the file and the line (``WeightingInputError``)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from .engine import WeightingInputError


@dataclass(frozen=True)
class Sample:
    variables: list[str]
    units: list[tuple[str, list[str]]]
    lines: dict[str, int]  # unit id -> line in the file


def _rows(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.reader(fh))
    except OSError as error:
        raise WeightingInputError(f"{path}: cannot be read ({error.strerror})") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise WeightingInputError(f"{path}: not a UTF-8 CSV file ({error})") from error


def read_sample(path: Path) -> Sample:
    rows = _rows(path)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise WeightingInputError(f"{path}: the sample is empty (no header)")
    header = [cell.strip() for cell in rows[0]]
    if header[0] != "id" or len(header) < 2:
        raise WeightingInputError(
            f"{path}, line 1: the header must be id,<variable>,... (got {','.join(header)})"
        )
    variables = header[1:]
    if len(set(variables)) != len(variables) or "" in variables:
        raise WeightingInputError(f"{path}, line 1: variable names must be distinct")
    units: list[tuple[str, list[str]]] = []
    lines: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue  # a blank line
        if len(cells) != len(header):
            raise WeightingInputError(
                f"{path}, line {number}: {len(cells)} cells, the header has {len(header)}"
            )
        if not cells[0]:
            raise WeightingInputError(f"{path}, line {number}: the id is empty")
        if cells[0] in lines:
            raise WeightingInputError(
                f"{path}, line {number}: id {cells[0]!r} already on line {lines[cells[0]]}"
            )
        lines[cells[0]] = number
        units.append((cells[0], cells[1:]))
    if not units:
        raise WeightingInputError(f"{path}: the sample is empty (no unit)")
    return Sample(variables, units, lines)


@dataclass(frozen=True)
class Margins:
    shares: dict[str, dict[str, float]]
    lines: dict[tuple[str, str], int]  # (variable, category) -> line


def read_margins(path: Path) -> Margins:
    rows = _rows(path)
    header = [cell.strip() for cell in rows[0]] if rows else []
    if header != ["variable", "category", "share"]:
        raise WeightingInputError(
            f"{path}, line 1: the header must be variable,category,share"
            f" (got {','.join(header) or 'nothing'})"
        )
    shares: dict[str, dict[str, float]] = {}
    lines: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if len(cells) != 3:
            raise WeightingInputError(f"{path}, line {number}: {len(cells)} cells, expected 3")
        variable, category, text = cells
        try:
            share = float(text)
        except ValueError:
            raise WeightingInputError(
                f"{path}, line {number}: share {text!r} is not a number"
            ) from None
        if not math.isfinite(share) or share < 0 or share > 1:
            raise WeightingInputError(
                f"{path}, line {number}: share {text!r} is not a number between 0 and 1"
            )
        if (variable, category) in lines:
            raise WeightingInputError(
                f"{path}, line {number}: {variable}/{category} already on line "
                f"{lines[(variable, category)]}"
            )
        lines[(variable, category)] = number
        shares.setdefault(variable, {})[category] = share
    return Margins(shares, lines)


def check_against(sample: Sample, sample_path: Path, margins: Margins, margins_path: Path) -> None:
    """The contract's checks between the two files, each naming a file and a line."""
    for variable in margins.shares:
        if variable not in sample.variables:
            line = min(n for (v, _), n in margins.lines.items() if v == variable)
            raise WeightingInputError(
                f"{margins_path}, line {line}: variable {variable!r} is absent from the sample"
            )
    for position, variable in enumerate(sample.variables):
        targets = margins.shares.get(variable)
        if targets is None:
            raise WeightingInputError(
                f"{margins_path}: no shares for variable {variable!r} of the sample"
            )
        total = math.fsum(targets.values())
        if abs(total - 1) > 1e-9:
            line = max(n for (v, _), n in margins.lines.items() if v == variable)
            raise WeightingInputError(
                f"{margins_path}, line {line}: shares of variable {variable!r} sum to "
                f"{total!r}, not 1"
            )
        present = {categories[position] for _, categories in sample.units}
        unknown = present - set(targets)
        if unknown:
            unit_id, categories = next((u, c) for u, c in sample.units if c[position] in unknown)
            category = categories[position]
            raise WeightingInputError(
                f"{sample_path}, line {sample.lines[unit_id]}: unknown category "
                f"{category!r} of variable {variable!r}"
            )
        for category in targets:
            if category not in present:
                raise WeightingInputError(
                    f"{margins_path}, line {margins.lines[(variable, category)]}: category "
                    f"{category!r} of variable {variable!r} is absent from the sample"
                )
