"""Reading a margins file (YAML, see ``content/margins/national.yaml``). Pure Python."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTENT = Path(__file__).resolve().parent.parent / "content" / "margins"
VARIABLES = ("size_band", "sector", "region")


class MarginsFileError(ValueError):
    pass


@dataclass(frozen=True)
class MarginRow:
    variable: str
    category: str
    share: float
    source: str = ""
    placeholder: bool = False


@dataclass(frozen=True)
class MarginsFile:
    name: str
    year: int
    source: str
    notes: str
    rows: list[MarginRow] = field(default_factory=list)


def parse_margins(data: Any, where: str = "margins") -> MarginsFile:
    if not isinstance(data, dict):
        raise MarginsFileError(f"{where}: not a mapping")
    for key in ("name", "year", "source", "variables"):
        if key not in data:
            raise MarginsFileError(f"{where}: {key!r} is missing")
    rows: list[MarginRow] = []
    for variable, entries in (data["variables"] or {}).items():
        if variable not in VARIABLES:
            raise MarginsFileError(f"{where}: unknown variable {variable!r}")
        total = 0.0
        for entry in entries:
            share = float(entry["share"])
            if not math.isfinite(share) or not 0 <= share <= 1:
                raise MarginsFileError(f"{where}: {variable}/{entry['category']}: bad share")
            total += share
            rows.append(
                MarginRow(
                    variable=variable,
                    category=str(entry["category"]),
                    share=share,
                    source=str(entry.get("source", "")),
                    placeholder=bool(entry.get("placeholder", False)),
                )
            )
        if abs(total - 1) > 1e-9:
            raise MarginsFileError(f"{where}: shares of {variable} sum to {total}, not 1")
    return MarginsFile(
        name=str(data["name"]),
        year=int(data["year"]),
        source=str(data["source"]).strip(),
        notes=str(data.get("notes", "")).strip(),
        rows=rows,
    )


def read_margins_file(path: Path | str) -> MarginsFile:
    with Path(path).open(encoding="utf-8") as fh:
        return parse_margins(yaml.safe_load(fh), str(path))


def shipped_margins() -> MarginsFile:
    return read_margins_file(CONTENT / "national.yaml")
