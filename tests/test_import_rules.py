"""The house rules of docs/architecture.md, checked on the source (ASTs of pipeline/):

* only ``pipeline/store/`` imports SQLAlchemy (and Alembic);
* nothing below ``pipeline/cli/`` imports ``pipeline.cli``;
* only the CLI and the orchestration (``pipeline/runs/``) import ``pipeline.runs``;
* no import cycle among the modules' top-level imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        name = ".".join(rel.parts).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _violations(rule) -> list[str]:
    return sorted(
        f"{name} imports {imp}" for name, path in _modules().items() for imp in _imports(path) if rule(name, imp)
    )


def test_only_the_store_touches_sql():
    def rule(name: str, imp: str) -> bool:
        return imp.split(".")[0] in ("sqlalchemy", "alembic") and not name.startswith("pipeline.store")

    assert _violations(rule) == []


def test_nothing_below_the_cli_imports_it():
    def rule(name: str, imp: str) -> bool:
        return (imp == "pipeline.cli" or imp.startswith("pipeline.cli.")) and not name.startswith("pipeline.cli")

    assert _violations(rule) == []


def test_only_the_cli_and_runs_import_the_orchestration():
    def rule(name: str, imp: str) -> bool:
        return imp.startswith("pipeline.runs") and not name.startswith(("pipeline.cli", "pipeline.runs"))

    assert _violations(rule) == []


def test_no_import_cycle_at_module_level():
    modules = _modules()
    graph = {
        name: {imp for imp in _imports(path, top_level_only=True) if imp in modules and imp != name}
        for name, path in modules.items()
    }
    # A package's __init__ importing its own submodules is not a cycle of concern.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if not (d.startswith(name + "."))}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep] if dep in stack else [node, dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_every_import_of_the_package_resolves():
    """Lazy imports inside functions too: a moved module must not leave a stale path behind."""
    import importlib.util

    missing = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("pipeline"):
                if importlib.util.find_spec(node.module) is None:
                    missing.append(f"{name}: {node.module}")
                    continue
                module = importlib.import_module(node.module)
                for alias in node.names:
                    if (
                        not hasattr(module, alias.name)
                        and importlib.util.find_spec(f"{node.module}.{alias.name}") is None
                    ):
                        missing.append(f"{name}: {node.module}.{alias.name}")
    assert missing == []
