"""The ``netra`` command line: a thin layer over the library.

Each command group lives in its own module with a ``register(app)`` function;
add a module to ``COMMAND_MODULES`` to add commands.

Exit codes: ``pipeline.runs.ExitCode`` (documented in the README).  Nothing below
``cli/`` imports ``cli/``; progress displays and tables live here (``cli/progress.py``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipeline.logs import configure_logging, get_logger
from pipeline.runs import ExitCode
from pipeline.settings import Settings, load_settings

if TYPE_CHECKING:
    from pipeline.store.db import Engine

COMMAND_MODULES = ["db", "text", "query", "nightly", "ops", "process", "crawl", "serve"]

app = typer.Typer(
    name="netra",
    help="Netra: events about the political neutrality of Indonesian civil servants, from regional news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

log = get_logger("netra")


@dataclass
class Context:
    settings: Settings


@app.callback()
def _global(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", envvar="NETRA_DATABASE_URL", help="Database URL (default: SQLite under the data dir)."
    ),
    data_dir: Path = typer.Option(
        None, "--data-dir", envvar="NETRA_DATA_DIR", help="Data directory (raw/, processed/)."
    ),
    log_format: str = typer.Option(
        None, "--log-format", envvar="NETRA_LOG_FORMAT", help="text | json (json: quiet unless something is wrong)."
    ),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only warnings and errors."),
) -> None:
    settings = load_settings(database_url=db, data_dir=data_dir, log_format=log_format)
    if settings.log_format not in ("text", "json"):
        raise typer.BadParameter(f"--log-format must be text or json, not {settings.log_format!r}")
    configure_logging(settings.log_format, -1 if quiet else verbose)
    ctx.obj = Context(settings=settings)


def settings_of(ctx: typer.Context) -> Settings:
    context: Context = ctx.obj
    return context.settings


def open_engine(ctx: typer.Context) -> Engine:
    """Open (and migrate) the configured store, or exit 3 with a clear message."""
    from pipeline.store.db import StoreError, open_store

    try:
        return open_store(settings_of(ctx).db_url)
    except StoreError as exc:
        log.error("%s", exc)
        raise typer.Exit(ExitCode.FATAL) from exc


for _name in COMMAND_MODULES:
    importlib.import_module(f"pipeline.cli.{_name}").register(app)


def main() -> None:
    app()
