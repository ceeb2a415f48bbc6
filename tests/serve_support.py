"""Helpers of the ``netra serve`` tests: a store filled through the real ingest path, a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

DEV_INPUT = FIXTURES / "gold" / "dev.input.jsonl"


@lru_cache(maxsize=1)
def _extractor() -> Any:
    from pipeline.events import EventExtractor

    return EventExtractor(use_ner=False)


def fill_store(url: str, path: Path = DEV_INPUT) -> None:
    """Migrate ``url`` and ingest ``path`` with the rule extractor, recorded as a nightly run."""
    from pipeline.runs.ingest import ingest_text
    from pipeline.store.db import open_store
    from pipeline.store.runs import RunRecorder

    engine = open_store(url, migrate=True)
    run = RunRecorder.start(engine, "nightly", {"input": path.name})
    summary = ingest_text(engine, path, _extractor(), run)
    run.finish()
    assert summary.ok and summary.events > 40, summary
    engine.dispose()


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
