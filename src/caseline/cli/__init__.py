"""``caseline``: the command line, the outermost layer (nothing in the package imports it).

Subcommands: ``open`` (the default: ``caseline FILE...`` opens the window), ``validate``, ``table``,
``export``, ``import`` and ``causality``. Each lives in its own module with ``add_parser(subparsers)``
and ``run(args) -> int``; lower layers raise, only this package prints and chooses exit codes. Qt is
imported only by the subcommands that need it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterable, Sequence

import caseline

#: (subcommand, module): the order ``caseline --help`` lists them in.
SUBCOMMANDS = (
    ("open", "caseline.cli.open"),
    ("validate", "caseline.cli.validate"),
    ("table", "caseline.cli.table"),
    ("export", "caseline.cli.export"),
    ("import", "caseline.cli.import_"),
    ("causality", "caseline.cli.causality"),
)
DEFAULT_SUBCOMMAND = "open"


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, just that subcommand (its module alone is imported: the window
    does not pay for the importers' pandas at start-up)."""
    parser = argparse.ArgumentParser(
        prog="caseline",
        description="Clinical cases as interactive swimlane timelines. 'caseline FILE...' opens the window "
                    "(the same as 'caseline open FILE...').",
        epilog="Run 'caseline COMMAND --help' for the options of a command. docs/case-format.md describes "
               "case files.",
    )
    parser.add_argument("--version", action="version", version=f"caseline {caseline.__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, module in SUBCOMMANDS:
        if only is None or name == only:
            importlib.import_module(module).add_parser(subparsers)
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """``caseline FILE...`` means ``caseline open FILE...``; top-level flags stay top-level."""
    names = {name for name, _ in SUBCOMMANDS}
    if not argv:
        return [DEFAULT_SUBCOMMAND]
    first = argv[0]
    if first in names or first in ("-h", "--help", "--version"):
        return argv
    return [DEFAULT_SUBCOMMAND, *argv]


#: Exit status of a command that could not write its output (the old file, if any, is left as it was).
EXIT_WRITE = 3


def overwrites_input(output: str, inputs: Iterable[str]) -> str | None:
    """The input file ``output`` would overwrite (the same path, a link to it, a hard link), else None.

    caseline never writes a file that was opened as input: a mistyped ``-o`` must not destroy a case.
    """
    target = os.path.realpath(output)
    exists = os.path.exists(target)
    for path in inputs:
        try:
            if os.path.realpath(path) == target or (exists and os.path.exists(path) and os.path.samefile(path, target)):
                return path
        except OSError:
            continue
    return None


def write_problem(output: str, exc: OSError) -> str:
    """'cannot write OUT: No space left on device' and what happened to the old file."""
    reason = exc.strerror or str(exc)
    return f"cannot write {output}: {reason} (nothing was written; an existing file is left as it was)"


def write_text_output(command: str, output: str | None, text: str) -> int:
    """Write a command's text to ``output`` atomically (standard output when None); 0, or EXIT_WRITE with the
    reason on standard error."""
    if not output:
        sys.stdout.write(text)
        return 0
    from caseline.io.atomic_write import atomic_write_text

    try:
        atomic_write_text(output, text)
    except OSError as exc:
        print(f"caseline {command}: {write_problem(output, exc)}", file=sys.stderr)
        return EXIT_WRITE
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``caseline`` command; returns the exit status."""
    args_list = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    names = {name for name, _ in SUBCOMMANDS}
    parser = build_parser(args_list[0] if args_list and args_list[0] in names else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for a wrong command line
        return int(exc.code or 0)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def gui_main() -> int:
    """Entry point of ``caseline-gui`` (a desktop launcher): always the window, never a subcommand."""
    return main(["open", *sys.argv[1:]])
