"""``netra serve``: a read-only JSON/CSV API over the store and the NGO dashboard (``/``).

``create_app(engine)`` builds the FastAPI application; ``pipeline.cli.serve`` runs it with uvicorn.
All SQL is in ``pipeline.store.serving``.
"""

from pipeline.serve.app import create_app

__all__ = ["create_app"]
