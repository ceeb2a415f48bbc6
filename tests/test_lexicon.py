"""The event lexicon (pipeline/events/lexicon/*.yml): one validating loader, errors naming file,
line and entry; the pipeline version follows its content; the pipeline is built from pipeline.cfg."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.events import cues, expected_pipeline_version, lexicon, rules_fingerprint
from pipeline.events.lexicon import LEXICON_DIR, LexiconError, load_from
from pipeline.events.pipeline import CONFIG_PATH, PipelineConfigError, build_nlp, load_pipeline_config


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "lexicon"
    directory.mkdir()
    for path in LEXICON_DIR.glob("*.yml"):
        shutil.copy(path, directory / path.name)
    return directory


def edit(directory: Path, file: str, old: str, new: str) -> int:
    """Replace the first ``old`` in ``file``; returns its (1-based) line."""
    path = directory / f"{file}.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def error_of(directory: Path) -> LexiconError:
    with pytest.raises(LexiconError) as info:
        load_from(directory)
    return info.value


def test_shipped_lexicon_loads_and_feeds_the_rules():
    lex = lexicon.load()
    assert "rapat koordinasi" in lex.groups("event_cues", "types")["rakor"]
    assert "rapat koordinasi" in cues.STRONG_TYPE_CUES["rakor"]
    assert "raker" not in cues.STRONG_TYPE_CUES["rakor"]  # a cue without the flag is weak
    assert lex.numbers("calendar", "months")["agustus"] == 8
    # every strong cue is a cue of its type: the flag sits on the entry
    for etype, strong in cues.STRONG_TYPE_CUES.items():
        assert set(strong) <= set(cues.TYPE_CUES[etype])


def test_duplicate_entry_names_file_line_and_entry(lexicon_copy):
    line = edit(lexicon_copy, "clause_markers", "future: [akan,", "future: [akan, akan,")
    err = error_of(lexicon_copy)
    assert (err.path.name, err.line, err.entry) == ("clause_markers.yml", line, "akan")
    assert "duplicate" in str(err) and str(err).startswith(f"clause_markers.yml:{line}: 'akan'")


def test_cue_of_two_types_is_a_contradiction(lexicon_copy):
    added = edit(lexicon_copy, "event_cues", "    - audiensi\n", "    - audiensi\n    - sosialisasi\n") + 1
    lines = (lexicon_copy / "event_cues.yml").read_text(encoding="utf-8").splitlines()
    listed = next(k for k, text in enumerate(lines, 1) if k > added and "sosialisasi" in text)
    err = error_of(lexicon_copy)  # reported at the second listing, naming the first
    assert (err.path.name, err.line, err.entry) == ("event_cues.yml", listed, "sosialisasi")
    assert "contradiction" in err.problem and "types.rakor" in err.problem and f"line {added}" in err.problem


def test_unknown_schema_values_are_errors(lexicon_copy):
    line = edit(lexicon_copy, "titles", "{term: camat, office: camat,", "{term: camat, office: kepala_camat,")
    err = error_of(lexicon_copy)
    assert (err.path.name, err.line, err.entry) == ("titles.yml", line, "camat")
    assert "unknown office 'kepala_camat'" in err.problem


def test_unknown_event_type_group_is_an_error(lexicon_copy):
    line = edit(lexicon_copy, "event_cues", "  pledge:\n", "  pledges:\n")
    err = error_of(lexicon_copy)
    assert (err.line, err.entry) == (line, "pledges") and "unknown types group" in err.problem


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("{term: rakor, strong: true}", "{term: rakor, strong: yes please}", "strong must be true or false"),
        ("{term: rakor, strong: true}", "{term: rakor, stronk: true}", "unknown attribute 'stronk'"),
        ("{term: rakor, strong: true}", "{term: Rakor, strong: true}", "lower case"),
        ("{term: rakor, strong: true}", "{strong: true}", "needs 'term"),
    ],
)
def test_malformed_entries_are_errors(lexicon_copy, old, new, problem):
    line = edit(lexicon_copy, "event_cues", old, new)
    err = error_of(lexicon_copy)
    assert err.path.name == "event_cues.yml" and err.line == line and problem in err.problem


def test_missing_list_and_unknown_file_are_errors(lexicon_copy):
    edit(lexicon_copy, "sentences", "abbreviations:", "abbreviation:")
    err = error_of(lexicon_copy)
    assert err.path.name == "sentences.yml" and "unknown list" in err.problem
    (lexicon_copy / "sentences.yml").unlink()
    assert "lexicon file missing" in error_of(lexicon_copy).problem
    shutil.copy(LEXICON_DIR / "sentences.yml", lexicon_copy / "sentences.yml")
    (lexicon_copy / "stray.yml").write_text("words: [a]\n")
    assert "unknown lexicon file" in error_of(lexicon_copy).problem


def test_lexicon_edit_changes_the_pipeline_version(lexicon_copy, monkeypatch):
    shipped = expected_pipeline_version(None, use_ner=False)
    assert rules_fingerprint(lexicon_copy) == rules_fingerprint()  # same content, same version
    edit(lexicon_copy, "event_cues", "    - audiensi\n", "    - audiensi\n    - silaturahmi\n")
    load_from(lexicon_copy)  # still valid
    assert rules_fingerprint(lexicon_copy) != rules_fingerprint()
    monkeypatch.setattr(lexicon, "LEXICON_DIR", lexicon_copy)
    assert expected_pipeline_version(None, use_ner=False) != shipped


def test_lexicon_edit_makes_the_next_nightly_reextract_stored_documents(tmp_path, lexicon_copy, monkeypatch):
    """The nightly's events stage extracts ``pending_documents(session, expected_pipeline_version())``."""
    from pipeline.schema import ArticleResult, DocumentRecord
    from pipeline.store.db import open_store, session_scope
    from pipeline.store.documents import pending_documents
    from pipeline.store.events import store_article

    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}", migrate=True)
    record = DocumentRecord(
        doc_key="doc-1",
        url="https://example.id/doc-1",
        source_name="example",
        title="Rakor",
        published_at=datetime(2024, 9, 12, tzinfo=UTC),
        text="Rakor netralitas ASN.",
        status="extracted",
    )
    version = expected_pipeline_version(None)
    store_article(engine, record, ArticleResult(id="doc-1", relevant=False, pipeline_version=version))
    with session_scope(engine) as session:
        assert not pending_documents(session, expected_pipeline_version(None))  # up to date
    edit(lexicon_copy, "event_cues", "    - audiensi\n", "    - audiensi\n    - silaturahmi\n")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", lexicon_copy)
    with session_scope(engine) as session:
        assert [d.doc_key for d in pending_documents(session, expected_pipeline_version(None))] == ["doc-1"]


def test_pipeline_built_in_config_order_with_and_without_ner():
    _lang, names, sections = load_pipeline_config()
    assert names[0] == "netra_sentences" and names[-1] == "netra_relevance"
    assert sections["netra_relevance"]["threshold"] == 3.0
    rules_only = build_nlp(use_ner=False)
    assert rules_only.ner_version is None
    assert rules_only.nlp.pipe_names == [n for n in names if "source" not in sections[n]]


def test_missing_component_is_an_error_at_build_time(tmp_path):
    text = CONFIG_PATH.read_text(encoding="utf-8")
    broken = tmp_path / "pipeline.cfg"
    broken.write_text(text.replace('factory = "netra_counts"', 'factory = "netra_tallies"'), encoding="utf-8")
    with pytest.raises(PipelineConfigError, match="'netra_counts': factory 'netra_tallies' is not registered"):
        build_nlp(use_ner=False, config=broken)
    broken.write_text(
        text.replace("[components.netra_counts]\nfactory", "[components.netra_tally]\nfactory"), encoding="utf-8"
    )
    with pytest.raises(PipelineConfigError, match="'netra_counts' is listed"):
        build_nlp(use_ner=False, config=broken)
