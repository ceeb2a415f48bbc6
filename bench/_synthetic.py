"""Synthetic events for the serving benchmark (``bench/serve.py``): a realistic spread, fast to load.

    python bench/_synthetic.py URL [--events 1000000] [--seed 7]

fills a migrated, empty store at URL (PostgreSQL by ``COPY``, SQLite by batched ``executemany``).
Deterministic for a seed, so the PostgreSQL and SQLite stores of one benchmark run hold the same rows.

The spread, roughly what the nightly produces from regional news:
- regions: every kabupaten/kota, weighted by a heavy tail (a few busy regencies, Java heavier);
  70 % of events tagged with the regency, 15 % with a kecamatan in it, 15 % with the province only;
  a quarter of the events carry a second region;
- types: rakor 25 %, violation 20 %, socialization 15 %, pledge 10 %, directive 10 %,
  monitoring 10 %, sanction 10 %;
- dates: 2016-2025 with peaks around the 2019 and 2024 elections and the 2018/2020/2024 pilkada;
  85 % day precision, 5 % month, 10 % undated;
- 1.3 events per article, 1.5 officials, 0.25 sanctions, 0.5 elections and 2 evidence rows per event.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.regions import load_regions

TYPES = ["rakor", "violation", "socialization", "pledge", "directive", "monitoring", "sanction"]
TYPE_WEIGHTS = [25, 20, 15, 10, 10, 10, 10]
SUBJECTS = ["asn", "asn", "asn", "asn", "village", "tni", "polri"]
OFFICES = ["bupati", "wali_kota", "sekda", "kepala_opd", "camat", "kepala_desa", "gubernur", "anggota_bawaslu"]
ROLES = ["leader", "speaker", "attendee", "organizer", "subject"]
SANCTIONS = [
    "teguran_lisan",
    "teguran_tertulis",
    "sanksi",
    "hukuman_disiplin",
    "penurunan_jabatan",
    "pembebasan_dari_jabatan",
]
STATUSES = ["mentioned", "threatened", "recommended", "imposed"]
ELECTIONS = [
    ("pemilu", 2019),
    ("pemilu", 2024),
    ("pilkada", 2018),
    ("pilkada", 2020),
    ("pilkada", 2024),
    ("pilpres", 2024),
]
PEAKS = {2018: 1.5, 2019: 2.0, 2020: 1.6, 2023: 1.8, 2024: 2.5}
WORDS = ["netralitas", "ASN", "rapat", "koordinasi", "bupati", "camat", "kepala", "desa", "pemilu", "pilkada", "bawaslu", "apel", "ikrar", "pengawasan", "pelanggaran", "sanksi", "kampanye", "media", "sosial", "surat", "edaran", "pejabat", "daerah"]  # fmt: skip
FIRST = ["Ahmad", "Budi", "Siti", "Dewi", "Agus", "Rina", "Hendra", "Yusuf", "Made", "Nyoman", "Maria", "Frans"]
LAST = ["Saputra", "Wijaya", "Lestari", "Hidayat", "Pratama", "Siregar", "Nainggolan", "Manurung", "Wenda", "Lakafu"]
START = date(2016, 1, 1)
DAYS = (date(2025, 12, 31) - START).days + 1
VERSION = "synthetic-1"


def _day_weights() -> list[float]:
    weights = []
    for n in range(DAYS):
        day = START + timedelta(days=n)
        weights.append(PEAKS.get(day.year, 1.0) * (1.4 if day.month in (1, 2, 8, 9, 10, 11) else 1.0))
    return weights


def rows(n_events: int, seed: int = 7) -> dict[str, Iterator[tuple[Any, ...]]]:
    """All rows, table by table (each a list of tuples in the table's column order of ``COLUMNS``)."""
    rng = random.Random(seed)
    regions = load_regions()
    regencies = sorted(c for c, r in regions.items() if r.level in ("kabupaten", "kota"))
    districts: dict[str, list[str]] = {}
    for code, r in regions.items():
        if r.level == "kecamatan":
            districts.setdefault(code[:5], []).append(code)
    java = {"31", "32", "33", "34", "35", "36"}
    weights = [(3.0 if c[:2] in java else 1.0) / (1 + (i * 7919 % 514) / 40) for i, c in enumerate(regencies)]
    days = rng.choices(range(DAYS), weights=_day_weights(), k=n_events)
    types = rng.choices(TYPES, weights=TYPE_WEIGHTS, k=n_events)
    homes = rng.choices(regencies, weights=weights, k=n_events)
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)} {k}" for k in range(20_000)]
    created = datetime(2026, 1, 1, tzinfo=UTC)
    out: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
    out["people"] = [(k + 1, name, name.casefold()) for k, name in enumerate(people)]
    doc_id, ordinal = 0, 0
    official_id = sanction_id = election_id = evidence_id = 0
    for k in range(n_events):
        event_id = k + 1
        if doc_id == 0 or rng.random() < 0.77:  # about 1.3 events per article
            doc_id += 1
            ordinal = 0
            published = datetime.combine(START + timedelta(days=days[k]), datetime.min.time(), tzinfo=UTC)
            out["documents"].append((
                doc_id, f"syn-{doc_id}", f"https://berita.example/{doc_id}", f"https://berita.example/{doc_id}",
                f"Berita {types[k]} {doc_id}", published, "extracted", True, VERSION,
            ))  # fmt: skip
        else:
            ordinal += 1
        roll = rng.random()
        day = START + timedelta(days=days[k])
        if roll < 0.85:
            text, precision, d_from, d_to = day.isoformat(), "day", day, day
        elif roll < 0.90:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            text, precision, d_from, d_to = day.isoformat()[:7], "month", first, last
        else:
            text, precision, d_from, d_to = None, None, None, None
        out["events"].append((
            event_id, doc_id, ordinal, types[k], rng.choice(SUBJECTS), text, precision, d_from, d_to, "regency",
            round(rng.uniform(0.5, 0.99), 2), VERSION, created,
        ))  # fmt: skip
        home = homes[k]
        roll = rng.random()
        if roll < 0.70:
            tags = {home}
        elif roll < 0.85 and districts.get(home):
            tags = {rng.choice(districts[home])}
        else:
            tags = {home[:2]}
        if rng.random() < 0.25:
            tags.add(rng.choice(regencies))
        out["event_regions"].extend((event_id, code) for code in sorted(tags))
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            official_id += 1
            person = rng.randrange(len(people))
            out["event_officials"].append((
                official_id, event_id, person + 1, people[person], rng.choice(OFFICES), rng.choice((None, None, "pj", "plt")),
                home, rng.choice(ROLES),
            ))  # fmt: skip
        if (types[k] in ("sanction", "violation") and rng.random() < 0.8) or rng.random() < 0.05:
            sanction_id += 1
            out["event_sanctions"].append((sanction_id, event_id, rng.choice(SANCTIONS), rng.choice(STATUSES)))
        if rng.random() < 0.5:
            election_id += 1
            kind, year = rng.choice(ELECTIONS)
            out["event_elections"].append((election_id, event_id, kind, year))
        sentence = " ".join(rng.choices(WORDS, k=14)).capitalize() + "."
        for field, rule in (("event", "cues.sentence"), ("type", f"cues.type.{types[k]}")):
            evidence_id += 1
            out["evidence"].append(
                (evidence_id, event_id, doc_id, field, 0, len(sentence), sentence, rule, "syn-1", 0.9)
            )
    return {t: iter(v) for t, v in out.items()}


COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "doc_key", "url", "canonical_url", "title", "published_at", "status", "relevant", "pipeline_version"),
    "events": ("id", "document_id", "ordinal", "type", "subject", "date", "date_precision", "date_from", "date_to", "scope",
               "confidence", "pipeline_version", "created_at"),
    "people": ("id", "name", "name_key"),
    "event_regions": ("event_id", "region_code"),
    "event_officials": ("id", "event_id", "person_id", "name", "office", "acting", "region_code", "role"),
    "event_sanctions": ("id", "event_id", "kind", "status"),
    "event_elections": ("id", "event_id", "kind", "year"),
    "evidence": ("id", "event_id", "document_id", "field", "char_start", "char_end", "sentence", "rule", "rule_version", "confidence"),
}  # fmt: skip
ORDER = [
    "documents",
    "events",
    "people",
    "event_regions",
    "event_officials",
    "event_sanctions",
    "event_elections",
    "evidence",
]


def fill(url: str, n_events: int, seed: int = 7, log: Any = print) -> dict[str, int]:
    """Fill the migrated, empty store at ``url``; returns rows per table."""
    from sqlalchemy import create_engine

    from pipeline.store.db import normalize_url

    engine = create_engine(normalize_url(url))
    counts: dict[str, int] = {}
    started = time.perf_counter()
    data = rows(n_events, seed)
    log(f"generated {n_events:,} events in {time.perf_counter() - started:.0f}s")
    try:
        for table in ORDER:
            t0 = time.perf_counter()
            columns = COLUMNS[table]
            if engine.dialect.name == "postgresql":
                counts[table] = _copy(engine, table, columns, data[table])
            else:
                counts[table] = _insert(engine, table, columns, data[table])
            log(f"  {table}: {counts[table]:,} rows in {time.perf_counter() - t0:.0f}s")
        # Statistics and (PostgreSQL) the visibility map that index-only scans need, as autovacuum
        # would leave them some minutes after a load.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    finally:
        engine.dispose()
    return counts


def _copy(engine: Any, table: str, columns: tuple[str, ...], data: Iterator[tuple[Any, ...]]) -> int:
    n = 0
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
                n += 1
        raw.commit()
    finally:
        raw.close()
    return n


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's own SQLite storage formats, so the ORM reads these rows back as it wrote its own.
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert(
    engine: Any, table: str, columns: tuple[str, ...], data: Iterator[tuple[Any, ...]], batch: int = 50_000
) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    n = 0
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        chunk: list[tuple[Any, ...]] = []
        for row in data:
            chunk.append(tuple(_sqlite_value(v) for v in row))
            if len(chunk) >= batch:
                cur.executemany(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            cur.executemany(sql, chunk)
            n += len(chunk)
        raw.commit()
    finally:
        raw.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from pipeline.store.db import open_store

    open_store(args.url, migrate=True).dispose()
    print(fill(args.url, args.events, args.seed))


if __name__ == "__main__":
    main()
