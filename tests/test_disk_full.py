"""Disk full while the nightly archives pages (WARC) and while ``netra export`` writes.

A size-limited tmpfs is mounted over the site's ``data/raw`` (the WARC directory) or over the
export directory; this needs root.  Without it the tmpfs tests skip and the injected-ENOSPC
variant (``tests/support/faults.py``, at the WARC writer's ``open``) runs instead.  Each ends
with the store compared, through ``canonical_dump``, to the uninterrupted reference nightly of
``test_nightly.py``: nothing lost, nothing counted twice.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from pipeline.extract.warc import WarcResponse, iter_warc
from pipeline.store.db import open_store
from pipeline.store.models import CrawlUrl, Document, WarcRecord
from tests.support.dump import diff_dumps
from tests.test_nightly import assert_ok, make_site, network, reference  # noqa: F401

pytestmark = pytest.mark.slow

TINY = "96k"  # a few dozen articles' worth of gzipped WARC: the demo crawl needs several times more


def _mount_tmpfs(directory: Path, size: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {proc.stderr.strip() or proc.returncode}")


def _remount(directory: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(directory)], check=True, capture_output=True)


def _umount(directory: Path) -> None:
    subprocess.run(["umount", "-l", str(directory)], capture_output=True)


@pytest.fixture
def tmpfs(tmp_path):
    """``mount(directory, size)``; everything mounted is unmounted at teardown, pass or fail."""
    mounted: list[Path] = []

    def mount(directory: Path, size: str) -> Path:
        _mount_tmpfs(directory, size)
        mounted.append(directory)
        return directory

    yield mount
    for directory in reversed(mounted):
        _umount(directory)


def _assert_refs_are_whole_records(site) -> int:
    """Every WARC position the store holds is a response record the project's reader reads whole."""
    engine = open_store(site.db_url, migrate=True)
    with engine.connect() as conn:
        refs = {r for (r,) in conn.execute(select(Document.raw_ref).where(Document.raw_ref.is_not(None)))}
        refs |= {
            f"{p}#{o}"
            for p, o in conn.execute(
                select(CrawlUrl.warc_path, CrawlUrl.warc_offset).where(CrawlUrl.warc_path.is_not(None))
            )
        }
        refs |= {f"{p}#{o}" for p, o in conn.execute(select(WarcRecord.warc_path, WarcRecord.record_offset))}
    engine.dispose()
    readable: dict[str, set[int]] = {}
    for ref in refs:
        path, _, offset = ref.rpartition("#")
        full = Path(path) if Path(path).is_absolute() else site.data_dir / path
        if path not in readable:
            readable[path] = {r.offset for r in iter_warc(full) if isinstance(r, WarcResponse) and not r.skip_reason}
        assert int(offset) in readable[path], f"{ref} is not a whole, readable response record"
        with full.open("rb") as fh:  # and it reads on its own from its offset
            fh.seek(int(offset))
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type == "response"
            record.content_stream().read()
    return len(refs)


def _single_error_line(proc, path: Path) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
    lines = [line for line in proc.stderr.splitlines() if str(path) in line and "No space left on device" in line]
    assert lines, proc.stderr[-4000:]


def test_nightly_on_a_full_raw_disk_exits_3_then_completes_after_space_is_freed(reference, network, tmp_path, tmpfs):
    _ref_site, ref_dump, _ = reference
    site = make_site(tmp_path, f"sqlite:///{tmp_path / 'netra.db'}", network)
    raw = tmpfs(site.data_dir / "raw", TINY)

    full = site.run()
    assert full.returncode == 3, full.stderr[-4000:]
    _single_error_line(full, raw)
    assert _assert_refs_are_whole_records(site) > 0  # what fitted is stored, and only that

    _remount(raw, "64m")
    again = site.run()
    # 0, not 1 (partial): the writer cut the failed file back to its last whole record, so no later
    # run finds a damaged tail to report
    assert_ok(again, codes=(0,))
    assert diff_dumps(ref_dump, site.dump()) == []
    _assert_refs_are_whole_records(site)


def test_nightly_with_injected_enospc_names_the_file(reference, network, tmp_path):
    """The same without root: ENOSPC injected at the WARC writer's writes, mid-crawl."""
    _ref_site, ref_dump, _ = reference
    site = make_site(tmp_path, f"sqlite:///{tmp_path / 'netra.db'}", network)
    full = site.run(env_extra={"NETRA_FAULT_INJECT": "warc_write", "NETRA_FAULT_INJECT_AFTER_BYTES": "40000"})
    assert full.returncode == 3, full.stderr[-4000:]
    _single_error_line(full, site.data_dir / "raw")
    assert _assert_refs_are_whole_records(site) > 0
    again = site.run()
    assert_ok(again, codes=(0,))
    assert diff_dumps(ref_dump, site.dump()) == []
    _assert_refs_are_whole_records(site)


def _export_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_into_a_full_disk_exits_3_leaves_nothing_half_written_then_succeeds(reference, tmp_path, tmpfs):
    site, _dump, _ = reference
    out = tmpfs(tmp_path / "exports", "16k")  # schema.json fits, the Parquet files do not
    proc = site.run("--out", str(out), "--day", "2024-06-01", command="export")
    assert proc.returncode == 3, proc.stderr[-4000:]
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "export failed" in line]
    assert len(errors) == 1 and str(out) in errors[0] and "No space left on device" in errors[0], proc.stderr
    assert _export_files(out) == {}  # no day directory, no LATEST, no staging left behind
    assert list(out.iterdir()) == []

    _remount(out, "64m")
    ok = site.run("--out", str(out), "--day", "2024-06-01", command="export")
    assert_ok(ok)
    files = _export_files(out)
    assert (out / "LATEST").read_text().strip() == "2024-06-01"
    assert {"2024-06-01/events.csv", "2024-06-01/events.parquet", "2024-06-01/schema.json"} <= set(files)
    reference_export = site.data_dir / "processed" / "exports" / "latest"
    for name in ("events.csv", "officials.csv", "sanctions.csv"):
        assert files[f"2024-06-01/{name}"] == (reference_export / name).read_bytes()
