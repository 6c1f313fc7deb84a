"""``caseline export FILE... -o OUT``: publication figures (and, with ``--reveal-steps DIR``, teaching slides).

Reads case files and case sets, arranges the cases as a case set (or the options) say, and writes
the figure through caseline.render, the same path the export dialog uses. Runs with no display:
Qt is started on the offscreen platform.

Exit status: 0 written; 1 a case file has errors (printed as FILE:LINE:COL); 2 a file cannot be
read, or the command line is wrong; 3 the figure cannot be made or written (the output file is
then untouched).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from caseline.model.caseset import ALIGN_MODES, SORT_KEYS
from caseline.view_state import AXIS_MODES, LAYOUTS

EXIT_INVALID = 1
EXIT_UNREADABLE = 2
EXIT_EXPORT = 3
PAGE_HEIGHT_MM = 240.0  # the tallest figure most journals print (A4 / Letter text block)
#: caseline.render.figure.LEGEND_PLACEMENTS (building the parser imports no Qt; a test checks they agree)
LEGEND_PLACEMENTS = ("top", "bottom", "none")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from caseline.cli.slides import add_reveal_arguments
    from caseline.theme import PRESETS, THEMES

    parser = subparsers.add_parser(
        "export", help="write a publication figure (PNG, TIFF, SVG, PDF) or teaching slides",
        description="Write the timeline of case files (or a case set) as a PNG, TIFF, SVG or PDF figure. "
                    "The settings are saved beside it (OUT.caseline-export.json) with the command that "
                    "makes the same figure again.",
        epilog="Exit status: 0 written; 1 a case file has errors; 2 a file cannot be read or the "
               "command line is wrong; 3 the figure cannot be made or written (the output file is "
               "left untouched).")
    parser.add_argument("files", nargs="+", metavar="FILE", help="case files and/or case set files")
    parser.add_argument("-o", "--output", metavar="OUT",  # required unless --reveal-steps
                        help="output file: .png, .tif, .svg or .pdf (the suffix picks the format)")
    # the choices are the exporter registry's (caseline.render.exporters), checked when the command runs:
    # building the parser imports no Qt
    parser.add_argument("--format", metavar="FORMAT",
                        help="format, if not the suffix's: png, tiff (LZW), svg, pdf, or pdfx (PDF/X-4 for print)")
    size = parser.add_argument_group("size (default: 174 mm wide, as tall as the lanes need)")
    size.add_argument("--preset", choices=tuple(PRESETS),
                      help="; ".join(f"{key} = {preset.label}" for key, preset in PRESETS.items()))
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
    look.add_argument("--layout", choices=LAYOUTS, default=None,
                      help="lanes: every event of every case in stacked lanes (default: the case set's layout, "
                           "else lanes); swimmer: one row per "
                           "case (exposure, onset with its latency, rescue, outcome), aligned at the first "
                           "suspected dose and sorted by latency unless --align, --sort or the case set say otherwise")
    look.add_argument("--range", nargs=2, type=float, metavar=("START", "END"),
                      help="time range shown, in days (default: the case set's range, else the story: shortly "
                           "before the first suspected dose to the last outcome of the reaction)")
    look.add_argument("--axis", choices=AXIS_MODES, default="days", help="time axis unit (default days)")
    look.add_argument("--title", help="title line ('' for none; default: the case or case set title)")
    look.add_argument("--caption", help="caption line under the figure; 'auto' cites the cases' sources, 'onset' "
                                        "gives the time to onset across the cases (median, range, Turnbull), "
                                        "'auto+onset' both")
    look.add_argument("--legend", choices=LEGEND_PLACEMENTS, default="top",
                      help="where the legend goes: top (above the plot, the default), bottom (under the plot, "
                           "above the caption) or none (the journal's caption explains the symbols)")
    look.add_argument("--font", metavar="FAMILY", help="font family of all text (default DejaVu Sans; "
                      "it must be installed: 'fc-list : family' lists them)")
    parser.add_argument("--no-settings-file", action="store_true",
                        help="do not save the export settings beside the figure (OUT.caseline-export.json)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    add_reveal_arguments(parser)  # --reveal-steps DIR and its options (teaching slides)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.output is None and args.reveal_steps is None:
        print("caseline export: the following arguments are required: -o/--output (or --reveal-steps DIR)",
              file=sys.stderr)
        return EXIT_UNREADABLE
    from caseline.render.qt_app import use_offscreen_platform

    use_offscreen_platform()  # before anything imports Qt: a headless machine has no display
    if args.reveal_steps is not None:
        from caseline.cli.slides import run_reveal_steps

        return run_reveal_steps(args)
    return run_export(args)


def load(args: argparse.Namespace, what: str) -> Any:
    """Load the inputs and print their problems: an int exit status, or (the view to draw, the inputs)."""
    from caseline.timeline.load import load_inputs
    from caseline.view_state import ViewState

    inputs = load_inputs(args.files)
    for diagnostic in inputs.diagnostics:
        if diagnostic.is_error or not args.quiet:
            print(diagnostic, file=sys.stderr)
    if not inputs.ok:
        print(f"caseline export: not writing {what}: fix the problems above", file=sys.stderr)
        return EXIT_UNREADABLE if inputs.unreadable else EXIT_INVALID
    if not inputs.cases:
        print(f"caseline export: not writing {what}: the files hold no cases", file=sys.stderr)
        return EXIT_INVALID
    spec = inputs.spec
    time_range = tuple(args.range) if args.range else spec.time_range
    layout = getattr(args, "layout", None) or spec.layout
    sort = args.sort or spec.sort
    align = args.align or spec.align
    if layout == "swimmer" and not args.sort and sort == "none":
        sort = "latency"  # a swimmer plot answers "how long after the first dose": ordered by it
    if layout == "swimmer" and not args.align and align == "anchor" and any(c.case.suspect.drug for c in inputs.cases):
        align = "first-suspect-dose"  # ... and its rows start there
    try:
        view = ViewState(tuple(inputs.cases), align=align, sort=sort, layout=layout,
                         hidden_lanes=spec.hidden_lanes, shared_lanes_only=spec.shared_lanes_only,
                         axis_mode=args.axis, time_range=time_range, deidentified=args.deidentified)
        view.arranged()
    except ValueError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    return view, inputs


def run_export(args: argparse.Namespace) -> int:
    from caseline.render.exporters import ExportError, export_figure, format_of

    output = args.output
    try:
        fmt = format_of(output, args.format)
    except ExportError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    loaded = load(args, output)
    if isinstance(loaded, int):
        return loaded
    view, inputs = loaded
    from caseline.cli import overwrites_input

    clash = overwrites_input(output, [*args.files, *(r.path for r in inputs.results)])
    if clash is not None:  # never write a file that was opened as input
        print(f"caseline export: not writing {output}: it is the input file {clash}", file=sys.stderr)
        return EXIT_UNREADABLE
    title = args.title if args.title is not None else inputs.spec.title or None
    try:
        info = export_figure(view, output, figure_request(args, title), fmt=fmt)
    except ExportError as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_EXPORT
    if info.height_mm > PAGE_HEIGHT_MM and args.height_mm is None and args.height_px is None:
        fixes = ("hide lanes (a case set's hidden_lanes), export fewer cases or a shorter --range" if
                 view.layout == "swimmer" else
                 "use --layout swimmer, hide lanes (a case set's hidden_lanes) or a shorter --range")
        print(f"caseline export: note: the figure is {info.height_mm:.0f} mm tall; a journal page holds about "
              f"{PAGE_HEIGHT_MM:.0f} mm ({info.height_mm - PAGE_HEIGHT_MM:.0f} mm too tall): {fixes}",
              file=sys.stderr)
    if not args.no_settings_file:
        save_settings(args, info)
    if not args.quiet:
        n = len(view.cases)
        print(f"{info.path}: {info.fmt.upper()} {info.width_mm:.1f} x {info.height_mm:.1f} mm "
              f"({info.width_px} x {info.height_px} px at {info.dpi:g} dpi), {n} case{'s' if n != 1 else ''}",
              file=sys.stderr)
    return 0


def figure_request(args: argparse.Namespace, title: str | None) -> Any:
    """The FigureRequest of the options: explicit sizes win over the preset's."""
    from caseline.render.figure import FigureRequest

    size = size_arguments(args)
    return FigureRequest(size["width_mm"], size["height_mm"], size["width_px"], size["height_px"], size["dpi"],
                         size["theme"], title, args.caption, args.font, getattr(args, "legend", "top"))


def save_settings(args: argparse.Namespace, info: Any) -> None:
    """OUT.caseline-export.json beside the figure: what was asked, what was made, and the command that makes
    it again (caseline.render.export_settings). Never for a de-identified figure: it would name the inputs."""
    from caseline.render.export_settings import OPTIONS, made_of, settings_json, settings_path, write_settings

    if args.deidentified:
        if not args.quiet:
            print("caseline export: no settings file beside a de-identified figure (it would name the inputs)",
                  file=sys.stderr)
        return
    options = {name: getattr(args, name, None) for name in OPTIONS}
    try:
        write_settings(info.path, settings_json(args.files, args.output, options, made_of(info)))
    except OSError as exc:
        print(f"caseline export: note: the settings file {settings_path(info.path)} was not written: "
              f"{exc.strerror or exc}", file=sys.stderr)


def size_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """Width, height, DPI and theme: explicit options win over the preset's."""
    from caseline.theme import PRESETS

    size: dict[str, Any] = {"width_mm": args.width_mm, "width_px": args.width_px,
                            "height_mm": args.height_mm, "height_px": args.height_px}
    dpi, theme = 300.0, "print"
    if args.preset:
        preset = PRESETS[args.preset]
        if args.width_mm is None and args.width_px is None:
            size["width_mm"], size["width_px"] = preset.width_mm, preset.width_px
        if args.height_mm is None and args.height_px is None:
            size["height_mm"], size["height_px"] = preset.height_mm, preset.height_px
        dpi, theme = preset.dpi, preset.theme
    size["dpi"] = args.dpi if args.dpi is not None else dpi
    size["theme"] = args.theme or theme
    return size
