"""``caseline table FILE... [-o OUT.csv]``: the resolved timeline as CSV, one row per event or administration.

Exit status: 0 written; 1 a file has errors; 2 a file cannot be read (or caseline failed reading it: an
internal error), or the output is one of the inputs; 3 the output cannot be written (an existing file is
left as it was).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from caseline.cli import EXIT_WRITE, overwrites_input, write_problem
from caseline.cli.validate import EXIT_INVALID, EXIT_UNREADABLE


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("table", help="the resolved timeline as CSV, one row per event or administration",
                                   description="Print the resolved timeline as CSV, one row per event or "
                                               "administration.",
                                   epilog="Exit status: 0 written; 1 a file has errors; 2 a file cannot be read "
                                          "or the output is an input; 3 the output cannot be written.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-o", "--output", help="write the CSV to this file instead of standard output")
    parser.add_argument("--deidentified", action="store_true",
                        help="no calendar dates or identifiers (as View > De-identified; the date columns stay "
                             "empty); refused with exit status 3 if a case cannot be de-identified")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from caseline.analysis.tables import timeline_table
    from caseline.timeline.load import load_file

    if args.output:
        clash = overwrites_input(args.output, args.files)
        if clash is not None:
            print(f"caseline table: not writing {args.output}: it is the input file {clash}; choose another "
                  "output file", file=sys.stderr)
            return EXIT_UNREADABLE
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
    if args.deidentified:
        from caseline.analysis.deidentify import DeidentifyError, deidentify_cases

        try:
            cases = deidentify_cases(cases)
        except DeidentifyError as exc:  # fails closed: no row of any case is written
            print(f"caseline table: not writing the table: {exc}", file=sys.stderr)
            return EXIT_WRITE
    frame = timeline_table(cases)
    if args.output:
        from caseline.io.atomic_write import atomic_write_text

        try:
            atomic_write_text(args.output, frame.to_csv(index=False))
        except OSError as exc:
            print(f"caseline table: {write_problem(args.output, exc)}", file=sys.stderr)
            return EXIT_WRITE
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0
