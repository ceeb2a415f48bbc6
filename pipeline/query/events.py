"""Events, officials and sanctions as pandas DataFrames (the queries live in ``pipeline.store.queries``)."""

from pipeline.store.queries import (
    EventFilter,
    IncidentFilter,
    coverage_frame,
    events_frame,
    evidence_frame,
    incident_records,
    incidents_frame,
    officials_frame,
    resolve_incident_id,
    sanctions_frame,
)

__all__ = [
    "EventFilter",
    "IncidentFilter",
    "coverage_frame",
    "events_frame",
    "evidence_frame",
    "incident_records",
    "incidents_frame",
    "officials_frame",
    "resolve_incident_id",
    "sanctions_frame",
]
