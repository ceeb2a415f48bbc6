"""Events, officials and sanctions as pandas DataFrames (the queries live in ``pipeline.store.queries``)."""

from pipeline.store.queries import EventFilter, events_frame, evidence_frame, officials_frame, sanctions_frame

__all__ = ["EventFilter", "events_frame", "evidence_frame", "officials_frame", "sanctions_frame"]
