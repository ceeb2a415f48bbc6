"""Logging set-up for the command line: readable in a terminal, JSON lines for cron."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("run_id", "stage", "source", "url", "record"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def is_interactive() -> bool:
    return sys.stderr.isatty()


def configure_logging(log_format: str = "text", verbosity: int = 0) -> None:
    """``json``: one JSON object per line on stderr, warnings and up unless -v (quiet in cron).

    ``text``: rich output in a terminal, plain lines otherwise; info and up.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if log_format == "json":
        level = logging.WARNING if verbosity <= 0 else (logging.INFO if verbosity == 1 else logging.DEBUG)
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
    else:
        level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG if verbosity > 0 else logging.ERROR)
        if is_interactive():
            from rich.logging import RichHandler

            handler = RichHandler(show_path=False, rich_tracebacks=False, markup=False)
            handler.setFormatter(logging.Formatter("%(message)s"))
        else:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The handler filters too: Scrapy (and others) reset their loggers' levels when they start,
    # which would otherwise leak INFO chatter into cron mail.
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(level)
    # Third-party libraries are chatty at INFO.
    for noisy in ("scrapy", "twisted", "trafilatura", "htmldate", "alembic", "distributed", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
