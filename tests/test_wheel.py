"""The wheel works on its own (issue 18): built from a copy of the checkout, installed into a
fresh venv, ``netra`` run from a directory outside the repository.

The fresh venv gets the project venv's third-party packages through a ``.pth`` line (nothing is
downloaded; ``.pth`` files of that directory, such as the editable install's finder, are not
run), and netra itself only from the wheel (``pip install --no-deps --no-index``).  Checked:
the NER model, the default source registry and the gazetteer ship in the wheel, events run
with the NER (their ``pipeline_version`` names ``ner-id``, officials found), the default data
dir is ``./data`` of the current directory (not site-packages), and a missing model is an
error (exit 2) unless ``--no-ner`` is given.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
INPUT = ROOT / "tests" / "fixtures" / "gold" / "seeds.input.jsonl"
# not copied into the build tree: environments, caches, build output, the git metadata (anywhere)
# and the checkout's own data/ and notebooks/ (top level only: pipeline/data is package data)
_ANYWHERE = shutil.ignore_patterns(
    ".venv*", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def IGNORE(directory: str, names: list[str]) -> set[str]:
    ignored = set(_ANYWHERE(directory, names))
    if Path(directory) == ROOT:
        ignored |= {"data", "notebooks", "bench"} & set(names)
    return ignored


def _run(argv: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src") / "netra"
    shutil.copytree(ROOT, src, ignore=IGNORE)
    out = tmp_path_factory.mktemp("wheel")
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, src])
    assert proc.returncode == 0, proc.stderr[-4000:]
    (built,) = out.glob("netra-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with netra from the wheel and the project venv's dependencies (by .pth)."""
    root = tmp_path_factory.mktemp("venv")
    proc = _run([sys.executable, "-m", "venv", "--without-pip", root])
    assert proc.returncode == 0, proc.stderr
    python = root / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "netra-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel])
    assert proc.returncode == 0, proc.stderr[-4000:]
    return root


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NETRA_", "PYTHON"))}
    return {**env, **extra}


def test_the_wheel_ships_the_model_the_registry_and_the_gazetteer(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "pipeline/bundled/models/ner-id/meta.json",
        "pipeline/bundled/models/ner-id/ner/model",
        "pipeline/bundled/models/stanza-id/ner.pt",
        "pipeline/bundled/sources.yaml",
        "pipeline/data/regions/regencies.csv",
        "pipeline/events/pipeline.cfg",
    ):
        assert required in names, f"{required} is not in {wheel.name}"


def test_installed_wheel_runs_events_with_ner_into_the_current_directory(venv, tmp_path):
    netra = venv / "bin" / "netra"
    where = _run([venv / "bin" / "python", "-c", "import pipeline; print(pipeline.__file__)"], cwd=tmp_path, env=_env())
    assert str(venv) in where.stdout, f"pipeline imported from {where.stdout!r}, not the wheel: {where.stderr}"
    work = tmp_path / "outside"
    work.mkdir()
    shutil.copy(INPUT, work / "articles.jsonl")

    proc = _run([netra, "ingest-text", "articles.jsonl"], cwd=work, env=_env())
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "without NER" not in proc.stderr
    db = work / "data" / "netra.db"
    assert db.is_file(), f"no database in ./data: {sorted(p.name for p in work.rglob('*'))}"
    assert not list(venv.rglob("netra.db")), "the data dir is inside the venv"
    with sqlite3.connect(db) as conn:
        versions = {v for (v,) in conn.execute("select distinct pipeline_version from documents")}
        people = conn.execute("select count(*) from people").fetchone()[0]
    assert versions and all("ner-id" in (v or "") for v in versions), versions
    assert people > 0

    check = _run([netra, "sources", "check"], cwd=work, env=_env())  # the bundled registry, offline
    assert check.returncode == 0, check.stderr[-3000:]
    assert "0 problems" in check.stderr


def test_a_missing_ner_model_is_an_error_unless_no_ner(venv, tmp_path):
    netra = venv / "bin" / "netra"
    shutil.copy(INPUT, tmp_path / "articles.jsonl")
    env = _env(NETRA_NER_MODEL=str(tmp_path / "no-such-model"))
    missing = _run([netra, "extract-text", "articles.jsonl", "-o", "out.jsonl"], cwd=tmp_path, env=env)
    assert missing.returncode == 2, missing.stderr[-3000:]
    assert "NER model not found" in missing.stderr and "--no-ner" in missing.stderr
    assert "Traceback" not in missing.stderr

    rules = _run([netra, "extract-text", "articles.jsonl", "-o", "out.jsonl", "--no-ner"], cwd=tmp_path, env=env)
    assert rules.returncode == 0, rules.stderr[-3000:]
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 5
