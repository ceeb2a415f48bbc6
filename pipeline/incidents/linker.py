"""Link a batch of new events into existing incidents: joins, new incidents and merges, with stable ids.

    result = link_events(new_events, existing_incidents, settings)
    result.assignments["doc-7#0"]   # -> incident id
    result.merges                   # [Merge(old_id=12, new_id=4, bridge_event="doc-9#1")]

How a batch is linked:

1. every new event is prepared: its kind (type, and the case step of a sanction), its date range, its
   blocking keys, its text row;
2. blocking proposes candidate pairs (new-new and new-existing member; never two existing members);
3. gates: same kind (type family, and a sanction's case step), different documents, dates compatible at their
   precision (or, when the extracted dates disagree, publication windows that overlap and texts similar
   enough to be one story rewritten);
4. score = weighted text cosine + region overlap + official overlap + same type + date agreement; a pair at
   or above the threshold is a link;
5. links are taken strongest first into a union-find whose nodes are the existing incidents and the new events;
   a union that would put two events of one document in one incident is refused (one article reports a
   happening once);
6. ids: a group holding existing incidents keeps the smallest (oldest) id and the others are merged into it
   (old id -> new id); a group of new events only gets the next id, in order of its earliest date, so the
   same input gives the same ids and adding documents never renumbers what exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.incidents.blocking import BlockKeys, block_keys, candidate_pairs
from pipeline.incidents.compare import (
    DateRange,
    dates_agree,
    event_range,
    publication_window,
    region_overlap,
    shared_officials,
)
from pipeline.incidents.model import EventToLink, ExistingIncident, Link, LinkReasons, LinkResult, Merge
from pipeline.incidents.settings import DEFAULT_SETTINGS, LinkSettings
from pipeline.incidents.text import TextIndex
from pipeline.logs import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class _Prepared:
    event: EventToLink
    kind: tuple[str, str | None]
    when: DateRange | None
    published: DateRange | None
    keys: BlockKeys
    node: int  # union-find node: the existing incident's node, or the event's own


def event_kind(event: EventToLink, settings: LinkSettings) -> tuple[str, str | None]:
    """What must be equal for two events to be one happening: the type family, and a sanction's case step."""
    family = next((f[0] for f in settings.type_families if event.type in f), event.type)
    stage = event.stage if event.type == "sanction" and settings.separate_sanction_status else None
    return family, stage


class _Groups:
    """Union-find over incidents and new events, refusing unions that would hold one document twice."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.documents: list[set[str]] = []
        self.existing: list[set[int]] = []

    def add(self, documents: Iterable[str], existing_id: int | None) -> int:
        self.parent.append(len(self.parent))
        self.documents.append(set(documents))
        self.existing.append({existing_id} if existing_id is not None else set())
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> tuple[int, set[int], set[int]] | None:
        """Join the groups of ``a`` and ``b``; ``None`` when already one or refused. Returns the root and the
        existing incident ids of both sides (for the merge record)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.documents[ra] & self.documents[rb]:
            return None
        side_a, side_b = set(self.existing[ra]), set(self.existing[rb])
        if len(self.documents[ra]) < len(self.documents[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.documents[ra] |= self.documents[rb]
        self.existing[ra] |= self.existing[rb]
        return ra, side_a, side_b


def link_events(
    new_events: Sequence[EventToLink],
    existing: Sequence[ExistingIncident] = (),
    settings: LinkSettings = DEFAULT_SETTINGS,
    next_id: int | None = None,
    text_index: TextIndex | None = None,
) -> LinkResult:
    """Link ``new_events`` among themselves and into ``existing`` incidents (see the module docstring).

    ``next_id`` is the first id a new incident may take; by default one more than the largest existing id. A
    store passes its own counter so that ids merged away are never given out again. ``text_index`` is for
    callers that link the same texts many times (calibration): it must hold every event's text.
    """
    existing_ids = [inc.incident_id for inc in existing]
    if len(set(existing_ids)) != len(existing_ids):
        raise ValueError("existing incidents: duplicate incident ids")
    known = {m.event_id for inc in existing for m in inc.members}
    new_ids = [e.event_id for e in new_events]
    if len(set(new_ids)) != len(new_ids):
        raise ValueError("new events: duplicate event ids")
    if clash := sorted(known.intersection(new_ids)):
        raise ValueError(f"new events already belong to an incident (remove them first to re-link): {clash[:5]}")
    if next_id is None:
        next_id = max(existing_ids, default=0) + 1
    elif existing_ids and next_id <= max(existing_ids):
        raise ValueError(f"next_id {next_id} is not above the existing ids (largest {max(existing_ids)})")

    groups = _Groups()
    prepared: list[_Prepared] = []
    for inc in existing:
        node = groups.add((m.document_id for m in inc.members), inc.incident_id)
        for m in inc.members:
            prepared.append(_prepare(m, node, is_new=False, settings=settings))
    for e in new_events:
        node = groups.add((e.document_id,), None)
        prepared.append(_prepare(e, node, is_new=True, settings=settings))

    pairs = candidate_pairs([p.keys for p in prepared], timeless=settings.undated_link)
    result = LinkResult(comparisons=len(pairs))
    links = _score(prepared, pairs, settings, text_index)
    links.sort(key=lambda item: (-item[2].score, item[2].event_a, item[2].event_b))

    bridges: dict[int, str] = {}
    for i, j, _link in links:
        joined = groups.union(prepared[i].node, prepared[j].node)
        if joined is None:
            continue
        _root, side_a, side_b = joined
        if side_a and side_b:  # two incidents become one: the younger side's ids point at the older
            bridge = prepared[i].event.event_id if prepared[i].keys.is_new else prepared[j].event.event_id
            younger = side_a if min(side_a) > min(side_b) else side_b
            for old in younger:
                bridges.setdefault(old, bridge)

    # ids of the final groups
    members: dict[int, list[_Prepared]] = {}
    for p in prepared:
        members.setdefault(groups.find(p.node), []).append(p)
    final_id: dict[int, int] = {}
    fresh: list[tuple[tuple[date, str], int]] = []
    for root, group in members.items():
        olds = groups.existing[root]
        if olds:
            keep = min(olds)
            final_id[root] = keep
            for old in sorted(olds - {keep}):
                result.merges.append(Merge(old_id=old, new_id=keep, bridge_event=bridges.get(old, "")))
        else:
            fresh.append((min(_order_key(p) for p in group), root))
    for _key, root in sorted(fresh):
        final_id[root] = next_id
        result.new_incidents.append(next_id)
        next_id += 1
    result.next_id = next_id

    for p in prepared:
        if p.keys.is_new:
            incident = final_id[groups.find(p.node)]
            result.assignments[p.event.event_id] = incident
            if groups.existing[groups.find(p.node)]:
                result.joins.append((p.event.event_id, incident))
    result.links = [link for i, j, link in links if groups.find(prepared[i].node) == groups.find(prepared[j].node)]
    log.debug(
        "linked %d events into %d existing incidents: %d comparisons, %d links, %d new, %d merges",
        len(new_events),
        len(existing),
        result.comparisons,
        len(result.links),
        len(result.new_incidents),
        len(result.merges),
    )
    return result


def _order_key(p: _Prepared) -> tuple[date, str]:
    return (p.when.start if p.when is not None else date.max, p.event.event_id)


def _prepare(event: EventToLink, node: int, is_new: bool, settings: LinkSettings) -> _Prepared:
    kind = event_kind(event, settings)
    when = event_range(event.date, event.date_precision, event.published, settings)
    published = publication_window(event.published, settings)
    spans = (when, published) if settings.conflicting_date_min_text <= 1 else (when,)
    keys = block_keys(kind, spans, event.regions, event.officials, is_new, settings)
    return _Prepared(event, kind, when, published, keys, node)


def _judge_dates(a: _Prepared, b: _Prepared, settings: LinkSettings) -> tuple[str, float, float] | None:
    """(how the dates agree, date score, the text similarity the pair then needs), or ``None``: never one."""
    if a.when is None or b.when is None:
        return ("date unknown", 0.0, 0.0) if settings.undated_link else None
    agreement = dates_agree(a.when, b.when, settings)
    if agreement is not None:
        return agreement, 1.0 if agreement == "same day" else 0.5, 0.0
    if (
        settings.conflicting_date_min_text <= 1
        and a.published is not None
        and b.published is not None
        and dates_agree(a.published, b.published, settings)
    ):
        reason = f"dates differ ({a.when.source} / {b.when.source}), published together"
        return reason, 0.0, settings.conflicting_date_min_text
    return None


def _score(
    prepared: Sequence[_Prepared],
    pairs: Sequence[tuple[int, int]],
    settings: LinkSettings,
    index: TextIndex | None = None,
) -> list[tuple[int, int, Link]]:
    """The pairs that pass the gates and the threshold, with their links."""
    gated: list[tuple[int, int, str, float, float]] = []  # i, j, date reason, date score, text needed
    for i, j in pairs:
        a, b = prepared[i], prepared[j]
        if a.event.document_id == b.event.document_id or a.kind != b.kind:
            continue
        judged = _judge_dates(a, b, settings)
        if judged is not None:
            gated.append((i, j, *judged))
    if not gated:
        return []
    if index is None or index.analyzer != settings.text_analyzer:
        index = TextIndex([p.event.text for p in prepared], settings.text_analyzer)
    rows = np.array([index.row(p.event.text) for p in prepared], dtype=np.int64)
    first = np.array([g[0] for g in gated], dtype=np.int64)
    second = np.array([g[1] for g in gated], dtype=np.int64)
    cosines = index.cosine(rows[first], rows[second])
    out: list[tuple[int, int, Link]] = []
    for (i, j, agreement, date_score, text_needed), cosine in zip(gated, cosines.tolist(), strict=True):
        if cosine < max(settings.min_text_similarity, text_needed):
            continue
        ea, eb = prepared[i].event, prepared[j].event
        region_score, regions = region_overlap(ea.regions, eb.regions, settings)
        officials = shared_officials(ea.officials, eb.officials)
        score = (
            settings.text_weight * cosine
            + settings.region_weight * region_score
            + settings.official_weight * (1.0 if officials else 0.0)
            + settings.same_type_weight * (1.0 if ea.type == eb.type else 0.0)
            + settings.date_weight * date_score
        )
        if score >= settings.link_threshold:
            reasons = LinkReasons(officials, regions, agreement, round(cosine, 4))
            out.append((i, j, Link(ea.event_id, eb.event_id, round(score, 4), reasons)))
    return out
