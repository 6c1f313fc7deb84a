"""``caseline export FILE... -o OUT.png|OUT.svg|OUT.pdf``: publication figures without a window.

Reads case files and case sets, aligns and sorts the cases as a case set (or the options) say,
and writes the figure through caseline.render.export, the same path the export dialog uses.
Runs with no display and no environment set up: Qt is started on the offscreen platform.

Exit status: 0 written; 1 a case file has errors (printed as FILE:LINE:COL); 2 a file cannot be
read, or the command line is wrong; 3 the figure cannot be made or written (the output file is
then untouched).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from caseline.model.caseset import SORT_KEYS

EXIT_INVALID = 1
EXIT_UNREADABLE = 2
EXIT_EXPORT = 3
PAGE_HEIGHT_MM = 240.0  # the tallest figure most journals print (A4 / Letter text block)



@dataclass
class Inputs:
    """The cases to draw and what the case sets among the inputs ask for."""

    cases: list[Any] = field(default_factory=list)  # ResolvedCase
    status: int = 0
    title: str | None = None
    align: str | None = None
    sort: str | None = None
    hidden_lanes: frozenset[str] = frozenset()
    shared_lanes_only: bool = False
    time_range: tuple[float, float] | None = None
    n_casesets: int = 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; other commands' options (e.g. reveal steps) are added here too."""
    from caseline.analysis.alignment import ALIGN_MODES
    from caseline.render.export import PRESETS
    from caseline.theme import THEMES

    parser = argparse.ArgumentParser(
        prog="caseline export",
        description="Write the timeline of case files (or a case set) as a PNG, SVG or PDF figure.",
        epilog="Exit status: 0 written; 1 a case file has errors; 2 a file cannot be read or the "
               "command line is wrong; 3 the figure cannot be made or written (the output file is "
               "left untouched).")
    parser.add_argument("files", nargs="+", metavar="FILE", help="case files and/or case set files")
    parser.add_argument("-o", "--output", metavar="OUT",  # required unless --reveal-steps
                        help="output file: .png, .svg or .pdf (the suffix picks the format)")
    parser.add_argument("--format", choices=("png", "svg", "pdf"), help="format, if not the suffix's")
    size = parser.add_argument_group("size (default: 174 mm wide, as tall as the lanes need)")
    size.add_argument("--preset", choices=tuple(PRESETS),
                      help="single = 85 mm, double = 174 mm (300 dpi, print); "
                           "slide = 1920 x 1080 px (144 dpi, projector)")
    width = size.add_mutually_exclusive_group()
    width.add_argument("--width-mm", type=float, metavar="MM")
    width.add_argument("--width-px", type=int, metavar="PX")
    height = size.add_mutually_exclusive_group()
    height.add_argument("--height-mm", type=float, metavar="MM")
    height.add_argument("--height-px", type=int, metavar="PX")
    size.add_argument("--dpi", type=float, default=None, help="dots per inch (default 300)")
    look = parser.add_argument_group("content and look")
    look.add_argument("--theme", choices=tuple(THEMES), default=None, help="default: print")
    look.add_argument("--align", metavar="MODE",
                      help=f"line the cases up at: {', '.join(ALIGN_MODES)} or event:LABEL "
                           "(default: what the case set says, else anchor)")
    look.add_argument("--sort", choices=SORT_KEYS, help="order of the cases (default: the case set's)")
    look.add_argument("--range", nargs=2, type=float, metavar=("START", "END"),
                      help="time range shown, in days")
    look.add_argument("--axis", choices=("days", "weeks", "months", "dates"), default="days",
                      help="time axis unit (default days)")
    look.add_argument("--title", help="title line ('' for none; default: the case or case set title)")
    look.add_argument("--caption", help="caption line under the figure; 'auto' cites the cases' sources")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    from caseline.render.slides import add_reveal_arguments

    add_reveal_arguments(parser)  # --reveal-steps DIR and its options (teaching slides)
    return parser


def _ensure_platform() -> None:
    # before anything imports Qt: a headless machine has no display to connect to
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def load_inputs(paths: Sequence[str], quiet: bool = False) -> Inputs:
    """Load every file (case sets expand to their entries); print problems to stderr."""
    from caseline.timeline.load import load_file

    inputs = Inputs()

    def load(path: str, case_ids: Sequence[str] = ()) -> Any:
        result = load_file(path)
        for diagnostic in result.diagnostics:
            if diagnostic.is_error or not quiet:
                print(diagnostic, file=sys.stderr)
        if result.unreadable:
            inputs.status = max(inputs.status, EXIT_UNREADABLE)
        elif result.errors:
            inputs.status = max(inputs.status, EXIT_INVALID)
        else:
            wanted = set(case_ids)
            inputs.cases.extend(c for c in result.cases if not wanted or c.id in wanted)
        return result

    for path in paths:
        result = load(path)
        caseset = result.caseset if result.ok else None
        if caseset is None:
            continue
        inputs.n_casesets += 1
        folder = os.path.dirname(os.path.abspath(path))
        for entry in caseset.entries:
            load(os.path.normpath(os.path.join(folder, entry.path)), entry.case_ids)
        if inputs.n_casesets == 1:
            inputs.title = caseset.title
            inputs.align = caseset.align
            inputs.sort = caseset.sort
            inputs.hidden_lanes = frozenset(caseset.hidden_lanes)
            inputs.shared_lanes_only = caseset.shared_lanes_only
            inputs.time_range = caseset.time_range
    if inputs.n_casesets > 1 or (inputs.n_casesets and len(paths) > 1):
        inputs.title = None  # several sources: no one title or range speaks for all of them
        inputs.time_range = None
    return inputs




def arrange(cases: Sequence[Any], args: argparse.Namespace,
            inputs: Inputs) -> tuple[list[Any], str, Any, Any] | int:
    """Sort and align the cases as the command line (or else the case set) asks, and the layout
    options that follow: (cases, alignment mode, Alignment, LayoutOptions), or an exit status."""
    from caseline.analysis.alignment import align_cases, check_mode
    from caseline.analysis.metrics import sort_cases
    from caseline.layout.timeline_layout import LayoutOptions

    try:
        align = check_mode(args.align or inputs.align or "anchor")
        ordered = sort_cases(cases, args.sort or inputs.sort or "none")
    except ValueError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    alignment = align_cases(ordered, align)
    options = LayoutOptions(hidden_lanes=inputs.hidden_lanes, shared_lanes_only=inputs.shared_lanes_only,
                            shifts=dict(alignment.shifts))
    return ordered, align, alignment, options


def export_main(argv: Sequence[str]) -> int:
    """Entry point of ``caseline export``; returns the exit status."""
    _ensure_platform()
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
        if args.output is None and args.reveal_steps is None:
            parser.error("the following arguments are required: -o/--output (or --reveal-steps DIR)")
    except SystemExit as exc:  # argparse: 0 for --help, 2 for a wrong command line
        return int(exc.code or 0)
    if args.reveal_steps is not None:
        from caseline.render.slides import run_reveal_steps

        return run_reveal_steps(args)
    return run_export(args)


def run_export(args: argparse.Namespace) -> int:
    from caseline.render.export import PRESETS, ExportError, export_figure, format_of

    output = args.output
    try:
        fmt = format_of(output, args.format)
    except ExportError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    inputs = load_inputs(args.files, args.quiet)
    if inputs.status:
        print(f"caseline export: not writing {output}: fix the problems above", file=sys.stderr)
        return inputs.status
    cases = inputs.cases
    if not cases:
        print(f"caseline export: not writing {output}: the files hold no cases", file=sys.stderr)
        return EXIT_INVALID
    arranged = arrange(cases, args, inputs)
    if isinstance(arranged, int):
        return arranged
    cases, align, alignment, options = arranged
    view: dict[str, object] = {}
    if align != "anchor" and len(cases) > 1:
        view["header_notes"] = {cid: f"not aligned: {note.split(':', 1)[0].strip()}"
                                for cid, note in alignment.notes.items()}
        view["align_title"] = (alignment.title if align != "calendar"
                               else f"{alignment.origin_date} (earliest day 0)")
        if alignment.origin_date is not None:
            view["shared_origin"] = alignment.origin_date
    size = _size_arguments(args, PRESETS)
    time_range = tuple(args.range) if args.range else inputs.time_range
    title = args.title if args.title is not None else inputs.title
    try:
        info = export_figure(cases, output, fmt=fmt, options=options, time_range=time_range,
                             axis_mode=args.axis, title=title, caption=args.caption, view=view, **size)
    except ExportError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_EXPORT
    if info.height_mm > PAGE_HEIGHT_MM and args.height_mm is None and args.height_px is None:
        print(f"caseline export: note: {info.height_mm:.0f} mm is taller than a journal page "
              f"({PAGE_HEIGHT_MM:.0f} mm); hide lanes, export fewer cases or give --height-mm "
              "(type then shrinks to fit)", file=sys.stderr)
    if not args.quiet:
        print(f"{info.path}: {info.fmt.upper()} {info.width_mm:.1f} x {info.height_mm:.1f} mm "
              f"({info.width_px} x {info.height_px} px at {info.dpi:g} dpi), {len(cases)} "
              f"case{'s' if len(cases) != 1 else ''}", file=sys.stderr)
    return 0


def _size_arguments(args: argparse.Namespace, presets: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    """Width, height, DPI and theme: explicit options win over the preset's."""
    size: dict[str, Any] = {"width_mm": args.width_mm, "width_px": args.width_px,
                            "height_mm": args.height_mm, "height_px": args.height_px}
    dpi, theme = 300.0, "print"
    if args.preset:
        _label, width_mm, height_mm, width_px, height_px, dpi, theme = presets[args.preset]
        if args.width_mm is None and args.width_px is None:
            size["width_mm"], size["width_px"] = width_mm, width_px
        if args.height_mm is None and args.height_px is None:
            size["height_mm"], size["height_px"] = height_mm, height_px
    size["dpi"] = args.dpi if args.dpi is not None else dpi
    size["theme"] = args.theme or theme
    return size


__all__ = ["build_parser", "export_main", "load_inputs", "run_export"]
