"""The ``netra`` command end to end, in a subprocess, on the seed articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import FIXTURES

SEEDS = FIXTURES / "gold" / "seeds.input.jsonl"
SEEDS_GOLD = FIXTURES / "gold" / "seeds.jsonl"


def netra(*args: str, env_extra: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NETRA_LOG_FORMAT": "text", **(env_extra or {})}
    env.pop("NETRA_CONFIG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True, env=env, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"netra {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_extract_text_and_eval_on_seeds(tmp_path):
    pred = tmp_path / "pred.jsonl"
    netra("extract-text", str(SEEDS), "-o", str(pred))
    records = [json.loads(line) for line in pred.read_text().splitlines()]
    assert [r["id"] for r in records] == [json.loads(line)["id"] for line in SEEDS.read_text().splitlines()]
    for record in records:
        assert set(record) == {"id", "relevant", "events"}
        for event in record["events"]:
            assert set(event) == {
                "type",
                "subject",
                "date",
                "date_precision",
                "scope",
                "organizer",
                "venue",
                "regions",
                "elections",
                "officials",
                "sanctions",
                "count",
                "evidence",
            }
    scores = json.loads(netra("eval", str(SEEDS_GOLD), str(pred), "--json").stdout)["slots"]
    # The walking skeleton's promise: type, leading official, region and date for most seeds.
    assert scores["relevance"]["f1"] == 1.0
    for slot in ("types", "officials", "officials_office", "regions"):
        assert scores[slot]["recall"] >= 0.6, (slot, scores[slot])
    table = netra("eval", str(SEEDS_GOLD), str(pred)).stdout
    assert "officials_office" in table and "f1" in table
    # --errors: after the table, one JSON object per line, never wrapped to a terminal width.
    out = netra("eval", str(SEEDS_GOLD), str(pred), "--errors").stdout.splitlines()
    rest = [line for line in out if line and line[0] not in "┏┃┡│└ "]
    assert rest and all(json.loads(line)["id"] for line in rest)


def test_ingest_is_idempotent_and_queryable(db_url, tmp_path):
    env = {"NETRA_DATABASE_URL": db_url, "NETRA_DATA_DIR": str(tmp_path)}
    netra("ingest-text", str(SEEDS), env_extra=env)
    first = netra("events", "--format", "json", env_extra=env).stdout
    netra("ingest-text", str(SEEDS), env_extra=env)
    second = netra("events", "--format", "json", env_extra=env).stdout
    rows = [json.loads(line) for line in first.splitlines() if line.strip()]
    assert len(rows) >= 5

    def strip(text):
        return [
            {k: v for k, v in json.loads(line).items() if k != "event_id"} for line in text.splitlines() if line.strip()
        ]

    assert strip(first) == strip(second)
    solok = netra("events", "--region", "13.72", "--format", "csv", env_extra=env).stdout
    assert "13.72" in solok
    assert netra("events", "--region", "99.99", env_extra=env, check=False).returncode == 2


def test_bad_records_reported_rest_processed(db_url, tmp_path):
    env = {"NETRA_DATABASE_URL": db_url, "NETRA_DATA_DIR": str(tmp_path)}
    good = SEEDS.read_text().splitlines()[0]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "x", "text": \n' + good.encode() + b'\n{"id": "empty", "text": ""}\n\xff\xfe\n')
    proc = netra("ingest-text", str(path), env_extra=env, check=False)
    assert proc.returncode == 1
    assert "mixed.jsonl:1" in proc.stderr and "'empty'" in proc.stderr and "invalid UTF-8" in proc.stderr
    assert "1 stored" in proc.stderr
    rows = netra("events", "--format", "json", env_extra=env).stdout
    assert json.loads(rows.splitlines()[0])["doc_key"] == json.loads(good)["id"]


def test_unreachable_database_exits_3(tmp_path):
    proc = netra("events", env_extra={"NETRA_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/x"}, check=False)
    assert proc.returncode == 3 and "cannot connect" in proc.stderr


def test_db_commands(tmp_path):
    env = {"NETRA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    assert "0002" in netra("db", "upgrade", "0002", env_extra=env).stdout
    head = netra("db", "upgrade", env_extra=env).stdout
    assert "database at revision" in head
    current = netra("db", "current", env_extra=env).stdout
    assert current.split()[1] == current.split()[-1]


def test_events_table_prints_missing_values_as_blank(capsys):
    import pandas as pd

    from pipeline.cli.query import print_events_table

    frame = pd.DataFrame(
        [
            {
                "date": None,
                "type": "rakor",
                "regions": "13.72",
                "officials": float("nan"),
                "sanctions": None,
                "title": float("nan"),
                "doc_key": "doc-without-title",
            },
            {
                "date": "2024-07-17",
                "type": "sanction",
                "regions": None,
                "officials": "A (bupati)",
                "sanctions": "moral",
                "title": "Judul",
                "doc_key": "k2",
            },
        ]
    )
    print_events_table(frame)
    out = capsys.readouterr().out
    assert "doc-without-title" in out and "Judul" in out
    assert "nan" not in out.lower().replace("sanction", "")
