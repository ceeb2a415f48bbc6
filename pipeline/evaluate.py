"""Score predicted event records against gold, per ``docs/event-schema.md`` ("Scoring").

Per article, the union over its events of each slot is compared with gold;
true/false positives and misses are summed over all articles (micro average).
Records are matched by ``id``; a gold record without a prediction counts as
predicted irrelevant (and is listed in :attr:`EvalReport.warnings`).

    report = score(gold_records, pred_records)
    report.slots["officials"].f1
    report.as_rows()     # for a table
    report.errors        # per article: what was missed / spurious, per slot

Run as ``python -m pipeline.evaluate GOLD.jsonl PRED.jsonl`` for a quick table.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.events.titles import DEGREE_KEYS
from pipeline.logs import get_logger

log = get_logger(__name__)

SLOTS: tuple[str, ...] = (
    "relevance",
    "types",
    "officials",
    "officials_office",
    "regions",
    "dates",
    "sanctions",
    "elections",
)
# The strict slots (schema, "Strict scoring"): whether the items were put together right.
STRICT_SLOTS: tuple[str, ...] = (
    "events",
    "type_date",
    "roles",
    "official_region",
    "sanction_status",
    "subject",
    "scope",
    "count",
)


@dataclass
class SlotScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class ArticleErrors:
    """What one article got wrong: per slot, the gold items missed and the predicted items not in gold."""

    id: str | None  # as in the gold record (the schema requires one)
    missed: dict[str, list[Any]] = field(default_factory=dict)
    spurious: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class EvalReport:
    slots: dict[str, SlotScore]
    errors: list[ArticleErrors]
    warnings: list[str]
    n_gold: int = 0
    strict: dict[str, SlotScore] = field(default_factory=dict)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.slots.values()) / len(self.slots) if self.slots else 0.0

    @property
    def strict_macro_f1(self) -> float:
        return sum(s.f1 for s in self.strict.values()) / len(self.strict) if self.strict else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "slots": {k: v.as_dict() for k, v in self.slots.items()},
            "macro_f1": round(self.macro_f1, 4),
            "strict": {k: v.as_dict() for k, v in self.strict.items()},
            "strict_macro_f1": round(self.strict_macro_f1, 4),
            "articles": self.n_gold,
            "warnings": list(self.warnings),
        }

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per slot (slot, tp, fp, fn, precision, recall, f1), ready for a table."""
        return [{"slot": name, **score.as_dict()} for name, score in self.slots.items()]

    def strict_rows(self) -> list[dict[str, Any]]:
        """One row per strict slot, in the same shape as :meth:`as_rows`."""
        return [{"slot": name, **score.as_dict()} for name, score in self.strict.items()]

    def errors_as_dicts(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.errors]


# --- names -------------------------------------------------------------------------------------

_NAME_SPLIT = re.compile(r"[\s,;/()]+")


def name_tokens(name: str) -> frozenset[str]:
    """Case-folded name tokens without academic/religious degrees ("Dr. H. Ali, M.Si" -> {ali})."""
    tokens = []
    for raw in _NAME_SPLIT.split(name.casefold()):
        token = raw.strip(".'\"-")
        if not token:
            continue
        if token.replace(".", "") in DEGREE_KEYS:
            continue
        tokens.append(token.replace(".", ""))
    return frozenset(t for t in tokens if t)


def names_match(a: str | frozenset[str], b: str | frozenset[str]) -> bool:
    ta = a if isinstance(a, frozenset) else name_tokens(a)
    tb = b if isinstance(b, frozenset) else name_tokens(b)
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


# --- slot items of one record ------------------------------------------------------------------


def _as_record(record: Any) -> dict[str, Any]:
    if hasattr(record, "to_contract"):
        contract: dict[str, Any] = record.to_contract()
        return contract
    if not isinstance(record, dict):
        raise TypeError(f"expected a record dict, got {type(record).__name__}")
    return record


def _events(record: dict[str, Any]) -> list[dict[str, Any]]:
    if not record.get("relevant"):
        return []
    return [e for e in record.get("events") or [] if isinstance(e, dict)]


def _officials(events: Iterable[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    seen: dict[frozenset[str], tuple[str, str | None, str | None]] = {}
    for event in events:
        for off in event.get("officials") or []:
            name = (off or {}).get("name")
            if not name:
                continue
            key = name_tokens(name)
            if key and key not in seen:
                seen[key] = (name, off.get("office"), off.get("acting"))
    return list(seen.values())


def slot_items(record: dict[str, Any]) -> dict[str, set[Any]]:
    """The scored items of one record, per slot except relevance and officials."""
    events = _events(record)
    items: dict[str, set[Any]] = {
        "types": set(),
        "regions": set(),
        "dates": set(),
        "sanctions": set(),
        "elections": set(),
    }
    for e in events:
        if e.get("type"):
            items["types"].add(e["type"])
        items["regions"].update(r for r in e.get("regions") or [] if r)
        if e.get("date"):
            items["dates"].add((str(e["date"]), e.get("date_precision")))
        items["sanctions"].update(s["kind"] for s in e.get("sanctions") or [] if s and s.get("kind"))
        items["elections"].update(
            (el["kind"], int(el["year"]))
            for el in e.get("elections") or []
            if el and el.get("kind") and el.get("year") is not None
        )
    return items


def _match_officials(
    gold: list[tuple[Any, ...]], pred: list[tuple[Any, ...]], with_office: bool
) -> tuple[int, list[Any], list[Any]]:
    """Greedy one-to-one matching; exact token-set equality is preferred over subset matches."""
    gold_left = list(gold)
    matched = 0
    spurious = []
    pending = []
    for p in pred:
        pk = name_tokens(p[0])
        exact = next(
            (g for g in gold_left if name_tokens(g[0]) == pk and (not with_office or (g[1], g[2]) == (p[1], p[2]))),
            None,
        )
        if exact is not None:
            gold_left.remove(exact)
            matched += 1
        else:
            pending.append(p)
    for p in pending:
        hit = next(
            (g for g in gold_left if names_match(g[0], p[0]) and (not with_office or (g[1], g[2]) == (p[1], p[2]))),
            None,
        )
        if hit is not None:
            gold_left.remove(hit)
            matched += 1
        else:
            spurious.append(p)
    return matched, gold_left, spurious


# --- strict slots ------------------------------------------------------------------------------


def _match_events(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[int, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """One-to-one event matching: same type and, when the gold event is dated, the same date.

    Dated gold events are paired first: a predicted event that could fill either a dated or an
    undated gold event of its type then never takes the undated one from a prediction that can
    only match there, so the greedy pairing is a maximum matching."""
    gold_left = [(e.get("type"), e.get("date") or None) for e in gold]
    pred_left = [(e.get("type"), e.get("date") or None) for e in pred]
    matched = 0
    for dated in (True, False):
        for g in [g for g in gold_left if (g[1] is not None) == dated]:
            hit = next((p for p in pred_left if p[0] == g[0] and (not dated or p[1] == g[1])), None)
            if hit is not None:
                pred_left.remove(hit)
                gold_left.remove(g)
                matched += 1
    return matched, sorted(gold_left, key=str), sorted(pred_left, key=str)


def _people(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for e in events for o in e.get("officials") or [] if o and o.get("name")]


def _match_pairs(
    gold: list[tuple[str, Any]], pred: list[tuple[str, Any]]
) -> tuple[int, list[tuple[str, Any]], list[tuple[str, Any]]]:
    """(name, value) pairs matched one-to-one: value equal and names matching (exact tokens first)."""
    gold = list(dict.fromkeys((n, v) for n, v in gold))
    pred = list(dict.fromkeys((n, v) for n, v in pred))
    gold_left, matched = list(gold), 0
    pending: list[tuple[str, Any]] = []
    for p in pred:
        exact = next((g for g in gold_left if g[1] == p[1] and name_tokens(g[0]) == name_tokens(p[0])), None)
        if exact is None:
            pending.append(p)
        else:
            gold_left.remove(exact)
            matched += 1
    spurious: list[tuple[str, Any]] = []
    for p in pending:
        hit = next((g for g in gold_left if g[1] == p[1] and names_match(g[0], p[0])), None)
        if hit is None:
            spurious.append(p)
        else:
            gold_left.remove(hit)
            matched += 1
    return matched, gold_left, spurious


def _official_regions(
    gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """(name, region) pairs of officials whose gold ``region`` is set; a predicted official is scored
    only when its name matches such a gold official (others are not scored, as the schema says)."""
    gold_pairs = [(o["name"], o.get("region")) for o in gold if o.get("region")]
    pred_pairs = [
        (o["name"], o.get("region"))
        for o in pred
        if o.get("region") and any(names_match(o["name"], g[0]) for g in gold_pairs)
    ]
    return gold_pairs, pred_pairs


def strict_items(record: dict[str, Any]) -> dict[str, set[tuple[Any, ...]]]:
    """The set-compared strict slots of one record: (type, date), (kind, status), (type, subject|scope|count)."""
    events = _events(record)
    items: dict[str, set[tuple[Any, ...]]] = {
        k: set() for k in ("type_date", "sanction_status", "subject", "scope", "count")
    }
    for e in events:
        kind = e.get("type")
        if e.get("date"):
            items["type_date"].add((kind, str(e["date"])))
        items["sanction_status"].update(
            (s["kind"], s.get("status")) for s in e.get("sanctions") or [] if s and s.get("kind")
        )
        for name in ("subject", "scope", "count"):
            if e.get(name) is not None:
                items[name].add((kind, e[name]))
    return items


def _score_strict(g: dict[str, Any], p: dict[str, Any], slots: dict[str, SlotScore], err: ArticleErrors) -> None:
    def add(name: str, matched: int, missed: list[Any], spurious: list[Any]) -> None:
        s = slots[name]
        s.tp += matched
        s.fn += len(missed)
        s.fp += len(spurious)
        if missed:
            err.missed[name] = missed
        if spurious:
            err.spurious[name] = spurious

    g_events, p_events = _events(g), _events(p)
    add("events", *_match_events(g_events, p_events))
    g_people, p_people = _people(g_events), _people(p_events)
    add(
        "roles",
        *_match_pairs(
            [(o["name"], o.get("role")) for o in g_people if o.get("role")],
            [(o["name"], o.get("role")) for o in p_people if o.get("role")],
        ),
    )
    add("official_region", *_match_pairs(*_official_regions(g_people, p_people)))
    g_items, p_items = strict_items(g), strict_items(p)
    for name, gs in g_items.items():
        ps = p_items[name]
        add(name, len(gs & ps), sorted(gs - ps, key=str), sorted(ps - gs, key=str))


def score(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> EvalReport:
    """Score ``pred`` against ``gold`` (both lists of contract records, matched by ``id``)."""
    slots = {name: SlotScore() for name in SLOTS}
    strict = {name: SlotScore() for name in STRICT_SLOTS}
    warnings: list[str] = []
    errors: list[ArticleErrors] = []
    pred_by_id: dict[Any, dict[str, Any]] = {}  # keyed as given (ids are strings by the schema)
    for record in pred:
        rec = _as_record(record)
        if rec.get("id") in pred_by_id:
            warnings.append(f"duplicate prediction for {rec.get('id')!r}; the first one is scored")
            continue
        pred_by_id[rec.get("id")] = rec
    gold_ids = set()
    for g_raw in gold:
        g = _as_record(g_raw)
        gid = g.get("id")
        gold_ids.add(gid)
        p = pred_by_id.get(gid)
        if p is None:
            warnings.append(f"no prediction for {gid!r}: scored as predicted irrelevant")
            p = {"id": gid, "relevant": False, "events": []}
        err = ArticleErrors(id=gid)
        g_rel, p_rel = bool(g.get("relevant")), bool(p.get("relevant"))
        rel = slots["relevance"]
        if g_rel and p_rel:
            rel.tp += 1
        elif p_rel:
            rel.fp += 1
            err.spurious["relevance"] = [True]
        elif g_rel:
            rel.fn += 1
            err.missed["relevance"] = [True]

        g_items, p_items = slot_items(g), slot_items(p)
        for name in ("types", "regions", "dates", "sanctions", "elections"):
            gs, ps = g_items[name], p_items[name]
            s = slots[name]
            s.tp += len(gs & ps)
            s.fp += len(ps - gs)
            s.fn += len(gs - ps)
            if gs - ps:
                err.missed[name] = sorted(gs - ps, key=str)
            if ps - gs:
                err.spurious[name] = sorted(ps - gs, key=str)

        g_off, p_off = _officials(_events(g)), _officials(_events(p))
        for name, with_office in (("officials", False), ("officials_office", True)):
            matched, missed, spurious = _match_officials(g_off, p_off, with_office)
            s = slots[name]
            s.tp += matched
            s.fp += len(spurious)
            s.fn += len(missed)
            if missed:
                err.missed[name] = missed
            if spurious:
                err.spurious[name] = spurious
        _score_strict(g, p, strict, err)
        if err.missed or err.spurious:
            errors.append(err)
    extra = sorted(str(i) for i in set(pred_by_id) - gold_ids)
    if extra:
        warnings.append(f"{len(extra)} predictions have no gold record and are ignored: {', '.join(extra[:5])}")
    for w in warnings:
        log.warning(w)
    return EvalReport(slots=slots, errors=errors, warnings=warnings, n_gold=len(gold_ids), strict=strict)


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    records = []
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON: {exc}") from exc
    return records


def format_table(report: EvalReport) -> str:
    lines = [f"{'slot':<18}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    for rows, macro, label in (
        (report.as_rows(), report.macro_f1, "macro F1"),
        (report.strict_rows(), report.strict_macro_f1, "strict macro F1"),
    ):
        for row in rows:
            lines.append(
                f"{row['slot']:<18}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
                f"{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"
            )
        lines.append(f"{label:<33}{macro:>24.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        sys.stderr.write("usage: python -m pipeline.evaluate GOLD.jsonl PRED.jsonl [--errors]\n")
        return 2
    report = score(read_jsonl(args[0]), read_jsonl(args[1]))
    out = [format_table(report)]
    if "--errors" in args[2:]:
        for e in report.errors:
            out.append(f"\n{e.id}")
            for slot, items in e.missed.items():
                out.append(f"  missed   {slot}: {items}")
            for slot, items in e.spurious.items():
                out.append(f"  spurious {slot}: {items}")
    for w in report.warnings:
        out.append(f"warning: {w}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


# --- linking of articles across outlets (schema, "Same happening across articles") ----------------------


@dataclass
class LinkingReport:
    """Pairwise scores of article linking against gold ``cluster``, and the naive baseline of the same run.

    Pairs are over gold-relevant articles only. A predicted pair is two articles sharing an incident id
    (``incident_ids``, ``incident_id`` or ``cluster`` of the prediction record); a gold pair is two articles
    with the same gold cluster. The baseline links two articles whose word 3-gram Jaccard reaches a threshold
    chosen for the best F1 on the very data it is scored on (an optimistic mark).
    """

    pairs: SlotScore
    articles: int
    clusters: int
    baseline: SlotScore | None = None
    baseline_threshold: float | None = None

    @property
    def gold_pairs(self) -> int:
        return self.pairs.tp + self.pairs.fn

    def as_rows(self) -> list[dict[str, Any]]:
        rows = [{"linker": "incidents", **self.pairs.as_dict()}]
        if self.baseline is not None:
            label = f"3-gram Jaccard >= {self.baseline_threshold:.3f} (best on this data)"
            rows.append({"linker": label, **self.baseline.as_dict()})
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs.as_dict(),
            "articles": self.articles,
            "clusters": self.clusters,
            "gold_pairs": self.gold_pairs,
            "baseline": self.baseline.as_dict() if self.baseline is not None else None,
            "baseline_threshold": self.baseline_threshold,
        }


def gold_has_clusters(gold: Iterable[dict[str, Any]]) -> bool:
    return any(_as_record(g).get("cluster") for g in gold)


def record_incidents(record: dict[str, Any]) -> frozenset[str]:
    """The incident ids a prediction record carries (``incident_ids``, else ``incident_id``, else ``cluster``)."""
    ids = record.get("incident_ids")
    if ids is None:
        one = record.get("incident_id", record.get("cluster"))
        ids = [] if one is None else [one]
    return frozenset(str(i) for i in ids)


def pred_has_incidents(pred: Iterable[dict[str, Any]]) -> bool:
    return any(any(k in _as_record(p) for k in ("incident_ids", "incident_id", "cluster")) for p in pred)


def _pairs_of_groups(groups: dict[str, frozenset[str]]) -> set[tuple[str, str]]:
    """Pairs of articles sharing any group, from article -> its group ids."""
    members: dict[str, set[str]] = {}
    for article, ids in groups.items():
        for group in ids:
            members.setdefault(group, set()).add(article)
    pairs: set[tuple[str, str]] = set()
    for arts in members.values():
        ordered = sorted(arts)
        pairs.update((a, b) for n, a in enumerate(ordered) for b in ordered[n + 1 :])
    return pairs


def _word_trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))


def trigram_baseline(
    articles: Sequence[str], gold_pairs: set[tuple[str, str]], texts: dict[str, str]
) -> tuple[SlotScore, float]:
    """Word 3-gram Jaccard between article texts; the threshold with the best pairwise F1 on these articles."""
    grams = {a: _word_trigrams(texts.get(a, "")) for a in articles}
    scored: list[tuple[float, bool]] = []
    ordered = sorted(articles)
    for n, a in enumerate(ordered):
        for b in ordered[n + 1 :]:
            union = len(grams[a] | grams[b])
            jaccard = len(grams[a] & grams[b]) / union if union else 0.0
            if jaccard > 0:
                scored.append((jaccard, (a, b) in gold_pairs))
    scored.sort(key=lambda item: -item[0])
    best, best_threshold, tp = SlotScore(fn=len(gold_pairs)), 1.0, 0
    for k, (jaccard, correct) in enumerate(scored):
        tp += correct
        if k + 1 < len(scored) and scored[k + 1][0] == jaccard:
            continue  # a threshold takes every pair at its value
        candidate = SlotScore(tp=tp, fp=k + 1 - tp, fn=len(gold_pairs) - tp)
        if candidate.f1 > best.f1:
            best, best_threshold = candidate, jaccard
    return best, best_threshold


def score_linking(
    gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]], texts: dict[str, str] | None = None
) -> LinkingReport:
    """Pairwise P/R/F1 of the predicted incidents against gold ``cluster`` over gold-relevant articles, with
    the 3-gram Jaccard baseline beside it when the article ``texts`` (id -> title and body) are given."""
    gold_records = [_as_record(g) for g in gold]
    relevant = [str(g["id"]) for g in gold_records if g.get("relevant")]
    relevant_set = set(relevant)
    clusters = {str(g["id"]): frozenset([str(g["cluster"])]) for g in gold_records if g.get("cluster")}
    gold_pairs = _pairs_of_groups({a: c for a, c in clusters.items() if a in relevant_set})
    predicted = {str(p["id"]): record_incidents(p) for p in map(_as_record, pred) if str(p.get("id")) in relevant_set}
    pred_pairs = _pairs_of_groups(predicted)
    pairs = SlotScore(tp=len(pred_pairs & gold_pairs), fp=len(pred_pairs - gold_pairs), fn=len(gold_pairs - pred_pairs))
    n_clusters = len({c for a, cs in clusters.items() if a in relevant_set for c in cs})
    report = LinkingReport(pairs=pairs, articles=len(relevant), clusters=n_clusters)
    if texts is not None:
        report.baseline, report.baseline_threshold = trigram_baseline(relevant, gold_pairs, texts)
    return report


if __name__ == "__main__":
    raise SystemExit(main())
