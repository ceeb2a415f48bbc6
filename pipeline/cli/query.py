"""``netra events``: list stored events."""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter(f"{option} wants YYYY-MM-DD, got {value!r}") from exc


def print_events_table(frame: pd.DataFrame, title: str = "events") -> None:
    from rich.table import Table

    from pipeline.cli.progress import report_console

    table = Table(title=f"{title} ({len(frame)})", show_lines=False)
    for column in ("date", "type", "regions", "officials", "sanctions", "title"):
        table.add_column(column, overflow="fold")
    for row in frame.itertuples():
        title = _cell(row.title) or _cell(row.doc_key)
        basis = getattr(row, "date_basis", None)
        # An undated event kept by a date filter (matched by its publication day) says so.
        when = _cell(row.date) or ("(by publication)" if basis == "published" else "")
        table.add_row(when, _cell(row.type), _cell(row.regions), _cell(row.officials), _cell(row.sanctions), title[:80])
    report_console(stderr=False).print(table)


def _cell(value: object) -> str:
    """A table cell: missing values (None, NaN, NaT from pandas) print as empty, not as 'nan'."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value))):  # type: ignore[call-overload]  # scalars only here
        return ""
    return str(value)


def register(app: typer.Typer) -> None:
    from pipeline.cli import open_engine

    register_incidents(app)

    @app.command("events")
    def events(
        ctx: typer.Context,
        region: str = typer.Option(
            None, "--region", help="Kemendagri code; a province or regency code includes the regions inside it."
        ),
        since: str = typer.Option(None, "--since", help="YYYY-MM-DD"),
        until: str = typer.Option(None, "--until", help="YYYY-MM-DD"),
        type_: str = typer.Option(
            None, "--type", help="rakor, pledge, directive, socialization, monitoring, violation, sanction"
        ),
        person: str = typer.Option(None, "--person", help="Part of an official's name."),
        fmt: str = typer.Option("table", "--format", help="table | csv | json"),
    ) -> None:
        """List stored events, filtered by region, date, type or person."""
        from pipeline.query import EventFilter, events_frame
        from pipeline.regions import is_known_code
        from pipeline.schema import EVENT_TYPES

        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        if region and not is_known_code(region):
            raise typer.BadParameter(f"--region {region!r} is not a Kemendagri code (e.g. 14.71 for Kota Pekanbaru)")
        if type_ and type_ not in EVENT_TYPES:
            raise typer.BadParameter(f"--type must be one of {', '.join(EVENT_TYPES)}")
        flt = EventFilter(
            region=region, since=_day(since, "--since"), until=_day(until, "--until"), type=type_, person=person
        )
        frame = events_frame(open_engine(ctx), flt)
        if fmt == "csv":
            import csv

            frame.to_csv(sys.stdout, index=False, quoting=csv.QUOTE_NONNUMERIC)  # codes stay visibly text
        elif fmt == "json":
            sys.stdout.write(frame.to_json(orient="records", force_ascii=False, date_format="iso", lines=True))
        else:
            print_events_table(frame)


INCIDENT_FORMATS = ("table", "csv", "json", "jsonl")


def _jsonable(record: dict[str, object]) -> dict[str, object]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in record.items()}


def register_incidents(app: typer.Typer) -> None:
    from pipeline.cli import open_engine

    @app.command("incidents")
    def incidents(
        ctx: typer.Context,
        region: str = typer.Option(
            None, "--region", help="Kemendagri code; a province or regency code includes the regions inside it."
        ),
        since: str = typer.Option(None, "--since", help="YYYY-MM-DD"),
        until: str = typer.Option(None, "--until", help="YYYY-MM-DD"),
        type_: str = typer.Option(
            None, "--type", help="rakor, pledge, directive, socialization, monitoring, violation, sanction"
        ),
        fmt: str = typer.Option("table", "--format", help="table | csv | json | jsonl"),
    ) -> None:
        """List incidents: one happening with all the articles that report it (docs/incidents.md)."""
        import json

        from pipeline.query import IncidentFilter, incident_records, incidents_frame
        from pipeline.regions import is_known_code
        from pipeline.schema import EVENT_TYPES

        if fmt not in INCIDENT_FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(INCIDENT_FORMATS)}")
        if region and not is_known_code(region):
            raise typer.BadParameter(f"--region {region!r} is not a Kemendagri code (e.g. 14.71 for Kota Pekanbaru)")
        if type_ and type_ not in EVENT_TYPES:
            raise typer.BadParameter(f"--type must be one of {', '.join(EVENT_TYPES)}")
        flt = IncidentFilter(region=region, since=_day(since, "--since"), until=_day(until, "--until"), type=type_)
        engine = open_engine(ctx)
        if fmt in ("jsonl", "json"):
            records = [_jsonable(r) for r in incident_records(engine, flt)]
            for record in records:
                record.pop("reports", None)
            if fmt == "jsonl":
                for record in records:
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
            return
        frame = incidents_frame(engine, flt)
        if fmt == "csv":
            frame.to_csv(sys.stdout, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
            return
        from rich.table import Table

        from pipeline.cli.progress import report_console

        table = Table(title=f"incidents ({len(frame)})")
        for column in ("incident_id", "date", "type", "regions", "outlets", "documents"):
            table.add_column(column, overflow="fold")
        for row in frame.itertuples():
            table.add_row(
                str(row.incident_id), _cell(row.date), _cell(row.type), _cell(row.regions), str(row.outlets),
                _cell(row.documents).replace(";", "\n"),
            )  # fmt: skip
        report_console(stderr=False).print(table)
