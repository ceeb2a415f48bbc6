"""``python -m pipeline.incidents PRED.jsonl INPUT.jsonl -o LINKED.jsonl``: link extract-text predictions.

PRED is the output of ``netra extract-text INPUT.jsonl``; INPUT gives the article texts (matched by id).
The output carries an incident id per record and per event, ready for ``netra eval GOLD LINKED``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline.incidents.records import link_files
from pipeline.logs import get_logger
from pipeline.settings import SettingsError, load_settings

log = get_logger("pipeline.incidents")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.incidents", description=__doc__.split("\n")[0])
    parser.add_argument("predictions", type=Path, help="JSON Lines from netra extract-text")
    parser.add_argument("input", type=Path, nargs="?", help="the input JSON Lines (texts), matched by id")
    parser.add_argument("-o", "--output", type=Path, required=True, help="linked JSON Lines to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        # the [incidents] section of netra.toml (NETRA_CONFIG) and NETRA_INCIDENTS__* variables
        settings = load_settings().incidents.link_settings()
    except SettingsError as exc:
        log.error("%s", exc)
        return 2
    try:
        linked, result = link_files(args.predictions, args.input, args.output, settings)
    except (OSError, ValueError, KeyError) as exc:
        log.error("cannot link %s: %s", args.predictions, exc)
        return 2
    log.info(
        "%d records, %d events -> %d incidents (%d links, %d comparisons); wrote %s",
        len(linked),
        len(result.assignments),
        len(result.new_incidents),
        len(result.links),
        result.comparisons,
        args.output,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
