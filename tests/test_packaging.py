"""Packaging: every third-party module that pipeline/ imports is a declared dependency (issue 18).

Module-level imports must be core dependencies (``import pipeline.x`` must work from a plain
install); imports inside functions may come from an extra (``[stanza]``, ``[dask]``).  The
module -> distribution map is the installed one (``importlib.metadata.packages_distributions``),
with the extras' modules named here for venvs without them.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Distributions of optional modules, for venvs where the extra is not installed.
KNOWN = {"stanza": "stanza", "torch": "torch", "gensim": "gensim", "dask": "dask", "distributed": "distributed"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, spec
    return _normalise(match.group(1))


def declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {_requirement_name(r) for r in project["dependencies"]}
    extras = {k: {_requirement_name(r) for r in v} for k, v in project.get("optional-dependencies", {}).items()}
    return core, extras


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(top-level module, line, module-level?) of every absolute import in ``path``."""
    found: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((a.name.split(".")[0], child.lineno, top) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module.split(".")[0], child.lineno, top))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                visit(child, False)  # type-only imports are not run
            else:
                visit(child, top)

    visit(ast.parse(path.read_text(encoding="utf-8")), True)
    return found


def _distribution(module: str, installed: dict[str, list[str]]) -> str | None:
    if module in KNOWN:
        return KNOWN[module]
    dists = installed.get(module)
    return _normalise(dists[0]) if dists else None


def test_every_imported_module_is_a_declared_dependency():
    core, extras = declared()
    optional = set().union(*(deps for name, deps in extras.items() if name != "dev"))  # dev tools do not count
    installed = md.packages_distributions()
    problems = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        where = path.relative_to(ROOT)
        for module, line, top in imports(path):
            if module in sys.stdlib_module_names or module in ("pipeline", "__future__"):
                continue
            dist = _distribution(module, installed)
            if dist is None:
                problems.append(f"{where}:{line}: imports {module!r}, which no installed distribution provides")
            elif top and dist not in core:
                problems.append(
                    f"{where}:{line}: module-level import of {module!r} ({dist}) is not in [project] dependencies"
                )
            elif dist not in core | optional:
                problems.append(
                    f"{where}:{line}: imports {module!r} ({dist}), declared neither as a dependency nor in an extra"
                )
    assert problems == [], "\n".join(problems)


def test_the_stanza_extra_is_what_the_stanza_backend_imports():
    _core, extras = declared()
    used = set()
    for path in (ROOT / "pipeline" / "nlp").glob("stanza_*.py"):
        used |= {m for m, _line, _top in imports(path) if m in KNOWN}
    assert used, "the Stanza backend imports nothing from the [stanza] extra"
    assert used <= extras["stanza"], f"{sorted(used - extras['stanza'])} missing from the [stanza] extra"
