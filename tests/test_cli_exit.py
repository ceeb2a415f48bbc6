"""Issue 18: configuration, URL, driver and schema errors are one clean line and exit 2 or 3
(never 1, never a traceback); reading never creates or migrates a store; small CLI promises
(``--version``, ``extract-text -``, BOM input, ``db downgrade -1``).  The real CLI, in a subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

SEEDS = FIXTURES / "gold" / "seeds.input.jsonl"


def netra(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None):
    full = {**os.environ, "NETRA_LOG_FORMAT": "text", **(env or {})}
    for var in ("NETRA_CONFIG", "NETRA_DATABASE_URL", "NETRA_DATA_DIR"):
        if var not in (env or {}):
            full.pop(var, None)
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        input=stdin,
        timeout=600,
    )


def clean_failure(proc: subprocess.CompletedProcess, code: int, *needles: str, json_lines: bool = False) -> str:
    assert proc.returncode == code, f"exit {proc.returncode}, want {code}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr  # one line, not a log and its echo
    if json_lines:
        record = json.loads(lines[0])
        assert record["level"] == "error"
        message = record["msg"]
    else:
        message = lines[0]
    for needle in needles:
        assert needle in message, message
    return message


# -- configuration errors: exit 2 ------------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["nightly", "--stages", "export"], ["events"]])
def test_typo_in_netra_toml_exits_2(tmp_path, command):
    (tmp_path / "netra.toml").write_text("[crawl]\ndownload_dely = 2\n", encoding="utf-8")
    proc = netra("--log-format", "json", *command, cwd=tmp_path)
    clean_failure(proc, 2, "crawl.download_dely", "unknown setting", json_lines=True)


def test_broken_toml_exits_2(tmp_path):
    (tmp_path / "netra.toml").write_text("data_dir = [\n", encoding="utf-8")
    clean_failure(netra("status", cwd=tmp_path), 2, "netra.toml", "not valid TOML")


def test_missing_netra_config_file_exits_2(tmp_path):
    proc = netra("--log-format", "json", "nightly", env={"NETRA_CONFIG": str(tmp_path / "nope.toml")})
    clean_failure(proc, 2, "nope.toml", "does not exist", json_lines=True)


@pytest.mark.parametrize("command", [["status"], ["nightly", "--stages", "export"], ["ingest-text", str(SEEDS)]])
def test_malformed_database_url_exits_2_password_masked(command):
    proc = netra("--log-format", "json", "--db", "postgresql://netra:s3cret@db:port/netra", *command)
    message = clean_failure(proc, 2, "malformed database URL", json_lines=True)
    assert "s3cret" not in proc.stderr, message


def test_missing_driver_exits_2():
    proc = netra("--db", "mysql://netra@db/netra", "status")
    clean_failure(proc, 2, "needs the driver", "not installed")
    proc = netra("--log-format", "json", "--db", "postgresql+nosuchdriver://x@db/netra", "nightly")
    clean_failure(proc, 2, "unknown database dialect or driver", json_lines=True)


def test_bad_log_format_exits_2():
    clean_failure(netra("--log-format", "xml", "status"), 2, "--log-format must be text or json")


# -- schema errors: exit 3 -------------------------------------------------------------------------


def _stamp(db: Path, revision: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_schema_too_new_exits_3_for_readers_and_writers(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("--data-dir", str(tmp_path), "db", "upgrade").returncode == 0
    _stamp(db, "9999")
    for command in (["status"], ["events"], ["nightly", "--stages", "export"]):
        proc = netra("--log-format", "json", "--data-dir", str(tmp_path), *command)
        clean_failure(proc, 3, "schema revision 9999", "newer Netra", json_lines=True)
    with sqlite3.connect(db) as conn:  # nobody "migrated" it
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]


# -- reading never creates nor migrates ------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["events"], ["export"], ["serve", "--port", "0"]])
def test_reading_a_missing_database_is_an_error_and_creates_nothing(tmp_path, command):
    proc = netra("--data-dir", str(tmp_path / "data"), *command)
    clean_failure(proc, 3, str(tmp_path / "data" / "netra.db"), "netra db upgrade")
    assert not (tmp_path / "data").exists()


def test_reading_an_old_schema_does_not_migrate(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("--data-dir", str(tmp_path), "db", "upgrade").returncode == 0
    down = netra("--data-dir", str(tmp_path), "db", "downgrade", "-1")  # the help's own example
    assert down.returncode == 0, down.stderr
    with sqlite3.connect(db) as conn:
        old = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    for command in (["status"], ["events"], ["export"]):
        clean_failure(netra("--data-dir", str(tmp_path), *command), 3, f"revision {old}", "netra db upgrade")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == old
    # a writing command migrates
    assert netra("--data-dir", str(tmp_path), "nightly", "--stages", "export").returncode == 0
    assert netra("--data-dir", str(tmp_path), "status").returncode == 0


def test_library_open_store_reads_without_creating(tmp_path):
    """The README's snippet run outside the repo root: an error naming the path, no empty database."""
    code = (
        "from pipeline.store.db import StoreError, open_store\n"
        "try:\n"
        "    open_store('sqlite:///data/demo/netra.db')\n"
        "except StoreError as exc:\n"
        "    print('ERROR', exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.stdout.startswith("ERROR no database at"), proc.stdout + proc.stderr
    assert str(tmp_path / "data" / "demo" / "netra.db") in proc.stdout
    assert not (tmp_path / "data").exists()


def test_writing_command_creates_and_migrates(tmp_path):
    proc = netra("--data-dir", str(tmp_path / "d"), "ingest-text", str(SEEDS))
    assert proc.returncode == 0, proc.stderr
    assert netra("--data-dir", str(tmp_path / "d"), "events", "--format", "csv").stdout.count("\n") > 1


# -- db commands, --version, stdin, BOM -------------------------------------------------------------


def test_db_upgrade_bogus_revision_is_a_clean_error(tmp_path):
    proc = netra("--data-dir", str(tmp_path), "db", "upgrade", "bogus")
    clean_failure(proc, 2, "bogus", "Can't locate revision")


def test_db_downgrade_relative_and_back(tmp_path):
    assert netra("--data-dir", str(tmp_path), "db", "upgrade").returncode == 0
    head = netra("--data-dir", str(tmp_path), "db", "current").stdout.split()[-1]
    down = netra("--data-dir", str(tmp_path), "db", "downgrade", "-1")
    assert down.returncode == 0, down.stderr
    assert head not in down.stdout
    up = netra("--data-dir", str(tmp_path), "db", "upgrade", "+1")
    assert up.returncode == 0 and up.stdout.strip().endswith(head), up.stdout + up.stderr


def test_version():
    from importlib.metadata import version

    proc = netra("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"netra {version('netra')}", proc.stdout + proc.stderr


def test_extract_text_reads_stdin_and_a_bom_file(tmp_path):
    lines = SEEDS.read_text(encoding="utf-8").splitlines()[:2]
    proc = netra("extract-text", "-", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == [json.loads(x)["id"] for x in lines]
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
    proc = netra("extract-text", str(bom))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 2


def test_read_jsonl_accepts_a_bom(tmp_path):
    from pipeline.jsonl import read_jsonl

    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n{"id": "b"}\n')
    assert [r["id"] for r in read_jsonl(path)] == ["a", "b"]


def test_unreadable_warc_is_quoted_short_and_escaped(tmp_path):
    from pipeline.extract.warc import ReadFailure, iter_warc

    bad = tmp_path / "bad.warc"
    bad.write_bytes(bytes(range(256)) * 12)
    failures = [x for x in iter_warc(bad) if isinstance(x, ReadFailure)]
    assert len(failures) == 1
    assert (len(failures[0].error) < 160 and failures[0].error.isascii()) or "…" in failures[0].error
    assert "\x00" not in failures[0].error and "\x1b" not in failures[0].error
