"""Benchmark incident linking at scale: synthetic events with injected syndicated copies.

    python bench/incidents.py [--events 100000] [--sample 2000] [--seed 13]

Events are spread over 2019-2025 (denser in the election years 2019 and 2024), with regions drawn from the
bundled Kemendagri gazetteer (pipeline/data/regions), officials from per-region pools (the same Bupati shows up
in many stories of his regency), the seven event types, day/month/undated dates. A share of the stories is
syndicated: rewritten lightly (words dropped or swapped, sentences reordered, an outlet's own lead) and
reposted by 2-5 outlets within a few days, sometimes losing the date or a region. Reported: seconds, peak RSS,
comparisons, the recall of the injected copies (copy pairs in one incident) and the share of linked pairs that
are true copies; beside it, on a sample, the same linker comparing all pairs (no blocking) to show how cost grows.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.incidents import link_events
from pipeline.incidents import linker as linker_module
from pipeline.incidents.model import EventToLink, LinkResult
from pipeline.regions import load_regions

TYPES = ("rakor", "pledge", "directive", "socialization", "monitoring", "violation", "sanction")
TYPE_WEIGHTS = (18, 12, 10, 16, 12, 22, 10)
# A vocabulary of Indonesian news words (generic, not from any gold article) plus made-up filler, so that
# unrelated stories share the common words of the genre and differ in the rest.
GENRE = [
    "netralitas",
    "asn",
    "aparatur",
    "sipil",
    "negara",
    "pemilu",
    "pilkada",
    "bawaslu",
    "kasn",
    "bupati",
    "wali",
    "kota",
    "gubernur",
    "sekda",
    "camat",
    "kepala",
    "desa",
    "perangkat",
    "desa",
    "tni",
    "polri",
    "rapat",
    "koordinasi",
    "apel",
    "ikrar",
    "deklarasi",
    "sosialisasi",
    "pengawasan",
    "sanksi",
    "pelanggaran",
    "rekomendasi",
    "surat",
    "edaran",
    "imbauan",
    "kampanye",
    "media",
    "sosial",
    "calon",
    "pasangan",
    "dukungan",
    "kegiatan",
    "pemerintah",
    "daerah",
    "kabupaten",
    "kota",
    "provinsi",
    "kantor",
    "aula",
    "lapangan",
    "menjelang",
    "tahapan",
    "pemilihan",
    "serentak",
]
SYLLABLES = [
    "ba",
    "bi",
    "bu",
    "da",
    "di",
    "du",
    "ka",
    "ki",
    "ku",
    "la",
    "li",
    "lu",
    "ma",
    "mi",
    "mu",
    "na",
    "ni",
    "nu",
    "ra",
    "ri",
    "ru",
    "sa",
    "si",
    "su",
    "ta",
    "ti",
    "tu",
    "wa",
    "wi",
    "ya",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _day(rng: random.Random) -> date:
    start, end = date(2019, 1, 1), date(2025, 12, 31)
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if d.year in (2019, 2024) or rng.random() < 0.45:  # election years are denser
            return d


def synthesize(n_events: int, seed: int) -> tuple[list[EventToLink], dict[str, str]]:
    """``n_events`` events; returns them and event id -> story id (copies of one story share it)."""
    rng = random.Random(seed)
    regencies = [r for r in load_regions().values() if r.level in ("kabupaten", "kota")]
    filler = [_word(rng) for _ in range(20000)]
    officials = {r.code: [f"{_word(rng).title()} {_word(rng).title()}" for _ in range(6)] for r in regencies}
    outlets = [f"{_word(rng)}.id" for _ in range(400)]
    events: list[EventToLink] = []
    story_of: dict[str, str] = {}
    story = 0
    while len(events) < n_events:
        story += 1
        kind = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        stage = rng.choice(("recommended", "imposed")) if kind == "sanction" else None
        when = _day(rng)
        home = rng.choice(regencies)
        regions = () if rng.random() < 0.1 else (home.code, *([home.province_code] if rng.random() < 0.3 else []))
        names = tuple(rng.sample(officials[home.code], rng.randint(0, 3)))
        sentences = [
            " ".join(rng.choice(GENRE) if rng.random() < 0.5 else rng.choice(filler) for _ in range(12))
            for _ in range(5)
        ]
        sentences[0] += " " + home.name + " " + " ".join(names)
        precision = rng.choices(("day", "month", None), (70, 10, 20))[0]
        copies = rng.choices((1, 2, 3, 4, 5), (85, 6, 4, 3, 2))[0]
        for c in range(copies):
            if len(events) >= n_events:
                break
            published = when + timedelta(days=rng.randint(0, 3))
            text = sentences if c == 0 else _rewrite(sentences, filler, rng)
            p = precision if c == 0 or rng.random() < 0.7 else None
            doc = f"s{story}-c{c}"
            events.append(
                EventToLink(
                    event_id=f"{doc}#0",
                    document_id=doc,
                    type=kind,
                    date=None if p is None else (when.isoformat() if p == "day" else when.isoformat()[:7]),
                    date_precision=p,
                    published=published.isoformat(),
                    regions=regions if c == 0 or rng.random() < 0.8 else regions[:1],
                    officials=names if c == 0 else tuple(n for n in names if rng.random() < 0.8),
                    text=" ".join(text),
                    outlet=rng.choice(outlets),
                    stage=stage,
                )
            )
            story_of[f"{doc}#0"] = f"s{story}"
    return events, story_of


def _rewrite(sentences: list[str], filler: list[str], rng: random.Random) -> list[str]:
    """A light rewrite: sentences reordered after the lead, 20% of words dropped or swapped, a new lead line."""
    out = []
    for s in sentences:
        words = [w if rng.random() > 0.2 else rng.choice(filler) for w in s.split() if rng.random() > 0.1]
        out.append(" ".join(words))
    body = out[1:]
    rng.shuffle(body)
    return [" ".join(rng.choice(filler) for _ in range(8)), out[0], *body]


def _pairs_in_incidents(result: LinkResult, story_of: dict[str, str]) -> tuple[float, float, int]:
    """(recall of the injected copy pairs, share of linked pairs that are copies of one story, copy pairs)."""
    by_story: dict[str, list[int]] = {}
    for event, story in story_of.items():
        by_story.setdefault(story, []).append(result.assignments[event])
    gold_pairs = found = 0
    for incidents in by_story.values():
        for i in range(len(incidents)):
            for j in range(i + 1, len(incidents)):
                gold_pairs += 1
                found += incidents[i] == incidents[j]
    members: dict[int, list[str]] = {}
    for event, incident in result.assignments.items():
        members.setdefault(incident, []).append(story_of[event])
    linked = true = 0
    for stories in members.values():
        for i in range(len(stories)):
            for j in range(i + 1, len(stories)):
                linked += 1
                true += stories[i] == stories[j]
    return (found / gold_pairs if gold_pairs else 1.0), (true / linked if linked else 1.0), gold_pairs


def _all_pairs(keys: list[object], timeless: bool = True) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(keys)) for j in range(i + 1, len(keys))]


def run(events: list[EventToLink], story_of: dict[str, str], label: str, all_pairs: bool = False) -> dict[str, float]:
    saved = linker_module.candidate_pairs
    if all_pairs:
        linker_module.candidate_pairs = _all_pairs  # type: ignore[assignment]
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = link_events(events)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        linker_module.candidate_pairs = saved
    recall, precision, copy_pairs = _pairs_in_incidents(result, {e.event_id: story_of[e.event_id] for e in events})
    row = {
        "events": len(events),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "comparisons": result.comparisons,
        "incidents": len(result.new_incidents),
        "copy_pairs": copy_pairs,
        "copy_recall": round(recall, 4),
        "linked_pairs_true": round(precision, 4),
    }
    print(f"{label:<34}" + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    t = time.perf_counter()
    events, story_of = synthesize(args.events, args.seed)
    print(f"synthesized {len(events)} events in {time.perf_counter() - t:.1f}s", flush=True)
    # The sample: the earliest events (a slice of time at the same density as the whole), as an archive
    # grows: more weeks of news, not more news per week.
    sample = sorted(events, key=lambda e: (e.published or "", e.event_id))[: args.sample]
    blocked_small = run(sample, story_of, f"blocked, {len(sample)} events")
    all_small = run(sample, story_of, f"all pairs, {len(sample)} events", all_pairs=True)
    full = run(events, story_of, f"blocked, {len(events)} events")
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    growth = len(events) / len(sample)
    print(
        f"peak RSS {rss_mib:.0f} MiB; {growth:.0f}x the events cost {full['cpu_seconds'] / blocked_small['cpu_seconds']:.1f}x "
        f"the CPU time and {full['comparisons'] / max(1, blocked_small['comparisons']):.1f}x the comparisons when blocked; "
        f"all pairs on the sample: {all_small['comparisons'] / max(1, blocked_small['comparisons']):.0f}x the "
        f"comparisons and {all_small['cpu_seconds'] / blocked_small['cpu_seconds']:.1f}x the CPU time of blocking "
        f"(all pairs of {len(events)} would be {len(events) * (len(events) - 1) // 2:,} comparisons)"
    )


if __name__ == "__main__":
    main()
