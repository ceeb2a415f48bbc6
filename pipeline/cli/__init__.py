"""The ``netra`` command line: a thin layer over the library.

Each command group lives in its own module with a ``register(app)`` function;
add a module to ``COMMAND_MODULES`` to add commands.

Exit codes: ``pipeline.runs.ExitCode`` (documented in the README).  Nothing below
``cli/`` imports ``cli/``; progress displays and tables live here (``cli/progress.py``).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipeline.logs import configure_logging, get_logger
from pipeline.runs import ExitCode
from pipeline.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from pipeline.store.db import Engine

COMMAND_MODULES = ["db", "text", "query", "nightly", "ops", "process", "crawl", "serve"]

app = typer.Typer(
    name="netra",
    help="Netra: events about the political neutrality of Indonesian civil servants, from regional news.",
    invoke_without_command=True,  # so that `netra --version` needs no command
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
    version: bool = typer.Option(False, "--version", is_eager=True, help="Print Netra's version and exit."),
) -> None:
    if version:
        typer.echo(f"netra {package_version()}")
        raise typer.Exit(ExitCode.OK)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(ExitCode.USAGE)
    level = -1 if quiet else verbose
    try:
        settings = load_settings(database_url=db, data_dir=data_dir, log_format=log_format)
    except SettingsError as exc:
        # Logging is not configured yet (its format is a setting): use the flag/env as given.
        configure_logging("json" if (log_format or os.environ.get("NETRA_LOG_FORMAT")) == "json" else "text", level)
        log.error("%s", exc)
        raise typer.Exit(ExitCode.USAGE) from None
    if settings.log_format not in ("text", "json"):
        configure_logging("text", level)
        log.error("--log-format must be text or json, not %r", settings.log_format)
        raise typer.Exit(ExitCode.USAGE)
    configure_logging(settings.log_format, level)
    ctx.obj = Context(settings=settings)


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("netra")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
        return "unknown (not installed)"


def settings_of(ctx: typer.Context) -> Settings:
    context: Context = ctx.obj
    return context.settings


def open_engine(ctx: typer.Context, migrate: bool = False) -> Engine:
    """The configured store, or exit with one clear line: 2 for a bad URL or a missing driver,
    3 when the store is unreachable, missing or at the wrong schema.

    Reading commands open it as it is (``migrate=False``: never created, never migrated);
    writing commands pass ``migrate=True`` (created if needed, pending migrations run).
    """
    from pipeline.store.db import StoreError, open_store

    try:
        return open_store(settings_of(ctx).db_url, migrate=migrate)
    except StoreError as exc:
        log.error("%s", exc)
        raise typer.Exit(exit_code_of(exc)) from None


def exit_code_of(exc: BaseException) -> ExitCode:
    from pipeline.store.db import StoreConfigError

    return ExitCode.USAGE if isinstance(exc, (StoreConfigError, SettingsError)) else ExitCode.FATAL


for _name in COMMAND_MODULES:
    importlib.import_module(f"pipeline.cli.{_name}").register(app)


def main() -> None:
    """The console script: a store error that escapes a command is one logged line and exit 2/3,
    never a traceback."""
    import logging

    from pipeline.store.db import StoreError

    try:
        app()
    except StoreError as exc:
        if not logging.getLogger().handlers:
            configure_logging(os.environ.get("NETRA_LOG_FORMAT") or "text")
        log.error("%s", exc)
        raise SystemExit(int(exit_code_of(exc))) from None
