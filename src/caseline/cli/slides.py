"""``caseline export --reveal-steps DIR FILE...``: one PNG per reveal step, for teaching."""

from __future__ import annotations

import argparse
import sys


def add_reveal_arguments(parser: argparse.ArgumentParser) -> None:
    """The teaching options of ``caseline export``."""
    group = parser.add_argument_group("teaching slides")
    group.add_argument("--reveal-steps", metavar="DIR",
                       help="write one PNG per reveal step (DIR/step-001.png, …), 1920 x 1080 px and the "
                            "projector theme unless --width-px/--height-px/--theme say otherwise; no -o needed")
    group.add_argument("--hold-back", action="store_true",
                       help="keep the outcome and which drug is suspected for the last slide")
    group.add_argument("--deidentified", action="store_true",
                       help="no calendar dates or identifiers in the figure or on the slides")
    group.add_argument("--ghost", action="store_true", help="draw events still to come faintly")


def run_reveal_steps(args: argparse.Namespace) -> int:
    """The slides of ``caseline export --reveal-steps DIR``; returns the exit status."""
    from caseline.cli.export import EXIT_EXPORT, load
    from caseline.render.figure import ExportError
    from caseline.render.slides import write_reveal_slides

    loaded = load(args, f"slides to {args.reveal_steps}")
    if isinstance(loaded, int):
        return loaded
    view, _inputs = loaded
    try:
        slides = write_reveal_slides(view, args.reveal_steps, width_px=args.width_px or 1920,
                                     height_px=args.height_px or 1080, theme=args.theme or "projector",
                                     hold_back=args.hold_back, ghost=args.ghost)
    except (ExportError, OSError) as exc:
        print(f"caseline export: {exc}", file=sys.stderr)
        return EXIT_EXPORT
    if not args.quiet:
        print(f"{args.reveal_steps}: {len(slides)} slides, {slides[0].width_px} x {slides[0].height_px} px",
              file=sys.stderr)
    return 0
