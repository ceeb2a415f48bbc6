"""Per-source crawl counters, mirrored into the run record (``runs``, ``run_source_stats``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.store.runs import RunRecorder

STAGE = "crawl"


@dataclass
class SourceStats:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("error."))

    @property
    def skipped(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("skipped."))

    @property
    def succeeded(self) -> bool:
        """Anything at all worked: a feed/sitemap answered, or an article was fetched."""
        return self.counts["discovery_ok"] > 0 or self.counts["fetched"] > 0

    @property
    def status(self) -> str:
        if self.errors and not self.succeeded:
            return "failed"
        return "partial" if self.errors else "ok"

    def row(self) -> dict[str, int]:
        out = dict(self.counts)
        out["errors"] = self.errors
        out["skipped"] = self.skipped
        return out


class CrawlStats:
    def __init__(self, run: RunRecorder | None, sources: list[str]):
        self.run = run
        self.sources = {name: SourceStats() for name in sources}

    def inc(self, source: str, key: str, n: int = 1) -> None:
        if n == 0:
            return
        stats = self.sources.setdefault(source, SourceStats())
        stats.counts[key] += n
        if self.run is not None:
            self.run.source_stat(source, stats.row(), stats.status)
            self.run.count(STAGE, key, n)

    def error(self, source: str, error_class: str, where: str, message: str) -> None:
        self.inc(source, f"error.{error_class}")
        if self.run is not None:
            self.run.add_error(STAGE, where, f"{error_class}: {message}")

    def finalize(self) -> None:
        if self.run is not None:
            for name, stats in self.sources.items():
                self.run.source_stat(name, stats.row(), stats.status)
