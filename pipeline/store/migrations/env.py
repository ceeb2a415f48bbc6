"""Alembic environment: runs against the engine handed over by ``pipeline.store.db``."""

from alembic import context

from pipeline.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` CLI: take the URL from the settings
        from pipeline.settings import get_settings
        from pipeline.store.db import make_engine

        engine = make_engine(get_settings().db_url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER needs batch mode
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
