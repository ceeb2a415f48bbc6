"""``netra db``: schema migrations (the only commands besides the writing ones that change the schema)."""

from __future__ import annotations

import typer

# Relative revisions such as ``-1`` look like options to click: let them through as arguments.
REVISION_ARGS = {"ignore_unknown_options": True}


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade", context_settings=REVISION_ARGS)
    def upgrade(
        ctx: typer.Context, revision: str = typer.Argument("head", help="head (default), a revision id, or +1")
    ) -> None:
        """Migrate the database to REVISION (default: the latest); creates the database if needed."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url)
        store.upgrade(engine, revision)
        typer.echo(f"database at revision {store.current_revision(engine)}")

    @db.command("downgrade", context_settings=REVISION_ARGS)
    def downgrade(ctx: typer.Context, revision: str = typer.Argument(..., help="e.g. -1, or a revision id")) -> None:
        """Migrate the database down to REVISION (e.g. `netra db downgrade -1`)."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url, create=False)
        store.downgrade(engine, revision)
        typer.echo(f"database at revision {store.current_revision(engine)}")

    @db.command("current")
    def current(ctx: typer.Context) -> None:
        """Show the database's revision and the code's head revision."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url, create=False)
        typer.echo(f"database: {store.current_revision(engine)}  code head: {store.head_revision()}")
