"""The event lexicon: the vocabulary of the rules, as YAML files a linguist can edit.

One file per word class (``event_cues.yml``, ``titles.yml``, ``calendar.yml`` …) in this
directory.  Each file maps list names to either a list of entries or a mapping of groups
(an event type, an office, a sanction kind, a month number …) to lists of entries.  An entry
is a word or phrase (lower case; phrases match token by token) or a mapping
``{term: …, <attribute>: …}`` for entries with flags (``strong: true``) or values
(``office: bupati``).

:func:`load` reads and validates every file once at start-up (:data:`SPECS` says what each
file must hold).  A duplicate entry, a cue listed under two types, an unknown group or
attribute value (checked against the output schema in :mod:`pipeline.schema`) or a missing
list raises :class:`LexiconError` naming the file, the line and the entry.
:func:`content_hash` fingerprints the files for the pipeline version: any edit re-extracts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import get_args

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.schema import Acting, ElectionKind, EventType, Office, Role, SanctionKind, Subject

LEXICON_DIR = Path(__file__).resolve().parent
SUFFIX = ".yml"

AttrValue = str | bool | int | None


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file, the line and the entry."""

    def __init__(self, path: Path, line: int, entry: str, problem: str) -> None:
        super().__init__(f"{path.name}:{line}: {entry!r}: {problem}")
        self.path = path
        self.line = line
        self.entry = entry
        self.problem = problem


@dataclass(frozen=True)
class ListSpec:
    """What one list of a file holds.

    ``groups``: None for a flat list; a tuple of allowed group names; or ``int`` for numbered
    groups (months, number words).  ``attrs``: attribute name -> allowed values (``bool`` for a
    flag).  ``exclusive``: an entry may sit in one group only (a cue of two types contradicts)."""

    groups: tuple[str, ...] | type[int] | None = None
    attrs: Mapping[str, tuple[AttrValue, ...] | type[bool]] = field(default_factory=dict)
    exclusive: bool = False


def _values(literal: object) -> tuple[str, ...]:
    return tuple(str(v) for v in get_args(literal))


_FLAT = ListSpec()
_LEVELS: tuple[AttrValue, ...] = ("province", "kabupaten", "kota", "kecamatan", "village", "body", "any", None)
_REGION_LEVELS = ("province", "kabupaten", "kota", "kecamatan")

SPECS: dict[str, dict[str, ListSpec]] = {
    "event_cues": {
        "types": ListSpec(_values(EventType), {"strong": bool}, exclusive=True),
        "exhortations": _FLAT,
        "subjects": ListSpec(_values(Subject), exclusive=True),
        "neutrality": _FLAT,
        "other_neutrality": _FLAT,
        "election": _FLAT,
        "off_topic": _FLAT,
        "violation": _FLAT,
        "supervisors": _FLAT,
    },
    "clause_markers": dict.fromkeys(
        (
            "hypothetical",
            "future",
            "regulation",
            "documents",
            "perfective",
            "exhortation_modals",
            "deontic",
            "addressees",
            "purpose",
            "cases",
            "issue_verbs",
            "supervisors",
            "discipline_bodies",
            "recommend",
        ),
        _FLAT,
    ),
    "calendar": {"months": ListSpec(int, exclusive=True), "weekdays": ListSpec(int, exclusive=True)},
    "speech": {
        "verbs": ListSpec(attrs={"press": bool, "speaker": bool, "before_name": bool, "after_name": bool}),
    },
    "titles": {
        "acting": ListSpec(_values(Acting), exclusive=True),
        "offices": ListSpec(attrs={"office": _values(Office), "level": _LEVELS}),
        "bawaslu_bodies": _FLAT,
        "ranks": _FLAT,
        "degrees": _FLAT,
        "body_words": _FLAT,
        "place_before_title": _FLAT,
        "name_stop": _FLAT,
    },
    "officials": {
        "not_name": _FLAT,
        "org_words": _FLAT,
        "connectors": _FLAT,
        "name_before": _FLAT,
        "passing": _FLAT,
        "nickname": _FLAT,
        "roles": ListSpec(tuple(r for r in _values(Role) if r != "speaker")),
        "level_words": ListSpec(_REGION_LEVELS, exclusive=True),
    },
    "dates": dict.fromkeys(("happenings", "future", "bounds", "handling", "election_day"), _FLAT),
    "sanctions": {
        "kinds": ListSpec(_values(SanctionKind), exclusive=True),
        "standalone_generic": _FLAT,
        "consists_of": _FLAT,
        "recommend": _FLAT,
        "lists": _FLAT,
        "modal": _FLAT,
        "imposed": _FLAT,
        "status": ListSpec(("sanctioned", "recommended", "reported", "found")),
    },
    "counts": {
        "numbers": ListSpec(int, exclusive=True),
        "who": ListSpec(_values(Subject), exclusive=True),
        "who_next": ListSpec(("kepala", "perangkat", "anggota")),
    },
    "elections": {
        "kinds": ListSpec((*_values(ElectionKind), "_org"), exclusive=True),
        "skip_before_year": _FLAT,
        "coordinators": _FLAT,
    },
    "regions": {
        "level_cues": ListSpec(_REGION_LEVELS, exclusive=True),
        "article_cues": ListSpec(_REGION_LEVELS),
        "kecamatan_prefixes": _FLAT,
        "kecamatan_actors": _FLAT,
        "street_words": _FLAT,
    },
    "sentences": {"abbreviations": _FLAT},
    "boilerplate": {"line_starts": _FLAT, "related_headers": _FLAT, "inline": _FLAT},
}


@dataclass(frozen=True)
class Entry:
    term: str
    line: int
    attrs: Mapping[str, AttrValue] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        return self.attrs.get(name) is True


@dataclass(frozen=True)
class Lexicon:
    """The validated lexicon: ``lists[file][name][group]`` -> entries (group ``""`` for flat lists)."""

    lists: Mapping[str, Mapping[str, Mapping[str, tuple[Entry, ...]]]]
    digest: str

    def entries(self, file: str, name: str) -> tuple[Entry, ...]:
        """The entries of a flat list, or of all groups of a grouped one, in file order."""
        return tuple(e for group in self.lists[file][name].values() for e in group)

    def words(self, file: str, name: str) -> tuple[str, ...]:
        return tuple(e.term for e in self.entries(file, name))

    def word_set(self, file: str, name: str) -> frozenset[str]:
        return frozenset(self.words(file, name))

    def flagged(self, file: str, name: str, flag: str) -> frozenset[str]:
        return frozenset(e.term for e in self.entries(file, name) if e.flag(flag))

    def groups(self, file: str, name: str) -> dict[str, tuple[str, ...]]:
        return {g: tuple(e.term for e in entries) for g, entries in self.lists[file][name].items()}

    def group_entries(self, file: str, name: str) -> dict[str, tuple[Entry, ...]]:
        return dict(self.lists[file][name])

    def group_sets(self, file: str, name: str) -> dict[str, frozenset[str]]:
        return {g: frozenset(words) for g, words in self.groups(file, name).items()}

    def numbers(self, file: str, name: str) -> dict[str, int]:
        """word -> group number (months, weekdays, number words)."""
        return {e.term: int(g) for g, entries in self.lists[file][name].items() for e in entries}

    def labels(self, file: str, name: str) -> dict[str, str]:
        """word -> its group (``who`` word -> subject, level cue -> level)."""
        return {e.term: g for g, entries in self.lists[file][name].items() for e in entries}

    def sequences(self, file: str, name: str) -> tuple[tuple[str, ...], ...]:
        """Phrases as token sequences ("sesuai arahan" -> ("sesuai", "arahan"))."""
        return tuple(tuple(w.split()) for w in self.words(file, name))


# --------------------------------------------------------------------------- reading


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(path: Path, node: Node, what: str) -> str:
    if not isinstance(node, ScalarNode):
        raise LexiconError(path, _line(node), what, "expected a word or phrase")
    return str(node.value)


def _mapping(path: Path, node: Node, what: str) -> list[tuple[str, Node, int]]:
    """Keys of a mapping node in file order; a key given twice is an error (PyYAML keeps the last)."""
    if not isinstance(node, MappingNode):
        raise LexiconError(path, _line(node), what, "expected a mapping")
    seen: dict[str, int] = {}
    pairs = []
    for key_node, value_node in node.value:
        key = _scalar(path, key_node, what)
        if key in seen:
            raise LexiconError(path, _line(key_node), key, f"duplicate key (first on line {seen[key]})")
        seen[key] = _line(key_node)
        pairs.append((key, value_node, _line(key_node)))
    return pairs


def _attr_value(path: Path, node: Node, term: str, name: str, allowed: tuple[AttrValue, ...] | type[bool]) -> AttrValue:
    value = yaml.safe_load(yaml.serialize(node))  # the plain value, typed as YAML reads it
    if allowed is bool:
        if not isinstance(value, bool):
            raise LexiconError(path, _line(node), term, f"{name} must be true or false, not {value!r}")
        return value
    assert isinstance(allowed, tuple)
    if value not in allowed:
        raise LexiconError(path, _line(node), term, f"unknown {name} {value!r}; expected one of {allowed}")
    assert value is None or isinstance(value, str | bool | int)
    return value


def _entry(path: Path, node: Node, spec: ListSpec) -> Entry:
    attrs: dict[str, AttrValue] = {}
    if isinstance(node, ScalarNode):
        term = _scalar(path, node, "?")
    else:
        pairs = _mapping(path, node, "?")
        fields = {key: (value, line) for key, value, line in pairs}
        if "term" not in fields:
            raise LexiconError(path, _line(node), "?", "an entry with attributes needs 'term: <word or phrase>'")
        term = _scalar(path, fields.pop("term")[0], "?")
        for name, (value, line) in fields.items():
            if name not in spec.attrs:
                known = ", ".join(spec.attrs) or "none"
                raise LexiconError(path, line, term, f"unknown attribute {name!r} (known: {known})")
            attrs[name] = _attr_value(path, value, term, name, spec.attrs[name])
    if not term.strip() or term != " ".join(term.split()):
        raise LexiconError(path, _line(node), term, "empty entry or stray spaces")
    if term != term.lower():
        raise LexiconError(path, _line(node), term, "entries are matched lower-cased: write them in lower case")
    return Entry(term, _line(node), attrs)


def _entries(path: Path, node: Node, spec: ListSpec, where: str) -> tuple[Entry, ...]:
    if not isinstance(node, SequenceNode):
        raise LexiconError(path, _line(node), where, "expected a list of entries")
    entries = tuple(_entry(path, item, spec) for item in node.value)
    first: dict[str, int] = {}
    for entry in entries:
        if entry.term in first:
            raise LexiconError(
                path, entry.line, entry.term, f"duplicate entry in {where} (first on line {first[entry.term]})"
            )
        first[entry.term] = entry.line
    return entries


def _groups(path: Path, name: str, node: Node, spec: ListSpec) -> dict[str, tuple[Entry, ...]]:
    if spec.groups is None:
        return {"": _entries(path, node, spec, name)}
    groups: dict[str, tuple[Entry, ...]] = {}
    owner: dict[str, tuple[str, int]] = {}
    for group, value, line in _mapping(path, node, name):
        if spec.groups is int:
            if not group.lstrip("-").isdigit():
                raise LexiconError(path, line, group, f"{name}: a group here is a number")
        elif isinstance(spec.groups, tuple) and group not in spec.groups:
            raise LexiconError(path, line, group, f"unknown {name} group {group!r}; expected one of {spec.groups}")
        entries = _entries(path, value, spec, f"{name}.{group}")
        if spec.exclusive:
            for entry in entries:
                if entry.term in owner:
                    other, other_line = owner[entry.term]
                    raise LexiconError(
                        path,
                        entry.line,
                        entry.term,
                        f"contradiction: listed under {name}.{group} and {name}.{other} (line {other_line})",
                    )
                owner[entry.term] = (group, entry.line)
        groups[group] = entries
    return groups


def read_file(path: Path, specs: Mapping[str, ListSpec]) -> dict[str, dict[str, tuple[Entry, ...]]]:
    """One lexicon file, validated against its list specs."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LexiconError(path, int(mark.line) + 1 if mark else 0, "", f"not valid YAML: {exc}") from exc
    if root is None:
        raise LexiconError(path, 1, "", "empty file")
    lists: dict[str, dict[str, tuple[Entry, ...]]] = {}
    for name, value, line in _mapping(path, root, path.stem):
        if name not in specs:
            raise LexiconError(path, line, name, f"unknown list (known: {', '.join(specs)})")
        lists[name] = _groups(path, name, value, specs[name])
    for name in specs:
        if name not in lists:
            raise LexiconError(path, 1, name, "list missing")
    return lists


def lexicon_files(directory: Path = LEXICON_DIR) -> list[Path]:
    return sorted(directory.glob(f"*{SUFFIX}"))


def content_hash(directory: Path = LEXICON_DIR) -> str:
    """sha256 over the names and bytes of the lexicon files."""
    digest = hashlib.sha256()
    for path in lexicon_files(directory):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_from(directory: Path, specs: Mapping[str, Mapping[str, ListSpec]] = SPECS) -> Lexicon:
    """Read and validate every lexicon file of ``directory`` (no caching: tests use this)."""
    files = {path.stem: path for path in lexicon_files(directory)}
    for stem, path in files.items():
        if stem not in specs:
            raise LexiconError(path, 1, stem, f"unknown lexicon file (known: {', '.join(specs)})")
    lists = {}
    for stem, file_specs in specs.items():
        if stem not in files:
            raise LexiconError(directory / f"{stem}{SUFFIX}", 0, stem, "lexicon file missing")
        lists[stem] = read_file(files[stem], file_specs)
    return Lexicon(lists, content_hash(directory))


@cache
def load() -> Lexicon:
    """The shipped lexicon, read and validated once per process."""
    return load_from(LEXICON_DIR)
