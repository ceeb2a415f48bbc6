"""``netra serve`` as a user runs it: a subprocess, a real port, read-only, 127.0.0.1 by default."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _netra(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NETRA_LOG_FORMAT": "text"}
    env.pop("NETRA_CONFIG", None)
    env.pop("NETRA_DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on ``port`` (Linux /proc/net/tcp, IPv4)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_missing_database_exits_3_and_creates_nothing(tmp_path):
    proc = _netra("--data-dir", str(tmp_path / "data"), "serve")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3
    assert "no database at" in err and "Traceback" not in err
    assert not (tmp_path / "data").exists()


def test_serve_binds_loopback_and_answers(tmp_path):
    from pipeline.store.db import open_store

    url = f"sqlite:///{tmp_path / 'netra.db'}"
    open_store(url, migrate=True).dispose()  # an empty, migrated store
    port = _free_port()
    proc = _netra("--db", url, "serve", "--port", str(port))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                    body = json.loads(response.read())
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"netra serve did not come up: {proc.communicate(timeout=5)}") from None
                time.sleep(0.3)
        assert body["status"] == "ok" and body["store"]["events"] == 0 and body["last_nightly"] is None
        if Path("/proc/net/tcp").exists():
            assert _listening_addresses(port) == {"127.0.0.1"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert b"Netra" in response.read()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err
    assert "read-only" in err


@pytest.mark.postgres
def test_serve_on_postgres_refuses_an_unreachable_server():
    proc = _netra("--db", "postgresql://postgres@127.0.0.1:1/none", "serve")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3 and "cannot read the store" in err and "Traceback" not in err
