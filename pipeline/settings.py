"""All of Netra's settings, in one place (pydantic-settings).

Precedence (highest first): explicit arguments (CLI flags) > environment
variables (``NETRA_*``) > the config file (``NETRA_CONFIG`` or ``./netra.toml``)
> the defaults below.  Each pipeline stage has its own section, so a stage
reads ``settings.crawl`` or ``settings.extract`` and nothing else.

Environment names: every field is ``NETRA_<FIELD>`` at the top level and
``NETRA_<SECTION>__<FIELD>`` in a section (``NETRA_CRAWL__DOWNLOAD_DELAY=2``);
the short names documented in the README (``NETRA_SOURCES``, ``NETRA_USER_AGENT``,
``NETRA_NER_MODEL``, ``NETRA_NER_DATA``, ``NETRA_REGIONS_DATA``) are kept in
``SHORT_ENV_NAMES``.  An unknown key in the config file is an error naming it.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

if TYPE_CHECKING:
    from pipeline.incidents.settings import LinkSettings

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout the repository root holds models/, data/ and tests/ (the one definition).
REPO_DIR = PACKAGE_DIR.parent
# Installed from a wheel there is no repository root: setup.py copies models/ner-id,
# models/stanza-id and sources.yaml into the package, under pipeline/bundled/.
BUNDLED_DIR = PACKAGE_DIR / "bundled"


def bundled_path(relative: str) -> Path:
    """A file shipped with Netra (``models/ner-id``, ``sources.yaml``, ...): the wheel's copy
    under ``pipeline/bundled/`` when installed, else the source checkout's."""
    installed = BUNDLED_DIR / relative
    return installed if installed.exists() else REPO_DIR / relative


def default_data_dir() -> Path:
    """``./data`` of the current directory (absolute): the checkout's ``data/`` when run from its
    root, ``/srv/netra/data`` for the deploy/ units (WorkingDirectory=/srv/netra); never a
    directory inside the installed package."""
    return Path.cwd() / "data"


ENV_PREFIX = "NETRA_"
CONFIG_ENV = "NETRA_CONFIG"

# A path from a file or the environment: ``~`` expanded.
UserPath = Annotated[Path, AfterValidator(lambda p: p.expanduser())]


class SettingsError(ValueError):
    """Invalid settings; the message names each offending key and where settings come from."""


class Section(BaseModel):
    """A settings section: unknown keys are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CrawlSettings(Section):
    sources_file: UserPath = bundled_path("sources.yaml")
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
    # An HTTP proxy for every crawl request (e.g. http://proxy.internal:3128); None: direct.
    # The demo serves its fake network behind one, so its URLs need no port (stable URL keys).
    proxy: str | None = None


class ExtractSettings(Section):
    languages: tuple[str, ...] = ("id",)
    max_page_bytes: int = 10 * 1024 * 1024
    timezone: str = "Asia/Jakarta"  # for publication times given without an offset
    dedup_window: int = 50_000  # most recent documents indexed for near-duplicate detection


class NlpSettings(Section):
    ner_model: UserPath = bundled_path("models/ner-id")
    # Events without an NER (rules only: fewer officials) only when asked for (--no-ner,
    # NETRA_NLP__USE_NER=false); a missing model is otherwise an error, never a silent fallback.
    use_ner: bool = True
    # "spacy" (models/ner-id) | "stanza" (models/stanza-id, needs the [stanza] extra)
    ner_backend: Literal["spacy", "stanza"] = "spacy"
    # the learned components of the events pipeline (make train-events, docs/events.md)
    events_model: UserPath = bundled_path("models/events-learned")
    # Training tools only (make train-ner): the NER corpora and the gazetteer for silver sentences.
    ner_data: UserPath = REPO_DIR.parent / "shared" / "data" / "ner"
    regions_data: UserPath | None = None  # default: ../shared/data/regions, else the bundled gazetteer


def _one_family_per_type(families: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    seen: dict[str, int] = {}
    for index, family in enumerate(families):
        if not family:
            raise ValueError(f"family {index} is empty: list at least one event type")
        for event_type in family:
            if event_type in seen:
                raise ValueError(
                    f"event type {event_type!r} is in families {seen[event_type]} and {index}: one family per type"
                )
            seen[event_type] = index
    return families


class IncidentSettings(Section):
    """Thresholds and weights of incident linking (``[incidents]`` of netra.toml, ``NETRA_INCIDENTS__*``).

    The fields, their meaning and their defaults are those of ``pipeline.incidents.LinkSettings`` (fitted on the
    training gold, docs/incidents.md); this section validates them and :meth:`link_settings` hands them to the
    linker. Changing any of them changes the linker version stored with each new membership.
    """

    link_threshold: float = Field(0.5, ge=0)
    text_analyzer: Literal["word", "char_wb"] = "word"
    text_weight: float = Field(1.0, ge=0)
    region_weight: float = Field(0.2, ge=0)
    region_nested_credit: float = Field(0.5, ge=0, le=1)
    official_weight: float = Field(0.2, ge=0)
    min_text_similarity: float = Field(0.1, ge=0, le=1)
    same_type_weight: float = Field(0.1, ge=0)
    date_weight: float = Field(0.1, ge=0)
    date_slack_days: int = Field(1, ge=0)
    undated_window_days: int = Field(7, ge=0)
    max_span_days: int = Field(62, ge=1)
    bucket_days: int = Field(7, ge=1)
    min_name_token: int = Field(4, ge=1)
    undated_link: bool = True
    conflicting_date_min_text: float = Field(0.3, ge=0)  # above 1: never
    type_families: Annotated[tuple[tuple[str, ...], ...], AfterValidator(_one_family_per_type)] = (
        ("rakor", "pledge", "directive", "socialization", "monitoring"),
        ("violation",),
        ("sanction",),
    )
    separate_sanction_status: bool = True

    def link_settings(self) -> LinkSettings:
        """The linker's settings (a frozen dataclass: the linker library does not depend on pydantic)."""
        from pipeline.incidents.settings import LinkSettings

        return LinkSettings(**self.model_dump())


def configured_link_settings() -> LinkSettings:
    """The linking settings of the configuration (file, environment), for callers given none explicitly."""
    return get_settings().incidents.link_settings()


# Short environment names kept from before the sections existed: variable -> (section, field).
SHORT_ENV_NAMES: dict[str, tuple[str, str]] = {
    "NETRA_SOURCES": ("crawl", "sources_file"),
    "NETRA_USER_AGENT": ("crawl", "user_agent"),
    "NETRA_NER_MODEL": ("nlp", "ner_model"),
    "NETRA_NER_BACKEND": ("nlp", "ner_backend"),
    "NETRA_EVENTS_MODEL": ("nlp", "events_model"),
    "NETRA_NER_DATA": ("nlp", "ner_data"),
    "NETRA_REGIONS_DATA": ("nlp", "regions_data"),
}


class _ShortEnvSource(PydanticBaseSettingsSource):
    """The short names of ``SHORT_ENV_NAMES``, as nested values (empty values are ignored)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:  # pragma: no cover
        return None, field_name, False  # unused: __call__ returns the whole mapping

    def __call__(self) -> dict[str, Any]:
        values: dict[str, dict[str, str]] = {}
        for var, (section, name) in SHORT_ENV_NAMES.items():
            value = os.environ.get(var)
            if value:
                values.setdefault(section, {})[name] = value
        return values


def config_file() -> Path | None:
    """``NETRA_CONFIG`` (which must exist: a ``SettingsError`` otherwise), else ``./netra.toml`` if present."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SettingsError(f"{CONFIG_ENV} points to {path}, which does not exist (or is not a file)")
        return path
    local = Path("netra.toml")
    return local if local.is_file() else None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
    )

    data_dir: UserPath = Field(default_factory=default_data_dir)
    database_url: str | None = None  # default: SQLite file under data_dir
    log_format: str = "text"  # text | json (checked by the CLI, which owns the usage error)
    crawl: CrawlSettings = CrawlSettings()
    extract: ExtractSettings = ExtractSettings()
    nlp: NlpSettings = NlpSettings()
    incidents: IncidentSettings = IncidentSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Highest first: flags, NETRA_* (long names, then short ones), the TOML file; defaults last.
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, _ShortEnvSource(settings_cls)]
        path = config_file()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    @property
    def export_dir(self) -> Path:
        return self.processed_dir / "exports"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'netra.db'}"

    def with_crawl(self, **changes: Any) -> Settings:
        """A copy with ``crawl`` fields changed (e.g. ``sources_file`` from a command's flag)."""
        return self.model_copy(update={"crawl": self.crawl.model_copy(update=changes)})


def _describe(exc: ValidationError) -> str:
    path = config_file()
    origin = f"config file {path}, " if path else ""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {'unknown setting' if e['type'] == 'extra_forbidden' else e['msg']}"
        for e in exc.errors()
    )
    return f"invalid settings ({origin}{ENV_PREFIX}* environment or flags): {problems}"


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, config file, environment and ``overrides`` (None = not given)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {config_file()}: not valid TOML: {exc}") from None
    except OSError as exc:  # the config file exists but cannot be read
        raise SettingsError(f"cannot read the config file: {exc}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
