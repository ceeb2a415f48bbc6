"""Orchestration: the runs that chain the stages (nightly, backfill, ingest), their lock and health.

This is the one room that calls several stages; each stage module (crawl, extract,
events, query) knows nothing of the others.  ``ExitCode`` is the outcome of a run,
shared with the CLI, which turns it into the process's exit status.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit status of every ``netra`` command (documented in the README)."""

    OK = 0  # success
    PARTIAL = 1  # some records, pages or sources failed; the rest went through
    USAGE = 2  # usage error (bad flag, bad file)
    FATAL = 3  # nothing could be done: database unreachable, a stage failed as a whole
    LOCKED = 4  # another run holds the lock


__all__ = ["ExitCode"]
