"""``caseline causality FILE... [--format text|csv|json] [-o OUT]``: the causality aid of each suspected drug -
reaction pair: latency, dechallenge and rechallenge, each Naranjo item with the events it rests on, the total
and its category, the WHO-UMC category with the criteria met, and the reported assessment beside the computed
one (a difference pointed out). An aid to a clinician's judgement (docs/causality.md).

Exit status: 0 written; 1 a file has errors; 2 a file cannot be read or the output is an input; 3 the output
cannot be written (an existing file is left as it was).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from caseline.cli import overwrites_input, write_text_output
from caseline.cli.validate import EXIT_INVALID, EXIT_UNREADABLE


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "causality", help="causality aid per suspected drug - reaction pair (Naranjo items, WHO-UMC)",
        description="The causality aid of each suspected drug - reaction pair: latency, dechallenge and "
                    "rechallenge, the Naranjo items with the events they rest on, the total, the WHO-UMC "
                    "category, and the reported assessment beside the computed one. An aid to a clinician's "
                    "judgement, not a verdict.",
        epilog="Exit status: 0 written; 1 a file has errors; 2 a file cannot be read or the output is an input; "
               "3 the output cannot be written. Items only a reader can answer come from 'naranjo:' in the case "
               "file (docs/causality.md).")
    parser.add_argument("files", nargs="+", metavar="FILE", help="case files or case sets")
    parser.add_argument("--format", choices=("text", "csv", "json"), default="text",
                        help="text (default): readable; csv: one row per pair; json: everything, with evidence")
    parser.add_argument("-o", "--output", help="write to this file instead of standard output")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from caseline.analysis.causality_report import as_json, causality_table, report_text
    from caseline.timeline.load import load_inputs

    if args.output:
        clash = overwrites_input(args.output, args.files)
        if clash is not None:
            print(f"caseline causality: not writing {args.output}: it is the input file {clash}; choose another "
                  "output file", file=sys.stderr)
            return EXIT_UNREADABLE
    inputs = load_inputs(args.files)
    for diagnostic in inputs.diagnostics:
        print(diagnostic, file=sys.stderr)
    if not inputs.ok:
        return EXIT_UNREADABLE if inputs.unreadable else EXIT_INVALID
    cases = list(inputs.cases)
    if args.format == "csv":
        text = causality_table(cases).to_csv(index=False)
    elif args.format == "json":
        text = json.dumps(as_json(cases), indent=2, ensure_ascii=False) + "\n"
    else:
        text = report_text(cases)
    return write_text_output("causality", args.output, text)
