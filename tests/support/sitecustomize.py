"""Imported by Python at start-up when ``tests/support`` is on ``PYTHONPATH``: the fault tests
start ``netra`` subprocesses this way, so fault injection lives in the tests, not the package."""

import os

if os.environ.get("NETRA_FAULT_INJECT"):
    from faults import install_fault_injection

    install_fault_injection()
