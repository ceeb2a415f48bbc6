"""Incidents in the store, on SQLite and PostgreSQL: incremental linking through the real ingest path,
ids stable across runs, merges recorded and resolved, re-extraction re-linking in the same transaction.

The extractor is scripted (its results are given per article) so each test knows which events exist; the
store, the linker and the transactions are the real ones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.query import IncidentFilter, coverage_frame, events_frame, incident_records, resolve_incident_id
from pipeline.runs.ingest import ingest_text
from pipeline.schema import ArticleInput, ArticleResult, Event, Official
from pipeline.store import incidents as store_incidents
from pipeline.store.db import session_scope
from pipeline.store.models import Incident, IncidentMember, IncidentMerge

STORY = (
    "Penjabat Wali Kota Pekanbaru Muflihun memimpin rapat koordinasi netralitas aparatur sipil negara di "
    "kantor wali kota. Ia meminta seluruh ASN menjaga netralitas menjelang pemilihan umum dan tidak ikut "
    "berkampanye, serta mengingatkan sanksi disiplin bagi pegawai yang melanggar."
)
OTHER = (
    "Bawaslu Kota Solok menemukan seorang kepala desa mengunggah dukungan kepada calon bupati di media "
    "sosial. Temuan itu diteruskan kepada komisi untuk ditindaklanjuti sebagai pelanggaran netralitas."
)


class ScriptedExtractor:
    """Returns the events given for each article id (what the rule extractor would, chosen by the test)."""

    pipeline_version = "test-incidents-1"

    def __init__(self, events: dict[str, list[Event]]):
        self.events = events

    def extract(self, article: ArticleInput) -> ArticleResult:
        events = self.events.get(article.id, [])
        return ArticleResult(
            id=article.id, relevant=bool(events), events=events, pipeline_version=self.pipeline_version
        )


def rakor(date: str, precision: str = "day", region: str = "14.71", type_: str = "rakor") -> Event:
    return Event(
        type=type_,
        date=date,
        date_precision=precision,
        regions=[region],
        officials=[Official(name="Muflihun", office="wali_kota", acting="pj", region=region, role="leader")],
        evidence=[STORY.split(". ")[0] + "."],
    )


def write_input(path: Path, articles: list[tuple[str, str, str, str]]) -> Path:
    """(id, outlet, published, text) per line."""
    with path.open("w", encoding="utf-8") as fh:
        for key, outlet, published, text in articles:
            record = {"id": key, "url": f"https://{outlet}/{key}", "published": published, "text": text}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def incident_of(engine) -> dict[str, int]:
    frame = events_frame(engine)
    return {row.doc_key: int(row.incident_id) for row in frame.itertuples()}


# Two reports of one rakor on 3 July and one on 20 July: the same words, dates too far apart to link.
RUN_1 = [
    ("a-early", "riau.example", "2023-07-03", STORY),
    ("b-late", "pekanbaru.example", "2023-07-20", STORY + " Rapat digelar di aula."),
]
EVENTS = {"a-early": [rakor("2023-07-03")], "b-late": [rakor("2023-07-20")]}


def test_merge_is_recorded_and_an_old_id_still_resolves(engine, tmp_path):
    first = write_input(tmp_path / "run1.jsonl", RUN_1)
    ingest_text(engine, first, ScriptedExtractor(EVENTS))
    ids = incident_of(engine)
    assert ids == {"a-early": 1, "b-late": 2}  # ordered by date; not linked (3 July vs 20 July)

    # A month-precision report of July is compatible with both days: it bridges the two incidents.
    second = write_input(tmp_path / "run2.jsonl", [("c-month", "sumatra.example", "2023-07-21", STORY)])
    summary = ingest_text(engine, second, ScriptedExtractor({"c-month": [rakor("2023-07", "month")]}))
    assert summary.merges == 1
    assert incident_of(engine) == {"a-early": 1, "b-late": 1, "c-month": 1}  # the older id survives
    with session_scope(engine) as session:
        merge = session.execute(select(IncidentMerge)).scalar_one()
        assert (merge.old_id, merge.new_id, merge.bridge_event) == (2, 1, "c-month#0")
        old = session.get(Incident, 2)
        assert old is not None and (old.status, old.merged_into) == ("merged", 1)
        members = session.execute(select(IncidentMember).order_by(IncidentMember.event_id)).scalars().all()
        bridge = [m for m in members if m.reasons and any(r["with"] == "a-early#0" for r in m.reasons)]
        assert bridge and bridge[0].score is not None and bridge[0].reasons[0]["shared_regions"] == ["14.71"]
        assert bridge[0].linker_version.startswith(store_incidents.LINKER_VERSION)
    assert resolve_incident_id(engine, 2) == 1 and resolve_incident_id(engine, 1) == 1
    assert resolve_incident_id(engine, 99) is None

    (record,) = incident_records(engine)
    assert record["incident_id"] == 1 and record["documents"] == ["a-early", "b-late", "c-month"]
    assert record["outlets"] == 3 and record["regions"] == ["14.71"] and record["officials"] == ["Muflihun"]
    assert record["date"] == "2023-07-03" and record["date_precision"] == "day"
    assert record["first_seen"].date().isoformat() == "2023-07-03"
    assert record["last_seen"].date().isoformat() == "2023-07-21"
    # three reports, one happening: the coverage of Kota Pekanbaru in July 2023 counts it once
    coverage = coverage_frame(engine).set_index(["region", "month"])
    assert coverage.loc[("14.71", "2023-07"), "incidents"] == 1
    assert coverage.loc[("14.71", "2023-07"), "events"] == 3


def test_ids_are_stable_across_runs_and_never_reused(engine, tmp_path):
    first = write_input(tmp_path / "run1.jsonl", [*RUN_1, ("solok", "solok.example", "2023-07-10", OTHER)])
    extractor = ScriptedExtractor({**EVENTS, "solok": [rakor("2023-07-09", region="13.72", type_="violation")]})
    ingest_text(engine, first, extractor)
    before = incident_of(engine)
    assert sorted(before.values()) == [1, 2, 3]
    # the same input again (every document re-extracted), then in another order: the same ids
    ingest_text(engine, first, extractor)
    assert incident_of(engine) == before
    reordered = write_input(
        tmp_path / "reordered.jsonl", [RUN_1[1], ("solok", "solok.example", "2023-07-10", OTHER), RUN_1[0]]
    )
    ingest_text(engine, reordered, extractor)
    assert incident_of(engine) == before
    # a bridge merges 2 into 1; a new unrelated story then gets 4, not the merged-away 2
    ingest_text(
        engine,
        write_input(tmp_path / "bridge.jsonl", [("c-month", "sumatra.example", "2023-07-21", STORY)]),
        ScriptedExtractor({"c-month": [rakor("2023-07", "month")]}),
    )
    later = write_input(tmp_path / "later.jsonl", [("new", "bali.example", "2024-02-01", OTHER + " Lagi.")])
    ingest_text(engine, later, ScriptedExtractor({"new": [rakor("2024-01-30", region="51.71", type_="violation")]}))
    ids = incident_of(engine)
    assert ids["solok"] == before["solok"] and ids["a-early"] == ids["b-late"] == 1
    assert ids["new"] == 4
    with session_scope(engine) as session:
        assert session.get(Incident, 2).status == "merged"


def test_reextraction_relinks_in_the_same_transaction(engine, tmp_path, monkeypatch):
    path = write_input(tmp_path / "run1.jsonl", [*RUN_1, ("c-month", "sumatra.example", "2023-07-21", STORY)])
    events = {**EVENTS, "c-month": [rakor("2023-07", "month")]}
    ingest_text(engine, path, ScriptedExtractor(events))
    assert set(incident_of(engine).values()) == {1}

    # Re-extracted, b-late's event is now a violation: it leaves incident 1 for an incident of its own.
    changed = {**events, "b-late": [rakor("2023-07-20", type_="violation")]}
    only_b = write_input(tmp_path / "b.jsonl", [RUN_1[1]])
    ingest_text(engine, only_b, ScriptedExtractor(changed))
    ids = incident_of(engine)
    assert ids["a-early"] == ids["c-month"] == 1 and ids["b-late"] not in (1, 2)
    b_incident = ids["b-late"]

    # Re-extracting it unchanged keeps its incident (emptied by the replacement, then taken back).
    ingest_text(engine, only_b, ScriptedExtractor(changed))
    assert incident_of(engine)["b-late"] == b_incident

    # Linking fails: the document's new events are rolled back with it; the old events keep their incident.
    def broken(*args, **kwargs):
        raise RuntimeError("linker down")

    monkeypatch.setattr("pipeline.runs.ingest.link_documents", broken)
    with pytest.raises(RuntimeError, match="linker down"):
        ingest_text(engine, only_b, ScriptedExtractor({"b-late": [rakor("2023-07-20"), rakor("2023-07-21")]}))
    frame = events_frame(engine)
    b_rows = frame[frame["doc_key"] == "b-late"]
    assert list(b_rows["type"]) == ["violation"] and list(b_rows["incident_id"]) == [b_incident]


def test_incident_filters(engine, tmp_path):
    path = write_input(tmp_path / "run1.jsonl", [*RUN_1, ("solok", "solok.example", "2023-07-10", OTHER)])
    extractor = ScriptedExtractor({**EVENTS, "solok": [rakor("2023-07-09", region="13.72", type_="violation")]})
    ingest_text(engine, path, extractor)
    ids = lambda flt: [r["incident_id"] for r in incident_records(engine, flt)]  # noqa: E731
    assert ids(IncidentFilter()) == [1, 3, 2]  # by date
    assert ids(IncidentFilter(region="13")) == [3]
    assert ids(IncidentFilter(type="rakor")) == [1, 2]
    assert ids(IncidentFilter(since=date(2023, 7, 10))) == [2]


def test_unlinked_events_are_linked_by_the_nightly_stage(engine, tmp_path):
    from pipeline.runs.ingest import link_unlinked

    ingest_text(engine, write_input(tmp_path / "run1.jsonl", RUN_1), ScriptedExtractor(EVENTS))
    with session_scope(engine) as session:  # as if stored before the store had incidents
        session.execute(IncidentMember.__table__.delete())
    assert events_frame(engine)["incident_id"].isna().all()
    summary = link_unlinked(engine)
    assert summary.stored == 2
    assert sorted(incident_of(engine).values()) == [3, 4]  # 1 and 2 were given once: never again
    assert link_unlinked(engine).stored == 0


def test_done_when_ingest_text_then_incidents_jsonl_on_a_gold_input(tmp_path):
    """The issue's acceptance command on the dev gold input (copied in tests/fixtures/gold, with clusters):
    every incident's documents are input ids, every article with events is in one, and reports of one gold
    cluster are linked."""
    from tests.conftest import FIXTURES
    from tests.test_cli import netra

    gold = FIXTURES / "gold"
    env = {"NETRA_DATABASE_URL": f"sqlite:///{tmp_path / 'netra.db'}", "NETRA_DATA_DIR": str(tmp_path)}
    netra("ingest-text", str(gold / "dev.input.jsonl"), env_extra=env)
    lines = netra("incidents", "--format", "jsonl", env_extra=env).stdout.splitlines()
    incidents = [json.loads(line) for line in lines]
    input_ids = [json.loads(line)["id"] for line in (gold / "dev.input.jsonl").read_text().splitlines()]
    keys = {"incident_id", "type", "date", "date_precision", "regions", "officials", "documents", "outlets",
            "first_seen", "last_seen"}  # fmt: skip
    assert incidents and all(set(i) == keys for i in incidents)
    documents = [d for i in incidents for d in i["documents"]]
    assert set(documents) <= set(input_ids)
    with_events = {
        r["doc_key"] for r in map(json.loads, netra("events", "--format", "json", env_extra=env).stdout.splitlines())
    }
    assert set(documents) == with_events
    clusters = {
        g["id"]: g["cluster"]
        for g in map(json.loads, (gold / "dev.jsonl").read_text().splitlines())
        if g.get("cluster")
    }
    linked_pairs = [(a, b) for i in incidents for a in i["documents"] for b in i["documents"] if a < b]
    assert sum(clusters.get(a) is not None and clusters.get(a) == clusters.get(b) for a, b in linked_pairs) >= 10
    assert len({i["incident_id"] for i in incidents}) == len(incidents)
