"""All of Netra's settings, in one place.

Precedence (highest first): explicit arguments (CLI flags) > environment
variables (``NETRA_*``) > the config file (``NETRA_CONFIG`` or ``./netra.toml``)
> the defaults below.  Each pipeline stage has its own section, so a stage
reads ``settings.crawl`` or ``settings.extract`` and nothing else.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout the repository root holds models/ and data/.
REPO_DIR = PACKAGE_DIR.parent


@dataclass(frozen=True)
class CrawlSettings:
    sources_file: Path = REPO_DIR / "sources.yaml"
    user_agent: str = "NetraBot/0.1 (+https://github.com/netra-id/netra; research crawler for election-neutrality news)"
    contact_url: str = "https://github.com/netra-id/netra"
    download_delay: float = 1.0  # seconds between requests to one host, a floor for AutoThrottle
    concurrent_per_domain: int = 2
    download_timeout: float = 30.0
    max_response_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retry_times: int = 3
    retry_backoff: float = 2.0  # seconds; doubled per retry when the server sends no Retry-After
    retry_after_max: float = 600.0  # a longer Retry-After gives up on the URL for this run
    concurrent_requests: int = 32  # across all hosts
    warc_max_bytes: int = 1024 * 1024 * 1024  # rotate WARC files at this size
    max_attempts: int = 3  # runs in which a transiently failing URL is retried before it is given up
    # Group commit: fetched articles are fsynced and recorded together, every N items or S seconds.
    # A kill loses at most one batch of rows (their WARC records stay; the URLs are refetched).
    commit_batch_items: int = 100
    commit_batch_seconds: float = 1.0


@dataclass(frozen=True)
class ExtractSettings:
    languages: tuple[str, ...] = ("id",)
    max_page_bytes: int = 10 * 1024 * 1024
    timezone: str = "Asia/Jakarta"  # for publication times given without an offset
    dedup_window: int = 50_000  # most recent documents indexed for near-duplicate detection


@dataclass(frozen=True)
class NlpSettings:
    ner_model: Path = REPO_DIR / "models" / "ner-id"
    ner_backend: str = "spacy"  # "spacy" (models/ner-id) | "stanza" (models/stanza-id, the [stanza] extra)


@dataclass(frozen=True)
class Settings:
    data_dir: Path = REPO_DIR / "data"
    database_url: str | None = None  # default: SQLite file under data_dir
    log_format: str = "text"  # text | json
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'netra.db'}"


_ENV = {
    "NETRA_DATA_DIR": ("data_dir",),
    "NETRA_DATABASE_URL": ("database_url",),
    "NETRA_LOG_FORMAT": ("log_format",),
    "NETRA_SOURCES": ("crawl", "sources_file"),
    "NETRA_USER_AGENT": ("crawl", "user_agent"),
    "NETRA_NER_MODEL": ("nlp", "ner_model"),
    "NETRA_NER_BACKEND": ("nlp", "ner_backend"),
}


def _apply(obj: Any, values: dict[str, Any], where: str) -> Any:
    """Return a copy of dataclass ``obj`` with ``values`` applied (nested dicts recurse)."""
    known = {f.name: f for f in fields(obj)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"unknown setting {where}{key!r}")
        current = getattr(obj, key)
        if is_dataclass(current) and isinstance(value, dict):
            changes[key] = _apply(current, value, f"{where}{key}.")
        elif isinstance(current, Path) or known[key].type in ("Path", "Path | None"):
            changes[key] = Path(value).expanduser()
        elif isinstance(current, tuple):
            changes[key] = tuple(value)
        else:
            changes[key] = type(current)(value) if current is not None and not isinstance(value, type(current)) else value
    return replace(obj, **changes)


def _config_file() -> Path | None:
    explicit = os.environ.get("NETRA_CONFIG")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise FileNotFoundError(f"NETRA_CONFIG points to {path}, which does not exist")
        return path
    local = Path("netra.toml")
    return local if local.is_file() else None


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, config file, environment and ``overrides``."""
    settings = Settings()
    config = _config_file()
    if config is not None:
        with config.open("rb") as fh:
            settings = _apply(settings, tomllib.load(fh), f"{config}: ")
    env_values: dict[str, Any] = {}
    for var, path in _ENV.items():
        if var in os.environ and os.environ[var] != "":
            node = env_values
            for part in path[:-1]:
                node = node.setdefault(part, {})
            node[path[-1]] = os.environ[var]
    settings = _apply(settings, env_values, "environment: ")
    clean = {k: v for k, v in overrides.items() if v is not None}
    return _apply(settings, clean, "") if clean else settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
