"""``caseline validate FILE...``: check files, every problem as FILE:LINE:COL: message (hint).

Exit status: 0 every file is valid; 1 a file has errors; 2 a file cannot be read, or caseline failed
while reading it (an "internal error, please report" message: a bug, not the file's fault).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("validate", help="check case files; print every problem as FILE:LINE:COL",
                                   description="Check case files; print every problem as FILE:LINE:COL.",
                                   epilog="Exit status: 0 valid; 1 a file has errors; 2 a file cannot be read.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from caseline.timeline.load import load_file

    status = 0
    for path in args.files:
        result = load_file(path)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stdout if diagnostic.is_error else sys.stderr)
        if result.unreadable:
            status = max(status, EXIT_UNREADABLE)
        elif result.errors:
            status = max(status, EXIT_INVALID)
        elif not args.quiet:
            n = len(result.cases)
            what = f"{n} case{'s' if n != 1 else ''}" if n else "case set"
            print(f"{path}: ok ({what})", file=sys.stderr)
    return status
