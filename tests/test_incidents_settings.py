"""Linking thresholds and weights come from the ``[incidents]`` settings (netra.toml, NETRA_INCIDENTS__*)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, fields
from pathlib import Path

import pytest

from pipeline.incidents import DEFAULT_SETTINGS, LinkSettings
from pipeline.settings import IncidentSettings, SettingsError, load_settings
from pipeline.store.incidents import linker_version
from tests.conftest import FIXTURES

CLUSTER = "bawaslu-rakor-bali-2022-09-27"  # four dev reports of one rakor


def test_the_section_mirrors_the_linker_settings_and_its_defaults():
    assert set(IncidentSettings.model_fields) == {f.name for f in fields(LinkSettings)}
    assert IncidentSettings().link_settings() == DEFAULT_SETTINGS


def test_environment_and_file_set_the_linker_and_its_version(tmp_path, monkeypatch):
    config = tmp_path / "netra.toml"
    config.write_text('[incidents]\nlink_threshold = 0.8\ntype_families = [["rakor", "pledge"], ["sanction"]]\n')
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    monkeypatch.setenv("NETRA_INCIDENTS__TEXT_WEIGHT", "0.7")
    link = load_settings().incidents.link_settings()
    assert (link.link_threshold, link.text_weight) == (0.8, 0.7)
    assert link.type_families == (("rakor", "pledge"), ("sanction",))
    assert asdict(link) == {**asdict(DEFAULT_SETTINGS), "link_threshold": 0.8, "text_weight": 0.7,
                            "type_families": (("rakor", "pledge"), ("sanction",))}  # fmt: skip
    # the version kept with each membership names the settings it was linked with
    assert linker_version(link) != linker_version(DEFAULT_SETTINGS)
    assert linker_version(LinkSettings(**asdict(link))) == linker_version(link)


@pytest.mark.parametrize(
    ("toml", "named"),
    [
        ("link_threshold = -0.5", "incidents.link_threshold"),
        ('text_analyzer = "trigram"', "incidents.text_analyzer"),
        ("bucket_days = 0", "incidents.bucket_days"),
        ('type_families = [["rakor"], ["rakor", "violation"]]', "'rakor' is in families 0 and 1"),
        ("link_treshold = 0.7", "incidents.link_treshold: unknown setting"),
    ],
)
def test_a_bad_value_is_a_settings_error_naming_it(tmp_path, monkeypatch, toml, named):
    config = tmp_path / "netra.toml"
    config.write_text(f"[incidents]\n{toml}\n")
    monkeypatch.setenv("NETRA_CONFIG", str(config))
    with pytest.raises(SettingsError, match=r"netra\.toml") as caught:
        load_settings()
    assert named in str(caught.value)


def _netra(*args: str, config: Path, db: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETRA_LOG_FORMAT": "text", "NETRA_CONFIG": str(config),
           "NETRA_DATABASE_URL": f"sqlite:///{db}", "NETRA_DATA_DIR": str(db.parent)}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=env, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"netra {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _cluster_input(tmp_path: Path) -> Path:
    gold = FIXTURES / "gold"
    ids = {
        g["id"] for g in map(json.loads, (gold / "dev.jsonl").read_text().splitlines()) if g.get("cluster") == CLUSTER
    }
    lines = [line for line in (gold / "dev.input.jsonl").read_text().splitlines() if json.loads(line)["id"] in ids]
    path = tmp_path / "cluster.input.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def _linked_documents(tmp_path: Path, name: str, toml: str) -> list[list[str]]:
    run = tmp_path / name
    run.mkdir()
    config = run / "netra.toml"
    config.write_text(toml)
    _netra("ingest-text", str(_cluster_input(tmp_path)), "--no-ner", config=config, db=run / "netra.db")
    out = _netra("incidents", "--format", "jsonl", config=config, db=run / "netra.db").stdout.splitlines()
    return sorted(sorted(json.loads(line)["documents"]) for line in out)


def test_a_threshold_in_netra_toml_changes_ingest_text_linking(tmp_path):
    linked = _linked_documents(tmp_path, "defaults", "")
    assert max(len(documents) for documents in linked) >= 2  # the reports of one rakor are linked
    alone = _linked_documents(tmp_path, "strict", "[incidents]\nlink_threshold = 10.0\n")
    assert alone and all(len(documents) == 1 for documents in alone)  # no score reaches it: no links
    assert sorted(d for ds in alone for d in ds) == sorted(d for ds in linked for d in ds)


def test_a_bad_value_in_netra_toml_exits_2_naming_it(tmp_path):
    config = tmp_path / "netra.toml"
    config.write_text('[incidents]\nlink_threshold = "high"\n')
    proc = _netra("ingest-text", str(_cluster_input(tmp_path)), config=config, db=tmp_path / "netra.db", check=False)
    assert proc.returncode == 2
    assert "incidents.link_threshold" in proc.stderr and str(config) in proc.stderr
    assert "Traceback" not in proc.stderr
    linked = subprocess.run(
        [sys.executable, "-m", "pipeline.incidents", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")],
        capture_output=True, text=True, env={**os.environ, "NETRA_CONFIG": str(config)}, timeout=120,
    )  # fmt: skip
    assert linked.returncode == 2 and "incidents.link_threshold" in linked.stderr
