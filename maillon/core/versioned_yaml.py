"""Content kept as versioned YAML files (``<stem>-v<N>.yaml``): the diagnostic's
questionnaire and rules, the observatory's indicator mapping. A published version is
never edited; a change is a new file. Pure Python (no Django), so the engines that
read these files stay testable on their own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class ContentError(ValueError):
    """A content file is missing or does not say what its name says."""


def versions_in(directory: Path | str, stem: str) -> dict[int, Path]:
    """``{version: path}`` of the ``<stem>-v<N>.yaml`` files in ``directory``."""
    pattern = re.compile(rf"^{re.escape(stem)}-v(\d+)\.ya?ml$")
    folder = Path(directory)
    found: dict[int, Path] = {}
    for path in folder.iterdir() if folder.is_dir() else ():
        match = pattern.match(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def available_versions(directory: Path | str, stem: str) -> list[int]:
    """Versions shipped in ``directory``, ascending."""
    return sorted(versions_in(directory, stem))


def read_version(directory: Path | str, stem: str, version: int | None) -> tuple[int, Any]:
    """``(version, data)`` of the file ``version`` (the latest when ``None``).
    Raises ``ContentError`` when there is no file at all, ``LookupError`` for an
    unknown version."""
    files = versions_in(directory, stem)
    if not files:
        raise ContentError(f"no {stem} in {directory}")
    if version is None:
        version = max(files)
    if version not in files:
        raise LookupError(f"no {stem} version {version}")
    with files[version].open(encoding="utf-8") as fh:
        return version, yaml.safe_load(fh)


def check_declared_version(path_version: int, declared: Any, stem: str) -> None:
    """The version a file declares inside must be the one in its name."""
    if declared != path_version:
        raise ContentError(f"{stem}-v{path_version}.yaml declares version {declared}")
