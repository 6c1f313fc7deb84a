"""``caseline``: open cases in the viewer, or validate / tabulate / export them headless.

Qt is imported only in the branches that need it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

SUBCOMMANDS = ("validate", "table", "export")


def _validate(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="caseline validate",
                                     description="Check case files; print every problem as FILE:LINE:COL.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = parser.parse_args(argv)
    from caseline.timeline.load import load_file

    status = 0
    for path in args.files:
        result = load_file(path)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stdout if diagnostic.is_error else sys.stderr)
        if result.unreadable:
            status = max(status, 2)
        elif result.errors:
            status = max(status, 1)
        elif not args.quiet:
            n = len(result.cases)
            what = f"{n} case{'s' if n != 1 else ''}" if n else "case set"
            print(f"{path}: ok ({what})", file=sys.stderr)
    return status


def _table(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="caseline table",
                                     description="Print the resolved timeline as CSV, one row per event "
                                                 "or administration.")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("-o", "--output", help="write the CSV to this file instead of standard output")
    args = parser.parse_args(argv)
    from caseline.analysis.tables import timeline_table
    from caseline.timeline.load import load_file

    cases = []
    status = 0
    for path in args.files:
        result = load_file(path)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        if not result.ok:
            status = max(status, 2 if result.unreadable else 1)
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


def _export(argv: Sequence[str]) -> int:
    from caseline.export_cli import export_main

    return export_main(argv)


def _gui(argv: Sequence[str]) -> int:
    from caseline.ui.app import run_app

    return run_app(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "validate":
            return _validate(argv[1:])
        if argv and argv[0] == "table":
            return _table(argv[1:])
        if argv and argv[0] == "export":
            return _export(argv[1:])
        return _gui(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
