"""The example notebooks run top to bottom against a real store (seed articles ingested)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.events import EventExtractor
from pipeline.runs.ingest import ingest_text
from pipeline.store.db import open_store
from tests.conftest import FIXTURES

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('nb') / 'netra.db'}"
    engine = open_store(url, migrate=True)
    summary = ingest_text(engine, FIXTURES / "gold" / "seeds.input.jsonl", EventExtractor(use_ner=False))
    engine.dispose()
    assert summary.stored == 5, summary
    return url


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook, seeded_db, monkeypatch):
    assert NOTEBOOKS, "no notebooks found"
    monkeypatch.setenv("NETRA_DATABASE_URL", seeded_db)
    namespace: dict = {}
    for index, source in enumerate(code_cells(notebook)):
        try:
            exec(compile(source, f"{notebook.name}[cell {index}]", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"{notebook.name}: code cell {index} failed: {exc}") from exc
    assert len(namespace["events"]) >= 5
