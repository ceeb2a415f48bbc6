"""Test support: canonical store dumps, fault injection for subprocesses."""
