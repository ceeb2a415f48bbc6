"""Candidate blocking: only events of the same type, near in time and sharing a place are ever compared.

Each event sits in the time buckets its date range touches (``bucket_days`` wide) and carries place keys: the
provinces of its regions and the longer tokens of its officials' names. Two events are candidates when they
share a (type, bucket) and a place key, or when one of them has no region at all (a national story names
no region; it is compared with everything of its type in its buckets). The cost therefore grows with the
number of events times the density of a bucket, not with the square of the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from pipeline.incidents.compare import DateRange, name_tokens
from pipeline.incidents.settings import LinkSettings


@dataclass(frozen=True)
class BlockKeys:
    kind: Hashable
    buckets: tuple[int, ...]
    places: frozenset[str]
    placed: bool
    """False when the event names no region: it is compared with every event of its buckets."""
    is_new: bool


def block_keys(
    kind: Hashable,
    when: Iterable[DateRange | None],
    regions: Iterable[str],
    officials: Iterable[str],
    is_new: bool,
    settings: LinkSettings,
) -> BlockKeys:
    found: set[int] = set()
    for span in when:
        if span is not None:
            first = (span.start.toordinal() - settings.date_slack_days) // settings.bucket_days
            last = (span.end.toordinal() + settings.date_slack_days) // settings.bucket_days
            found.update(range(first, last + 1))
    buckets = tuple(sorted(found))
    regions = tuple(regions)
    places = {"r:" + code.split(".")[0] for code in regions}
    for name in officials:
        places.update("o:" + t for t in name_tokens(name) if len(t) >= settings.min_name_token)
    return BlockKeys(kind, buckets, frozenset(places), bool(regions), is_new)


def candidate_pairs(keys: Sequence[BlockKeys], timeless: bool = True) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, worth scoring; at least one of the two is new (existing members were
    compared when they were new).

    An event without any date (no own date, no publication date) is in no bucket: with ``timeless`` it is
    compared with the events of its kind sharing a place key with it, whatever their dates; without, never.
    """
    placed: dict[tuple[Hashable, int, str], list[int]] = defaultdict(list)
    unplaced: dict[tuple[Hashable, int], list[int]] = defaultdict(list)
    everyone: dict[tuple[Hashable, int], list[int]] = defaultdict(list)
    by_place: dict[tuple[Hashable, str], list[int]] = defaultdict(list)
    undated: dict[tuple[Hashable, str], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if timeless:
            for p in k.places:
                by_place[(k.kind, p)].append(i)
                if not k.buckets:
                    undated[(k.kind, p)].append(i)
        for b in k.buckets:
            everyone[(k.kind, b)].append(i)
            if k.placed:
                for p in k.places:
                    placed[(k.kind, b, p)].append(i)
            else:
                unplaced[(k.kind, b)].append(i)
    pairs: set[tuple[int, int]] = set()

    def add(i: int, others: Iterable[int]) -> None:
        for j in others:
            if j != i and not (keys[j].is_new and j < i):
                pairs.add((i, j) if i < j else (j, i))

    for i, k in enumerate(keys):
        if not k.is_new:
            continue
        if timeless:  # undated events: by place only, in both directions
            for p in k.places:
                add(i, by_place[(k.kind, p)] if not k.buckets else undated.get((k.kind, p), ()))
        for b in k.buckets:
            if not k.placed:
                others: Iterable[int] = everyone[(k.kind, b)]
            else:
                found: set[int] = set(unplaced.get((k.kind, b), ()))
                for p in k.places:
                    found.update(placed.get((k.kind, b, p), ()))
                others = found
            add(i, others)
    return sorted(pairs)
