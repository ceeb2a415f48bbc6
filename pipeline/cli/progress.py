"""Terminal display of runs: live progress rows per stage, summary tables, report consoles."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TypeVar

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.logs import is_interactive
from pipeline.runs.nightly import STAGES, NightlyReport
from pipeline.store.runs import RunRecorder

T = TypeVar("T")


def report_console(stderr: bool = True) -> Console:
    """A rich console for reports: the terminal's width, or 160 columns when the output goes
    to a file or a cron mail (rich would otherwise squeeze tables into 80)."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 160)


def record_progress(items: Iterable[T], description: str) -> Iterator[T]:
    """A progress counter in a terminal, nothing in cron."""
    if not is_interactive():
        yield from items
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(description)
        for item in items:
            yield item
            progress.advance(task)


class StageProgress:
    """Rich progress rows (one per stage) fed from the run's live counters; terminals only."""

    def __init__(self, stages: tuple[str, ...]):
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description:<8}"),
            TextColumn("{task.fields[status]:<8}"),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
        )
        self.tasks: dict[str, TaskID] = {
            s: self.progress.add_task(s, start=False, status="waiting", counts="", total=1) for s in stages
        }
        self.run: RunRecorder | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def on_start(self, run: RunRecorder) -> None:
        self.run = run

    def on_stage(self, stage: str, event: str) -> None:
        task = self.tasks.get(stage)
        if task is None:
            return
        if event == "started":
            self.progress.start_task(task)
            self.progress.update(task, status="running")
        else:
            self.progress.update(task, status=event, completed=1)
            self.progress.stop_task(task)
            self._refresh()

    def _refresh(self) -> None:
        if self.run is None:
            return
        for stage, task in self.tasks.items():
            counts = dict(self.run.counts.get(stage, {}))
            text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if "." not in k)
            self.progress.update(task, counts=text[:100])

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            self._refresh()

    def __enter__(self) -> StageProgress:
        self.progress.start()
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._refresh()
        self.progress.stop()


def summary_table(report: NightlyReport) -> Table:
    """A rich table: one row per stage with its status, counters and time."""
    title = f"nightly run {report.run_id or '-'}: {report.status}"
    table = Table(title=title, title_justify="left")
    table.add_column("stage")
    table.add_column("status")
    table.add_column("counts", overflow="fold")
    table.add_column("seconds", justify="right")
    for stage in STAGES:
        status = report.stage_status.get(stage, "-")
        counts = report.counts.get(stage, {})
        text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        if stage in report.stage_errors:
            text = (text + "\n" if text else "") + f"[red]{report.stage_errors[stage]}[/red]"
        style = {"ok": "green", "failed": "bold red", "skipped": "dim"}.get(status, "")
        table.add_row(
            stage, f"[{style}]{status}[/{style}]" if style else status, text, f"{report.timings.get(stage, 0.0):.1f}"
        )
    return table
