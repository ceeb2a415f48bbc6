"""Incidents: one happening, many reports. Links events of different articles that report the same happening.

A pure library (no store): :func:`link_events` links a batch of new events into existing incidents and
returns assignments, new incidents, joins and merges with stable ids; every link keeps its score and reasons.
:func:`link_records` does the same for records of ``netra extract-text``. How it works: docs/incidents.md.
"""

from pipeline.incidents.linker import link_events
from pipeline.incidents.model import EventToLink, ExistingIncident, Link, LinkReasons, LinkResult, Merge
from pipeline.incidents.records import events_of_record, link_files, link_records
from pipeline.incidents.settings import DEFAULT_SETTINGS, LinkSettings

__all__ = [
    "DEFAULT_SETTINGS",
    "EventToLink",
    "ExistingIncident",
    "Link",
    "LinkReasons",
    "LinkResult",
    "LinkSettings",
    "Merge",
    "events_of_record",
    "link_events",
    "link_files",
    "link_records",
]
