"""``caseline [open] FILE...``: open case files, case sets and events tables in the window."""

from __future__ import annotations

import argparse
from typing import Any

from caseline.model.caseset import ALIGN_MODES, SORT_KEYS
from caseline.view_state import AXIS_MODES


def window_size(text: str) -> tuple[int, int]:
    """'1500x900' -> (1500, 900), at least 320 x 240."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must look like 1500x900, not {text!r}") from None
    return max(320, w), max(240, h)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("open", help="open case files in the window (the default: 'caseline FILE...')",
                                   description="Open clinical cases as interactive swimlane timelines.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="case files, case sets or CSV event tables")
    parser.add_argument("--screenshot", metavar="OUT.png",
                        help="render the window as it would open to a PNG and exit (no display needed)")
    parser.add_argument("--size", type=window_size, default=None, metavar="WxH",
                        help="window size (default: fits the screen)")
    parser.add_argument("--axis", choices=AXIS_MODES, default=None,
                        help="time axis units (default: the last used in the window; days)")
    parser.add_argument("--align", default=None, metavar="MODE",
                        help="open the files side by side aligned on: " + ", ".join(ALIGN_MODES) + ", or event:LABEL")
    parser.add_argument("--sort", default=None, choices=SORT_KEYS, help="order of compared cases")
    parser.add_argument("--exit-after-paint", action="store_true",
                        help="quit as soon as the first timeline has been painted (start-up benchmark)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from caseline.cli import EXIT_WRITE, overwrites_input, write_problem
    from caseline.ui.app import AppOptions, run_app

    if args.screenshot:
        clash = overwrites_input(args.screenshot, args.files)
        if clash is not None:
            print(f"caseline: not writing {args.screenshot}: it is the input file {clash}", file=sys.stderr)
            return 2
        folder = os.path.dirname(os.path.realpath(args.screenshot))
        if not os.access(folder, os.W_OK | os.X_OK):  # say so before the window is made, not after
            print(f"caseline: {write_problem(args.screenshot, PermissionError(13, 'the folder is not writable'))}",
                  file=sys.stderr)
            return EXIT_WRITE
    try:
        return run_app(AppOptions(files=list(args.files), screenshot=args.screenshot, size=args.size,
                                  axis=args.axis, align=args.align, sort=args.sort,
                                  exit_after_paint=args.exit_after_paint))
    except OSError as exc:  # writing the screenshot (the folder checked above, then a full disk)
        if not args.screenshot:
            raise
        print(f"caseline: {write_problem(args.screenshot, exc)}", file=sys.stderr)
        return EXIT_WRITE
