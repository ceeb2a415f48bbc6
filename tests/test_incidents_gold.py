"""Linking scored against gold clusters: the scorer on hand-made clusters, the linker on the copied gold."""

from __future__ import annotations

import json

import pytest

from pipeline.evaluate import read_jsonl, score_linking, trigram_baseline
from pipeline.incidents import link_records
from pipeline.incidents.calibrate import GoldSet, folds_by_cluster
from pipeline.incidents.records import article_text
from tests.conftest import FIXTURES
from tests.test_cli import netra

GOLD = FIXTURES / "gold"


def _gold(id: str, cluster: str | None = None, relevant: bool = True) -> dict:
    record: dict = {"id": id, "relevant": relevant, "events": []}
    if cluster:
        record["cluster"] = cluster
    return record


def test_pairwise_scores_on_hand_made_clusters():
    gold = [_gold("a", "x"), _gold("b", "x"), _gold("c", "x"), _gold("d", "y"), _gold("e", "y"), _gold("f")]
    gold.append(_gold("g", "y", relevant=False))  # pairs with an irrelevant article are not scored
    pred = [
        {"id": "a", "incident_ids": [1]},
        {"id": "b", "incident_ids": [1, 7]},
        {"id": "c", "incident_id": 2},  # a-c and b-c missed
        {"id": "d", "incident_ids": [3]},
        {"id": "e", "incident_ids": [3]},
        {"id": "f", "incident_ids": [7]},  # b-f spurious
        {"id": "g", "incident_ids": [3]},
    ]
    report = score_linking(gold, pred)
    assert (report.pairs.tp, report.pairs.fp, report.pairs.fn) == (2, 1, 2)
    assert report.gold_pairs == 4 and report.articles == 6 and report.clusters == 2
    assert report.pairs.precision == pytest.approx(2 / 3) and report.pairs.recall == pytest.approx(0.5)
    assert report.baseline is None


def test_baseline_threshold_is_the_best_on_the_data():
    texts = {
        "a": "bupati memimpin apel netralitas asn di lapangan kantor bupati pagi ini",
        "b": "bupati memimpin apel netralitas asn di lapangan kantor bupati kemarin pagi",
        "c": "bawaslu menemukan kepala desa berkampanye untuk calon bupati",
    }
    score, threshold = trigram_baseline(["a", "b", "c"], {("a", "b")}, texts)
    assert (score.tp, score.fp, score.fn) == (1, 0, 0)
    assert 0 < threshold < 1


def test_folds_never_split_a_cluster():
    data = GoldSet.read(GOLD / "train.jsonl", GOLD / "train.input.jsonl", GOLD / "train.jsonl")
    folds = folds_by_cluster(data, 5)
    cluster_of = {str(g["id"]): g.get("cluster") for g in data.gold}
    for cluster in {c for c in cluster_of.values() if c}:
        members = {a for a, c in cluster_of.items() if c == cluster}
        assert sum(bool(members & fold) for fold in folds) == 1
    assert set().union(*folds) == set(cluster_of)


@pytest.mark.parametrize("split", ["dev", "train"])
def test_linker_beats_the_baseline_on_gold_events(split):
    """The linker fed the gold events (what extraction should give) against the 3-gram Jaccard baseline whose
    threshold is chosen on the very data it is scored on. The defaults were fitted on train only."""
    gold = read_jsonl(GOLD / f"{split}.jsonl")
    articles = read_jsonl(GOLD / f"{split}.input.jsonl")
    linked, result = link_records(gold, articles)
    report = score_linking(gold, linked, {str(a["id"]): article_text(a) for a in articles})
    assert report.baseline is not None
    assert report.pairs.f1 > report.baseline.f1 + 0.1
    assert report.pairs.precision >= 0.8
    assert all(link.reasons.text_similarity > 0 for link in result.links)


def test_eval_prints_the_linking_table(tmp_path):
    gold = read_jsonl(GOLD / "dev.jsonl")
    linked, _ = link_records(gold, read_jsonl(GOLD / "dev.input.jsonl"))
    pred = tmp_path / "linked.jsonl"
    pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in linked), encoding="utf-8")
    out = json.loads(netra("eval", str(GOLD / "dev.jsonl"), str(pred), "--json").stdout)["linking"]
    assert out["gold_pairs"] == 25 and out["clusters"] == 6
    assert out["pairs"]["f1"] > out["baseline"]["f1"]
    table = netra("eval", str(GOLD / "dev.jsonl"), str(pred), env_extra={"COLUMNS": "160"}).stdout
    assert "linking" in table and "3-gram Jaccard" in table
    # predictions without incident ids: no linking table
    plain = netra("eval", str(GOLD / "seeds.jsonl"), str(GOLD / "seeds.jsonl"), "--json").stdout
    assert "linking" not in json.loads(plain)


def test_linked_records_carry_incident_ids_per_record_and_event(tmp_path):
    from pipeline.incidents.__main__ import main

    out = tmp_path / "linked.jsonl"
    assert main([str(GOLD / "dev.jsonl"), str(GOLD / "dev.input.jsonl"), "-o", str(out)]) == 0
    records = read_jsonl(out)
    assert len(records) == 68
    for record in records:
        ids = [e["incident_id"] for e in record["events"]]
        assert record["incident_ids"] == list(dict.fromkeys(ids))
        assert record["incident_id"] == (ids[0] if ids else None)


@pytest.mark.slow
def test_end_to_end_extract_then_link_beats_the_baseline_on_dev(tmp_path):
    """netra extract-text -> python -m pipeline.incidents -> netra eval, on dev (events as extracted)."""
    pred, linked = tmp_path / "pred.jsonl", tmp_path / "linked.jsonl"
    netra("extract-text", str(GOLD / "dev.input.jsonl"), "-o", str(pred))
    from pipeline.incidents.__main__ import main

    assert main([str(pred), str(GOLD / "dev.input.jsonl"), "-o", str(linked)]) == 0
    out = json.loads(netra("eval", str(GOLD / "dev.jsonl"), str(linked), "--json").stdout)["linking"]
    assert out["pairs"]["f1"] > out["baseline"]["f1"]
    assert out["pairs"]["precision"] >= 0.8
