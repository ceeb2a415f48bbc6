"""Fault injection for the fault tests (test support: not part of the package).

Installed in a ``netra`` subprocess by ``tests/support/sitecustomize.py`` when the test puts
``tests/support`` on ``PYTHONPATH`` and sets ``NETRA_FAULT_INJECT``; the package knows nothing
of it.  ``NETRA_FAULT_INJECT_DIR`` names the raw directory whose WARC files fail.

``NETRA_FAULT_INJECT=warc_write`` makes every WARC file opened for writing under the
raw directory fail like a full disk (``OSError(ENOSPC)``) once
``NETRA_FAULT_INJECT_AFTER_BYTES`` bytes (default 0) have been written to it.  It patches
``open`` (``builtins.open``/``io.open``, which ``pathlib``, ``gzip`` and warcio use), so the
crawler's writer is exercised unchanged.  Nothing happens unless the variable is set.
"""

from __future__ import annotations

import builtins
import errno
import io
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "NETRA_FAULT_INJECT"
_installed = False


class _FailingFile:
    """A file whose writes fail with ENOSPC after ``budget`` bytes."""

    def __init__(self, raw, budget: int, path: str):
        self._raw, self._budget, self._path = raw, budget, path

    def write(self, data) -> int:
        if len(data) > self._budget:
            if self._budget > 0:
                self._raw.write(data[: self._budget])
                self._budget = 0
            raise OSError(errno.ENOSPC, "No space left on device (simulated by NETRA_FAULT_INJECT)", self._path)
        self._budget -= len(data)
        return self._raw.write(data)

    def __getattr__(self, name):
        return getattr(self._raw, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._raw.close()

    def __iter__(self):
        return iter(self._raw)


def _is_warc_for_writing(file, mode: str, raw_dir: Path) -> bool:
    if not isinstance(file, (str, os.PathLike)) or not any(flag in mode for flag in "wax+"):
        return False
    path = Path(os.fspath(file))
    name = path.name
    if ".warc" not in name:
        return False
    try:
        path.resolve().relative_to(raw_dir)
    except ValueError:
        return False
    return True


def install_fault_injection() -> None:
    """Install the faults named in ``NETRA_FAULT_INJECT`` (comma-separated); idempotent."""
    global _installed
    faults = {f.strip() for f in os.environ.get(ENV, "").split(",") if f.strip()}
    if not faults or _installed:
        return
    unknown = faults - {"warc_write"}
    if unknown:
        raise ValueError(f"{ENV}: unknown fault(s) {sorted(unknown)}; known: warc_write")
    raw_dir = Path(os.environ[f"{ENV}_DIR"]).resolve()
    budget = int(os.environ.get(f"{ENV}_AFTER_BYTES", "0"))
    real_open = builtins.open

    def faulty_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if _is_warc_for_writing(file, mode, raw_dir):
            log.warning("fault injection: writes to %s will fail after %d bytes", file, budget)
            return _FailingFile(handle, budget, os.fspath(file))
        return handle

    builtins.open = faulty_open
    io.open = faulty_open
    _installed = True
    log.warning("fault injection active: %s", ", ".join(sorted(faults)))
