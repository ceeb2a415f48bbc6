"""Netra: events about the political neutrality of Indonesian civil servants, from regional news."""

__version__ = "0.1.0"
