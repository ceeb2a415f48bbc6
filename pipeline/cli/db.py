"""``netra db``: schema migrations."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    db = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade")
    def upgrade(ctx: typer.Context, revision: str = typer.Argument("head")) -> None:
        """Migrate the database to REVISION (default: the latest)."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url)
        store.upgrade(engine, revision)
        typer.echo(f"database at revision {store.current_revision(engine)}")

    @db.command("downgrade")
    def downgrade(ctx: typer.Context, revision: str = typer.Argument(..., help="e.g. -1, or a revision id")) -> None:
        """Migrate the database down to REVISION."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url)
        store.downgrade(engine, revision)
        typer.echo(f"database at revision {store.current_revision(engine)}")

    @db.command("current")
    def current(ctx: typer.Context) -> None:
        """Show the database's revision and the code's head revision."""
        from pipeline.cli import settings_of
        from pipeline.store import db as store

        engine = store.make_engine(settings_of(ctx).db_url)
        typer.echo(f"database: {store.current_revision(engine)}  code head: {store.head_revision()}")
