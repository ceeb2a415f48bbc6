"""Read access for researchers: events as pandas DataFrames, filters, exports.

The queries themselves live in the store (``pipeline.store.queries``); this is their public face.
"""

from pipeline.query.events import (
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
