"""Read access for researchers: events as pandas DataFrames, filters, exports."""

from pipeline.query.events import EventFilter, events_frame, evidence_frame, officials_frame, sanctions_frame

__all__ = ["EventFilter", "events_frame", "evidence_frame", "officials_frame", "sanctions_frame"]
