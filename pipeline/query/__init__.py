"""Read access for researchers: events as pandas DataFrames, filters, exports.

The queries themselves live in the store (``pipeline.store.queries``); this is their public face.
"""

from pipeline.store.queries import EventFilter, events_frame, evidence_frame, officials_frame, sanctions_frame

__all__ = ["EventFilter", "events_frame", "evidence_frame", "officials_frame", "sanctions_frame"]
