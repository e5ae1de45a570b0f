"""Checks of the code's shape, read from the source (no import, no database): the
rules of ``docs/architecture.md`` that a reviewer would otherwise have to remember.

``python -m maillon.core.tests.architecture [app ...]`` prints what breaks them (for
the given apps only, when named); ``test_architecture.py`` asserts there is none."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the maillon package
PACKAGE = ROOT.name

#: Functions allowed to disable scopes say so by their name: they publish
#: (``public_*``), serve the person themselves across their associations (``my_*``),
#: follow a secret link (``*_for_token``), or do a periodic job's round over every
#: association (``*_across_associations``); metrics and retention rules cross
#: associations by nature, and the admin site is the instance staff's.
SCOPE_FREE_NAME = re.compile(r"^(public_|my_)|(_for_token|_across_associations)$")
SCOPE_FREE_FILES = ("metrics.py", "retention.py", "admin.py", "admin_site.py")
#: Apps whose prefixed modules (``hours_views.py``) became sub-packages.
PACKAGED_APPS = ("volunteering", "governance", "members", "strategy")
PREFIXED = re.compile(r"^[a-z]+(_[a-z]+)*_(views|services|selectors|forms|urls|tasks)\.py$")
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def source_files(*, include_tests: bool = False) -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts:
            continue
        if not include_tests and "tests" in parts:
            continue
        yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _is_demo(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return parts[0] == "demo" or "management" in parts


def _imports(tree: ast.Module, module: str, *, top_level_only: bool) -> Iterator[tuple[str, int]]:
    """Absolute names of the maillon modules imported (``from x import y`` gives
    ``x.y`` too, resolved against the files later)."""
    package = module if _is_package(module) else module.rpartition(".")[0]
    nodes = _top_level_imports(tree) if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:
                yield f"{target}.{alias.name}", node.lineno


def _top_level_imports(tree: ast.Module) -> Iterator[ast.stmt]:
    """Imports run when the module loads: at module level, in ``try``/``if`` blocks,
    except ``if TYPE_CHECKING:``."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
            if name != "TYPE_CHECKING":
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                stack.extend(handler.body)


_MODULES: dict[str, Path] = {}


def _known_modules() -> dict[str, Path]:
    if not _MODULES:
        for path in source_files(include_tests=True):
            _MODULES[module_name(path)] = path
    return _MODULES


def _is_package(module: str) -> bool:
    path = _known_modules().get(module)
    return path is not None and path.name == "__init__.py"


def _resolve(name: str) -> str | None:
    known = _known_modules()
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Module → the maillon modules it imports when it loads (tests excluded)."""
    graph: dict[str, set[str]] = {}
    for path in source_files():
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = set()
        for name, _line in _imports(tree, module, top_level_only=True):
            if not name.startswith(PACKAGE):
                continue
            target = _resolve(name)
            if target and target != module and not _is_package(target):
                edges.add(target)
        graph[module] = edges
    return graph


def import_cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def core_imports_of_other_apps() -> list[Finding]:
    """``core`` is the bottom layer: it imports no other Maillon app, not even inside
    a function."""
    findings = []
    for path in source_files():
        module = module_name(path)
        if _app_of(module) != "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, line in _imports(tree, module, top_level_only=False):
            if name.startswith(f"{PACKAGE}.") and _app_of(name) != "core":
                findings.append(Finding(_relative(path), line, f"core imports {name}"))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.message))


def long_functions(limit: int = MAX_FUNCTION_LINES) -> list[Finding]:
    findings = []
    for path in source_files():
        if _is_demo(path):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    findings.append(
                        Finding(_relative(path), node.lineno, f"{node.name}: {length} lines")
                    )
    return findings


def scopes_disabled_outside_named_functions() -> list[Finding]:
    findings = []
    for path in source_files():
        if _is_demo(path) or path.name in SCOPE_FREE_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        findings.extend(_scope_findings(path, tree))
    return findings


def _scope_findings(path: Path, tree: ast.Module) -> Iterator[Finding]:
    def walk(node: ast.AST, names: tuple[str, ...]) -> Iterator[Finding]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(child, (*names, child.name))
                continue
            if isinstance(child, ast.Call):
                func = child.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called == "scopes_disabled" and not any(
                    SCOPE_FREE_NAME.search(name) for name in names
                ):
                    where = ".".join(names) or "<module>"
                    yield Finding(_relative(path), child.lineno, f"scopes_disabled() in {where}")
            yield from walk(child, names)

    return walk(tree, ())


def prefixed_modules() -> list[Finding]:
    findings = []
    for app in PACKAGED_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "tests" in path.relative_to(ROOT).parts or "migrations" in path.parts:
                continue
            if PREFIXED.match(path.name):
                findings.append(Finding(_relative(path), 1, "a prefix waiting to be a package"))
    return findings


def report(apps: list[str]) -> list[str]:
    def wanted(text: str) -> bool:
        return not apps or any(
            f"{PACKAGE}/{app}/" in text or f"{PACKAGE}.{app}." in text for app in apps
        )

    lines = []
    for cycle in import_cycles():
        text = " -> ".join(cycle)
        if wanted(text):
            lines.append(f"import cycle: {text}")
    for check in (
        core_imports_of_other_apps,
        long_functions,
        scopes_disabled_outside_named_functions,
        prefixed_modules,
    ):
        lines.extend(f"{check.__name__}: {f}" for f in check() if wanted(str(f)))
    return lines


if __name__ == "__main__":
    found = report(sys.argv[1:])
    print("\n".join(found) or "No finding.")
    sys.exit(1 if found else 0)
