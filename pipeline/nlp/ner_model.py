"""Load the project's Indonesian NER pipeline (``models/ner-id``).

The pipeline is a plain spaCy pipeline (tok2vec + ner, labels PER/ORG/LOC);
``spacy.load("models/ner-id")`` works too.  This helper resolves the path
relative to the repository, caches the loaded pipeline and gives a clear error
when the model is missing.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from spacy.language import Language

from pipeline.logs import get_logger
from pipeline.settings import REPO_DIR, bundled_path, load_settings

log = get_logger(__name__)

DEFAULT_MODEL_DIR = bundled_path("models/ner-id")

_cache: dict[Path, Language] = {}
_lock = threading.Lock()


class NerModelMissing(FileNotFoundError):
    """The NER model folder does not exist or is not a spaCy pipeline."""


def default_model_path() -> Path:
    """Settings ``nlp.ner_model`` (``NETRA_NER_MODEL`` > config file > ``models/ner-id``), read now."""
    try:
        return load_settings().nlp.ner_model
    except Exception as exc:  # pragma: no cover - a broken config must not hide the model
        log.warning("settings unavailable (%s); using %s", exc, DEFAULT_MODEL_DIR)
        return DEFAULT_MODEL_DIR


def resolve_model_path(path: str | os.PathLike[str] | None = None) -> Path:
    p = Path(path) if path is not None else default_model_path()
    if not p.is_absolute() and not p.exists():
        p = REPO_DIR / p
    return p.resolve()


def _check_model_dir(p: Path) -> None:
    if not (p / "config.cfg").is_file() or not (p / "meta.json").is_file():
        raise NerModelMissing(
            f"NER model not found at {p}. It ships in the repository as models/ner-id; "
            "rebuild it with `make train-ner` (needs the NER corpora, see docs/ner.md)."
        )


def ner_version(path: str | os.PathLike[str] | None = None) -> str:
    """The model's version from its ``meta.json``, without loading it (raises NerModelMissing)."""
    import json

    p = resolve_model_path(path)
    _check_model_dir(p)
    return str(json.loads((p / "meta.json").read_text(encoding="utf-8")).get("version", "?"))


def load_ner(path: str | os.PathLike[str] | None = None, cached: bool = True) -> Language:
    """Return the spaCy NER pipeline (shared per process unless ``cached=False``: a caller that
    adds components to it needs its own copy).

    ``path`` defaults to ``models/ner-id`` in the repository.  Raises
    :class:`NerModelMissing` with a hint when the folder is absent.
    """
    p = resolve_model_path(path)
    with _lock:
        nlp = _cache.get(p) if cached else None
        if nlp is not None:
            return nlp
        _check_model_dir(p)
        import spacy

        nlp = spacy.load(p)
        log.info("loaded NER model %s (%s %s)", p, nlp.meta.get("name"), nlp.meta.get("version"))
        if cached:
            _cache[p] = nlp
        return nlp


def persons(text: str, nlp: Language | None = None) -> list[str]:
    """Convenience: the PER entity texts of ``text``."""
    nlp = nlp or load_ner()
    return [e.text for e in nlp(text).ents if e.label_ == "PER"]
