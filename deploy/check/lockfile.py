"""Is deploy/requirements.txt (the lock the servers install from) in step with the
dependencies declared in pyproject.toml? Offline: nothing is downloaded.

The lock is written by ``bin/lock`` (uv pip compile --universal --generate-hashes),
which records a fingerprint of pyproject's ``requires-python`` and ``dependencies``
in it. The check fails when

* the fingerprint differs: a dependency was added, removed or changed (extras
  included) without running ``bin/lock``;
* a dependency of pyproject is not pinned, or pinned to a version its specifier
  refuses (a hand-edited lock);
* a pin is not exact (``==``) or carries no hash (``pip --require-hashes`` would refuse
  the file on the server).

    python deploy/check/lockfile.py --check            # exit 1 with the reasons
    python deploy/check/lockfile.py --fingerprint      # what bin/lock records
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "deploy" / "requirements.txt"
FINGERPRINT_PREFIX = "#    pyproject.toml dependencies sha256: "


@dataclass
class Pin:
    name: str
    requirement: Requirement
    hashes: list[str] = field(default_factory=list)


def declared(pyproject_text: str) -> tuple[str, list[Requirement]]:
    project = tomllib.loads(pyproject_text)["project"]
    return project.get("requires-python", ""), [
        Requirement(line) for line in project.get("dependencies", [])
    ]


def fingerprint(pyproject_text: str) -> str:
    """Stable over formatting and order: the normalised requirements, sorted."""
    requires_python, requirements = declared(pyproject_text)
    lines = [f"requires-python {requires_python}"] + sorted(
        str(_normalised(requirement)) for requirement in requirements
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _normalised(requirement: Requirement) -> Requirement:
    copy = Requirement(str(requirement))
    copy.name = canonicalize_name(copy.name)
    copy.extras = {canonicalize_name(extra) for extra in copy.extras}
    return copy


def parse_lock(lock_text: str) -> tuple[str | None, list[Pin]]:
    """The recorded fingerprint and the pins (a package may be pinned more than once,
    under different markers, in a universal lock)."""
    recorded = None
    pins: list[Pin] = []
    logical: list[str] = []
    for raw in lock_text.splitlines():
        if raw.startswith(FINGERPRINT_PREFIX):
            recorded = raw.removeprefix(FINGERPRINT_PREFIX).strip()
        line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("--hash") else raw
        if not line.strip():
            continue
        logical.append(line.rstrip("\\").strip())
        if not line.endswith("\\"):
            pins.append(_pin(" ".join(logical)))
            logical = []
    if logical:
        pins.append(_pin(" ".join(logical)))
    return recorded, pins


def _pin(entry: str) -> Pin:
    hashes = re.findall(r"--hash=(\S+)", entry)
    requirement = Requirement(re.sub(r"\s*--hash=\S+", "", entry).strip())
    return Pin(name=canonicalize_name(requirement.name), requirement=requirement, hashes=hashes)


def problems(pyproject_text: str, lock_text: str) -> list[str]:
    found: list[str] = []
    recorded, pins = parse_lock(lock_text)
    expected = fingerprint(pyproject_text)
    if recorded is None:
        found.append("the lock records no fingerprint of pyproject.toml: run ./bin/lock")
    elif recorded != expected:
        found.append(
            "pyproject.toml's dependencies changed since the lock was written: run ./bin/lock"
        )
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
        specifiers = list(pin.requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            found.append(f"{pin.name}: not pinned to one version ({pin.requirement})")
        if not pin.hashes:
            found.append(f"{pin.name}: no hash (pip --require-hashes would refuse the lock)")
    for requirement in declared(pyproject_text)[1]:
        name = canonicalize_name(requirement.name)
        if name not in by_name:
            found.append(f"{requirement}: declared in pyproject.toml, missing from the lock")
            continue
        for pin in by_name[name]:
            version = next(iter(pin.requirement.specifier)).version
            if not requirement.specifier.contains(version, prereleases=True):
                found.append(f"{requirement}: the lock pins {name}=={version}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true")
    action.add_argument("--fingerprint", action="store_true")
    parser.add_argument("--pyproject", type=Path, default=PYPROJECT)
    parser.add_argument("--lock", type=Path, default=LOCK)
    args = parser.parse_args(argv)
    pyproject_text = args.pyproject.read_text(encoding="utf-8")
    if args.fingerprint:
        print(fingerprint(pyproject_text))
        return 0
    if not args.lock.exists():
        print(f"{args.lock} is missing: run ./bin/lock", file=sys.stderr)
        return 1
    found = problems(pyproject_text, args.lock.read_text(encoding="utf-8"))
    for problem in found:
        print(f"lock out of step: {problem}", file=sys.stderr)
    if not found:
        _, pins = parse_lock(args.lock.read_text(encoding="utf-8"))
        print(f"{args.lock.relative_to(ROOT)}: {len(pins)} pins with hashes, in step")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
