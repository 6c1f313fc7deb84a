"""``caseline table FILE... [-o OUT.csv]``: the resolved timeline as CSV, one row per event or administration."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from caseline.cli.validate import EXIT_INVALID, EXIT_UNREADABLE


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("table", help="the resolved timeline as CSV, one row per event or administration",
                                   description="Print the resolved timeline as CSV, one row per event or "
                                               "administration.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-o", "--output", help="write the CSV to this file instead of standard output")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from caseline.analysis.tables import timeline_table
    from caseline.timeline.load import load_file

    cases = []
    status = 0
    for path in args.files:
        result = load_file(path)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        if not result.ok:
            status = max(status, EXIT_UNREADABLE if result.unreadable else EXIT_INVALID)
            continue
        cases.extend(result.cases)
    if status:
        return status
    frame = timeline_table(cases)
    if args.output:
        from caseline.io.atomic_write import atomic_write_text

        atomic_write_text(args.output, frame.to_csv(index=False))
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0
