"""``netra serve``: the read-only API and dashboard over the configured store."""

from __future__ import annotations

import typer

from pipeline.logs import get_logger

log = get_logger("netra.serve")


def register(app: typer.Typer) -> None:
    from pipeline.cli import settings_of
    from pipeline.runs import ExitCode

    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
        port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port (0: any free port)."),
    ) -> None:
        """Serve the JSON/CSV API (/api, OpenAPI at /docs) and the dashboard (/) read-only over the store."""
        import uvicorn

        from pipeline.serve import create_app
        from pipeline.store.db import StoreError, display_url
        from pipeline.store.serving import open_readonly

        settings = settings_of(ctx)
        try:
            engine = open_readonly(settings.db_url)
        except StoreError as exc:
            log.error("%s", exc)
            raise typer.Exit(ExitCode.FATAL) from exc
        shown = display_url(settings.db_url)
        typer.echo(
            f"netra serve: {shown} (read-only) on http://{host}:{port}/  (API docs: /docs; Ctrl-C stops)", err=True
        )
        uvicorn.run(create_app(engine), host=host, port=port, log_level="warning", access_log=False)
