"""Link the records of ``netra extract-text`` (the event contract) with their input articles.

    netra extract-text X.input.jsonl -o pred.jsonl
    python -m pipeline.incidents pred.jsonl X.input.jsonl -o linked.jsonl
    netra eval X.jsonl linked.jsonl          # prints the linking table when X.jsonl carries clusters

Each output record is the prediction record with ``incident_ids`` (the incidents of its events, in event
order, without repeats) and ``incident_id`` (the first of them, ``null`` for a record without events); each
event gains its ``incident_id``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.incidents.linker import link_events
from pipeline.incidents.model import EventToLink, LinkResult
from pipeline.incidents.settings import DEFAULT_SETTINGS, LinkSettings

# A sanction's case step, strongest first: an imposed sanction is a later step than a recommended one.
_STAGES = ("imposed", "recommended")


def outlet_of(url: str | None) -> str | None:
    """The site of a URL without ``www.`` (``https://www.aceh.one/x`` -> ``aceh.one``)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def article_text(article: Mapping[str, Any]) -> str:
    """Title and body of an input article, as text similarity reads them."""
    title = str(article.get("title") or "")
    body = str(article.get("text") or "")
    return f"{title}\n{body}" if title and not body.startswith(title) else body


def sanction_stage(event: Mapping[str, Any]) -> str | None:
    statuses = {str(s.get("status")) for s in event.get("sanctions") or () if isinstance(s, Mapping)}
    return next((stage for stage in _STAGES if stage in statuses), None)


def events_of_record(record: Mapping[str, Any], article: Mapping[str, Any] | None = None) -> list[EventToLink]:
    """One :class:`EventToLink` per event of a contract record; ids ``"<record id>#<event index>"``."""
    doc = str(record["id"])
    article = article or {}
    text = article_text(article)
    published = record.get("published") or article.get("published")
    out = []
    for index, event in enumerate(record.get("events") or ()):
        officials = tuple(str(o["name"]) for o in event.get("officials") or () if o.get("name"))
        out.append(
            EventToLink(
                event_id=f"{doc}#{index}",
                document_id=doc,
                type=str(event.get("type")),
                date=event.get("date"),
                date_precision=event.get("date_precision"),
                published=str(published) if published else None,
                regions=tuple(str(r) for r in event.get("regions") or ()),
                officials=officials,
                text=text or " ".join(str(s) for s in event.get("evidence") or ()),
                outlet=outlet_of(article.get("url")),
                stage=sanction_stage(event),
            )
        )
    return out


def link_records(
    predictions: Sequence[Mapping[str, Any]],
    articles: Iterable[Mapping[str, Any]] = (),
    settings: LinkSettings = DEFAULT_SETTINGS,
) -> tuple[list[dict[str, Any]], LinkResult]:
    """Link all events of ``predictions`` (texts from ``articles``, matched by id) in one batch.

    Returns the records with their incident ids (see the module docstring) and the linking result.
    """
    by_id = {str(a["id"]): a for a in articles if "id" in a}
    events = [e for r in predictions for e in events_of_record(r, by_id.get(str(r["id"])))]
    result = link_events(events, (), settings)
    linked = []
    for record in predictions:
        out = dict(record)
        ids: list[int] = []
        new_events = []
        for index, event in enumerate(record.get("events") or ()):
            incident = result.assignments[f"{record['id']}#{index}"]
            new_events.append({**event, "incident_id": incident})
            if incident not in ids:
                ids.append(incident)
        out["events"] = new_events
        out["incident_ids"] = ids
        out["incident_id"] = ids[0] if ids else None
        linked.append(out)
    return linked, result


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        records = []
        for number, line in enumerate(fh, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
        return records


def link_files(
    predictions: Path, articles: Path | None, output: Path | None, settings: LinkSettings = DEFAULT_SETTINGS
) -> tuple[list[dict[str, Any]], LinkResult]:
    """:func:`link_records` over files; writes JSON Lines to ``output`` when given."""
    linked, result = link_records(
        _read_jsonl(predictions), _read_jsonl(articles) if articles is not None else (), settings
    )
    if output is not None:
        with output.open("w", encoding="utf-8") as fh:
            for record in linked:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return linked, result
