"""Logging: one logger tree under ``netra``, readable in a terminal, JSON lines for cron.

Library modules take their logger with ``get_logger(__name__)`` (``pipeline.crawl.state``
logs as ``netra.crawl.state``), so one ``logging.getLogger("netra")`` covers Netra.
Third-party libraries that chat at INFO are listed once, in ``NOISY_LOGGERS``.
"""

from __future__ import annotations

import json
import logging
import sys
import warnings
from datetime import UTC, datetime

ROOT = "netra"

# Third-party loggers kept to warnings and up (and their deprecation warnings dropped).
NOISY_LOGGERS = (
    "scrapy",
    "twisted",
    "py.warnings",
    "trafilatura",
    "htmldate",
    "alembic",
    "distributed",
    "urllib3",
    "filelock",
)


def get_logger(module: str) -> logging.Logger:
    """The logger of a module of the package: ``pipeline.x.y`` -> ``netra.x.y``."""
    if module == "pipeline" or module.startswith("pipeline."):
        module = ROOT + module.removeprefix("pipeline")
    elif module != ROOT and not module.startswith(ROOT + "."):
        module = f"{ROOT}.{module}"
    return logging.getLogger(module)


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


def quote_damaged(text: str | bytes, limit: int = 120) -> str:
    """Damaged input as a log may show it: escaped (no raw control bytes or binary on a terminal
    or in cron mail) and cut to about ``limit`` characters."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    escaped = text.encode("unicode_escape").decode("ascii")
    return escaped if len(escaped) <= limit else escaped[:limit] + f"… ({len(escaped) - limit} more)"


def is_interactive() -> bool:
    return sys.stderr.isatty()


def configure_logging(log_format: str = "text", verbosity: int = 0) -> None:
    """``json``: one JSON object per line on stderr, warnings and up unless -v (quiet in cron).

    ``text``: rich output in a terminal, plain lines otherwise; info and up.
    """
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    handler: logging.Handler
    if log_format == "json":
        level = logging.WARNING if verbosity <= 0 else (logging.INFO if verbosity == 1 else logging.DEBUG)
        handler = logging.StreamHandler(sys.stderr)
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
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


# Scrapy logs a robots.txt download error with its traceback, then lets the waiting request
# go on: that request fails the same way and the spider reports it (one WARNING per URL), so
# the robots record is a second report of one failure, kept for -v only.
_REPORTED_AGAIN = ("scrapy.downloadermiddlewares.robotstxt",)


def fold_exception(record: logging.LogRecord, limit: int = 300) -> None:
    """A third-party record with a traceback as one line at most at WARNING: its message, the
    exception's type and message; the traceback goes (it is shown at -v, DEBUG)."""
    exc = record.exc_info[1] if record.exc_info else None
    message = record.getMessage()
    if exc is not None:
        detail = f"{type(exc).__name__}: {exc}"
        message = f"{message} [{type(exc).__name__}]" if str(exc) and str(exc) in message else f"{message} ({detail})"
    message = " ".join(message.split())
    record.msg = message if len(message) <= limit else message[:limit] + "…"
    record.args = None
    record.exc_info = None
    record.exc_text = None
    record.stack_info = None
    if record.levelno > logging.WARNING:
        record.levelno, record.levelname = logging.WARNING, "WARNING"


class _QuietThirdParty(logging.Filter):
    """Drop third-party records below WARNING (and their deprecation warnings); fold the
    tracebacks of the others into one line (``fold_exception``).

    Scrapy resets the levels of its loggers when a crawl starts, so the levels set by
    ``configure_logging`` do not hold; a filter on the root handlers does.  Not installed at
    DEBUG (-v in text mode, -vv in JSON), where everything shows with its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(NOISY_LOGGERS):
            if record.name.startswith(_REPORTED_AGAIN) and record.exc_info:
                return False
            if record.levelno < logging.WARNING:
                return False
            if record.name == "py.warnings" and "Deprecat" in record.getMessage():
                return False
            if record.exc_info or record.exc_text:
                fold_exception(record)
        return True


def quiet_third_party_logging() -> None:
    """Keep cron output to what matters: our warnings/errors and third-party ones (not their chatter)."""
    root = logging.getLogger()
    if root.isEnabledFor(logging.DEBUG):
        return  # -vv: everything
    logging.captureWarnings(True)  # warnings become log records: JSON lines in json mode
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    for handler in root.handlers:
        handler.setLevel(max(handler.level, root.level))  # records propagated from reset loggers too
        if not any(isinstance(f, _QuietThirdParty) for f in handler.filters):
            handler.addFilter(_QuietThirdParty())
