"""``caseline import FILE-OR-FOLDER... [--subject ID] [--suspect DRUG] -o OUT``.

Exit status: 0 written (warnings allowed), 1 content problems (nothing usable, or a subject or
drug that is not there), 2 unreadable input or a bad command line. Problems are printed on
standard error as ``FILE:LINE:COL: message (hint)`` or ``FILE: record KEY: message``; the cases
written are listed one per line (id, subject, arm, number of events, first exposure).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any, TextIO

from caseline.io.standards.model import LAB_MODES


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "import", help="convert SDTM/ADaM, E2B(R3), openFDA, FHIR R4, Phenopackets or cBioPortal files to a case file",
        description="Convert SDTM/ADaM, E2B(R3), openFDA, FHIR R4, Phenopacket or cBioPortal files into a caseline "
        "case file.",
        epilog="Exit status: 0 written; 1 content problems; 2 an input cannot be read or the command line is wrong.",
    )
    parser.add_argument(
        "inputs", nargs="+", metavar="FILE-OR-FOLDER", help="files or folders (an SDTM study, a FHIR Bulk export)"
    )
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="the case file to write (.caseline.yaml)")
    parser.add_argument("--subject", metavar="ID", help="only this subject or report (USUBJID, report id, patient id)")
    parser.add_argument("--suspect", metavar="DRUG", help="the suspected drug (default: chosen per standard)")
    parser.add_argument("--labs", choices=LAB_MODES, default="abnormal", help="which lab results (default: abnormal)")
    parser.add_argument(
        "--lab-test",
        action="append",
        default=[],
        metavar="TEST",
        help="always keep this test (code or name); may repeat",
    )
    parser.add_argument(
        "--lab-window",
        nargs=2,
        type=float,
        metavar=("FIRST", "LAST"),
        help="keep lab results from FIRST to LAST days from day 0",
    )
    parser.add_argument("--relative-days", action="store_true", help="write days from day 0, no calendar dates")
    parser.add_argument("--keep-duplicates", action="store_true", help="keep records that repeat another exactly")
    parser.add_argument(
        "--include-noise",
        action="store_true",
        help="keep visits, social-history findings, surveys and protocol milestones",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """``caseline import`` with parsed ``args``; returns the exit status."""
    from caseline.io.standards import convert_paths, write_import
    from caseline.io.standards.model import ImportOptions

    out, err = stdout or sys.stdout, stderr or sys.stderr
    inputs = [os.path.abspath(p) for p in args.inputs]
    target = os.path.abspath(args.output)
    if any(os.path.exists(target) and os.path.samefile(target, p) for p in inputs if os.path.exists(p)):
        print(f"{args.output}: is one of the inputs; choose another output file", file=err)
        return 2
    options = ImportOptions(
        labs=args.labs,
        lab_tests=tuple(args.lab_test),
        lab_window=tuple(args.lab_window) if args.lab_window else None,  # type: ignore[arg-type]
        relative_days=args.relative_days,
        keep_duplicates=args.keep_duplicates,
        include_noise=args.include_noise,
    )
    started = time.perf_counter()
    result = convert_paths(args.inputs, subject=args.subject, suspect=args.suspect, options=options)
    for warning in result.warnings:
        print(("" if warning.error else "warning: ") + str(warning), file=err)
    unreadable = [w for w in result.warnings if w.unreadable]
    if not result.cases:
        return 2 if unreadable else 1
    try:
        written = write_import(result, target, inputs, caseset_limit=options.caseset_limit)
    except (ValueError, OSError) as exc:
        print(str(exc), file=err)
        return 2
    if not args.quiet:
        for summary in result.summaries:
            parts = [
                summary.case_id,
                summary.subject,
                summary.arm,
                f"{summary.events} events",
                f"first exposure {summary.first_exposure}" if summary.first_exposure else "",
                summary.suspect,
            ]
            print("  ".join(p for p in parts if p), file=out)
        print(
            f"{written}: {len(result.cases)} case{'s' if len(result.cases) != 1 else ''} written in "
            f"{time.perf_counter() - started:.2f} s",
            file=err,
        )
    if unreadable:
        return 2
    return 1 if result.has_errors else 0

