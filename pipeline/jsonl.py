"""Reading JSON Lines input with per-line errors that name the file, line and record."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.schema import ArticleInput


@dataclass(frozen=True)
class RecordError:
    path: str
    line: int
    record_id: str | None
    message: str

    def __str__(self) -> str:
        who = f" (record {self.record_id!r})" if self.record_id else ""
        return f"{self.path}:{self.line}{who}: {self.message}"


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


UTF8_BOM = b"\xef\xbb\xbf"


def _lines(path: Path | str) -> Iterator[bytes]:
    """The raw lines of ``path`` (``-``: standard input)."""
    if str(path) == "-":
        yield from sys.stdin.buffer
        return
    with open(path, "rb") as fh:
        yield from fh


def read_articles(path: Path | str) -> Iterator[ArticleInput | RecordError]:
    """Yield one ``ArticleInput`` per valid line, a ``RecordError`` per bad one; never raise on content.

    ``path`` ``-`` reads standard input; a UTF-8 byte order mark (Windows editors, Excel) is ignored.
    """
    name = "<stdin>" if str(path) == "-" else str(path)
    for number, raw in enumerate(_lines(path), start=1):
        if number == 1:
            raw = raw.removeprefix(UTF8_BOM)
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield RecordError(name, number, None, f"invalid UTF-8 at byte {exc.start}")
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(name, number, None, f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield RecordError(name, number, None, f"expected a JSON object, got {type(data).__name__}")
            continue
        record_id = data.get("id") if isinstance(data.get("id"), str) else None
        try:
            yield ArticleInput.model_validate(data)
        except ValidationError as exc:
            yield RecordError(name, number, record_id, _describe(exc))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Plain JSON Lines (gold and prediction files); a bad line raises with its line number."""
    records = []
    with open(path, encoding="utf-8-sig") as fh:  # a byte order mark is not part of the first record
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: malformed JSON: {exc.msg}") from exc
    return records
