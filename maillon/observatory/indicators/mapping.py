"""The versioned mapping from the diagnostic's answers to the observatory's
indicators (``content/indicators/indicators-v<N>.yaml``). Pure Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from maillon.core.versioned_yaml import (
    ContentError,
    available_versions,
    check_declared_version,
    read_version,
)

CONTENT = Path(__file__).resolve().parent.parent / "content" / "indicators"
STEM = "indicators"
RULE_KINDS = ("any_of", "equals", "none_of", "ranked_within", "any")


@dataclass(frozen=True)
class NationalFigure:
    edition: int
    value: float
    n: int | None
    note: dict[str, str]


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    group: str
    label: dict[str, str]
    rule: dict[str, Any]
    national: tuple[NationalFigure, ...] = ()

    def nearest_national(self, year: int) -> NationalFigure | None:
        """The edition of the same year, else the nearest (the later one on a tie)."""
        if not self.national:
            return None
        return min(self.national, key=lambda f: (abs(f.edition - year), -f.edition))


@dataclass(frozen=True)
class IndicatorMapping:
    version: int
    questionnaire_version: int
    source_label: str
    groups: tuple[tuple[str, dict[str, str]], ...]
    indicators: tuple[IndicatorDef, ...] = field(default_factory=tuple)

    def questions(self) -> set[str]:
        found: set[str] = set()
        for indicator in self.indicators:
            _collect_questions(indicator.rule, found)
        return found


def _collect_questions(rule: Mapping[str, Any], into: set[str]) -> None:
    if "any" in rule:
        for part in rule["any"]:
            _collect_questions(part, into)
    else:
        into.add(rule["question"])


def _check_rule(rule: Any, where: str) -> None:
    if not isinstance(rule, dict):
        raise ContentError(f"{where}: a rule is a mapping")
    if "any" in rule:
        for part in rule["any"]:
            _check_rule(part, where)
        return
    if "question" not in rule or not any(kind in rule for kind in RULE_KINDS):
        raise ContentError(f"{where}: a rule names a question and one of {RULE_KINDS}")


def _parse(version: int, data: dict[str, Any]) -> IndicatorMapping:
    check_declared_version(version, data.get("version"), STEM)
    groups = tuple((g["code"], dict(g["label"])) for g in data["groups"])
    group_codes = {code for code, _ in groups}
    indicators = []
    for entry in data["indicators"]:
        where = f"{STEM}-v{version}.yaml {entry.get('code')}"
        if entry["group"] not in group_codes:
            raise ContentError(f"{where}: unknown group {entry['group']!r}")
        if set(entry["label"]) != {"fr", "en"}:
            raise ContentError(f"{where}: the label needs fr and en")
        _check_rule(entry["rule"], where)
        national = tuple(
            NationalFigure(
                edition=int(f["edition"]),
                value=float(f["value"]),
                n=f.get("n"),
                note=dict(f.get("note") or {}),
            )
            for f in entry.get("national") or ()
        )
        indicators.append(
            IndicatorDef(
                entry["code"], entry["group"], dict(entry["label"]), entry["rule"], national
            )
        )
    codes = [i.code for i in indicators]
    if len(set(codes)) != len(codes):
        raise ContentError(f"{STEM}-v{version}.yaml: indicator codes must be distinct")
    return IndicatorMapping(
        version=version,
        questionnaire_version=int(data["questionnaire_version"]),
        source_label=str(data.get("source_label", "")),
        groups=groups,
        indicators=tuple(indicators),
    )


@cache
def load_mapping(version: int | None = None) -> IndicatorMapping:
    found, data = read_version(CONTENT, STEM, version)
    return _parse(found, data)


def mapping_versions() -> list[int]:
    return available_versions(CONTENT, STEM)


def evaluate(rule: Mapping[str, Any], answers: Mapping[str, Any]) -> bool | None:
    """Does the rule hold for ``answers``? ``None`` when the question is unanswered."""
    if "any" in rule:
        results = [evaluate(part, answers) for part in rule["any"]]
        if any(r is True for r in results):
            return True
        return False if any(r is False for r in results) else None
    value = answers.get(rule["question"])
    if value in (None, "", []):
        return None
    if "any_of" in rule:
        held = value if isinstance(value, list) else [value]
        return any(v in held for v in rule["any_of"])
    if "none_of" in rule:
        held = value if isinstance(value, list) else [value]
        return not any(v in held for v in rule["none_of"])
    if "equals" in rule:
        return value == rule["equals"]
    ranked = value if isinstance(value, list) else [value]
    return rule["value"] in ranked[: int(rule["ranked_within"])]
