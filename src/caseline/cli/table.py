"""``caseline table FILE... [-o OUT.csv]``: the resolved timeline as CSV, one row per event or administration
(``--format tsv``: as a cBioPortal timeline file);
with ``--compare``, the comparison table: one row per case (latency and time to improvement as intervals,
their bounds in days and how each was derived), as the window's Table… gives it; ``--compare --summary``:
the time to onset across the cases (caseline.analysis.onset_summary).

Exit status: 0 written; 1 a file has errors; 2 a file cannot be read (or caseline failed reading it: an
internal error), the output is one of the inputs, or the options do not go together; 3 the output cannot be
written (an existing file is left as it was).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from caseline.cli import EXIT_WRITE, overwrites_input, write_text_output
from caseline.cli.validate import EXIT_INVALID, EXIT_UNREADABLE
from caseline.model.caseset import SORT_KEYS

EXIT_USAGE = 2  # options that do not go together, as argparse's own usage errors


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("table", help="the resolved timeline as CSV, one row per event or administration",
                                   description="Print the resolved timeline as CSV, one row per event or "
                                               "administration.",
                                   epilog="Exit status: 0 written; 1 a file has errors; 2 a file cannot be read "
                                          "or the output is an input; 3 the output cannot be written.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-o", "--output", help="write the table to this file instead of standard output")
    parser.add_argument("--format", choices=("csv", "tsv"), default="csv",
                        help="csv (default): caseline's columns; tsv: a cBioPortal timeline file (PATIENT_ID, "
                             "START_DATE, STOP_DATE, EVENT_TYPE, ... in days from day 0; a time not stated to the "
                             "day also gets TIME_KNOWN, START_MIN and START_MAX)")
    parser.add_argument("--compare", action="store_true",
                        help="one row per case instead: latency and time to improvement as the interval the source "
                             "allows ('≥ 15 d', '63-119 d'), min/best/max in days and how each was derived, "
                             "dechallenge outcome and rescue therapies; case sets give their cases and sort")
    parser.add_argument("--summary", action="store_true",
                        help="with --compare: the time to onset across the cases instead (from the first dose and "
                             "from the last dose before onset: median, minimum, maximum and a Turnbull estimate of "
                             "the interval-censored latencies; min/best/max in days, the method named)")
    parser.add_argument("--sort", choices=SORT_KEYS, help="with --compare: the order of the cases (default: the "
                                                          "case set's, else as listed)")
    parser.add_argument("--deidentified", action="store_true",
                        help="no calendar dates or identifiers (as View > De-identified; the date columns stay "
                             "empty); refused with exit status 3 if a case cannot be de-identified")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from caseline.analysis.tables import timeline_table
    from caseline.timeline.load import load_file

    if args.format == "tsv" and getattr(args, "compare", False):
        print("caseline table: --format tsv writes a timeline, one row per event; --compare has one row per "
              "case: use one or the other", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "summary", False) and not getattr(args, "compare", False):
        print("caseline table: --summary summarises a comparison: use it with --compare", file=sys.stderr)
        return EXIT_USAGE
    if args.output:
        clash = overwrites_input(args.output, args.files)
        if clash is not None:
            print(f"caseline table: not writing {args.output}: it is the input file {clash}; choose another "
                  "output file", file=sys.stderr)
            return EXIT_UNREADABLE
    cases = []
    status = 0
    sort = args.sort or "none"
    if getattr(args, "compare", False):  # case sets expand into their cases, with their sort
        from caseline.timeline.load import load_inputs

        inputs = load_inputs(args.files)
        for diagnostic in inputs.diagnostics:
            print(diagnostic, file=sys.stderr)
        if not inputs.ok:
            return EXIT_UNREADABLE if inputs.unreadable else EXIT_INVALID
        cases, sort = list(inputs.cases), args.sort or inputs.spec.sort
    for path in [] if getattr(args, "compare", False) else args.files:
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
    if getattr(args, "compare", False):
        from caseline.analysis.metrics import comparison_table, sort_cases

        if getattr(args, "summary", False):
            from caseline.analysis.onset_summary import summary_table

            text = summary_table(cases).to_csv(index=False)
        else:
            text = comparison_table(sort_cases(cases, sort)).to_csv(index=False)
    elif args.format == "tsv":
        from caseline.io.standards.cbioportal import unwritable_items, write_timeline

        text = write_timeline(cases)
        for case in cases:  # never dropped silently
            missing = unwritable_items(case)
            if missing:
                print(f"caseline table: {case.id}: {len(missing)} event(s) have no time to write as a START_DATE "
                      f"(time not stated): {'; '.join(missing)}", file=sys.stderr)
    else:
        text = timeline_table(cases).to_csv(index=False)
    return write_text_output("table", args.output, text)
