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

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.slots.values()) / len(self.slots) if self.slots else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "slots": {k: v.as_dict() for k, v in self.slots.items()},
            "macro_f1": round(self.macro_f1, 4),
            "articles": self.n_gold,
            "warnings": list(self.warnings),
        }

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per slot (slot, tp, fp, fn, precision, recall, f1), ready for a table."""
        return [{"slot": name, **score.as_dict()} for name, score in self.slots.items()]

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


def score(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> EvalReport:
    """Score ``pred`` against ``gold`` (both lists of contract records, matched by ``id``)."""
    slots = {name: SlotScore() for name in SLOTS}
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
        if err.missed or err.spurious:
            errors.append(err)
    extra = sorted(str(i) for i in set(pred_by_id) - gold_ids)
    if extra:
        warnings.append(f"{len(extra)} predictions have no gold record and are ignored: {', '.join(extra[:5])}")
    for w in warnings:
        log.warning(w)
    return EvalReport(slots=slots, errors=errors, warnings=warnings, n_gold=len(gold_ids))


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
    for row in report.as_rows():
        lines.append(
            f"{row['slot']:<18}{row['tp']:>5}{row['fp']:>5}{row['fn']:>5}"
            f"{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"
        )
    lines.append(f"{'macro F1':<33}{report.macro_f1:>24.3f}")
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


if __name__ == "__main__":
    raise SystemExit(main())
