"""The settings a figure was made with, saved beside it (``fig.png.caseline-export.json``) so the same figure
can be made again: the ``caseline export`` command, the inputs, every option and what was made. Written by
``caseline export`` and by the export dialog; never for a de-identified figure (it would name the inputs)."""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

#: The settings of a figure are saved under its name plus this.
SETTINGS_SUFFIX = ".caseline-export.json"

#: The options a settings file records (``caseline export``'s argparse names), in command-line order.
OPTIONS = ("format", "preset", "width_mm", "width_px", "height_mm", "height_px", "dpi", "theme", "font", "layout",
           "align", "sort", "range", "axis", "title", "caption", "legend")

#: Values that need no option on the command line (the command's defaults).
DEFAULTS = {"layout": "lanes", "axis": "days", "legend": "top"}


def settings_path(path: str | os.PathLike[str]) -> str:
    return os.fspath(path) + SETTINGS_SUFFIX


def export_command(files: Sequence[str], output: str, options: Mapping[str, Any]) -> str:
    """The ``caseline export`` command line that makes the figure of ``options`` (names as in OPTIONS)."""
    command = ["caseline", "export", *files, "-o", output]
    for name in OPTIONS:
        value = options.get(name)
        if value is None or value is False or DEFAULTS.get(name) == value:
            continue
        flag = "--" + name.replace("_", "-")
        if value is True:
            command.append(flag)
        elif name == "range":
            command += [flag, *(f"{float(v):g}" for v in value)]
        else:
            command += [flag, f"{value:g}" if isinstance(value, float) else str(value)]
    return shlex.join(command)


def settings_json(files: Sequence[str], output: str, options: Mapping[str, Any], made: Mapping[str, Any],
                  notes: Sequence[str] = ()) -> str:
    """The settings file's text: made_by, command, inputs (absolute paths), options, figure (what was made:
    format, size in mm and px, dpi) and notes (what the command cannot say, such as lanes hidden in the
    window)."""
    from caseline import __version__

    settings: dict[str, Any] = {
        "made_by": f"caseline {__version__}",
        "command": export_command(files, output, options),
        "inputs": [os.path.abspath(f) for f in files],
        "options": {name: options.get(name) for name in OPTIONS},
        "figure": dict(made),
    }
    if notes:
        settings["notes"] = list(notes)
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def made_of(info: Any) -> dict[str, Any]:
    """The 'figure' entry of an ExportInfo."""
    return {"format": info.fmt, "width_mm": round(info.width_mm, 2), "height_mm": round(info.height_mm, 2),
            "width_px": info.width_px, "height_px": info.height_px, "dpi": info.dpi}


def write_settings(path: str | os.PathLike[str], text: str) -> str:
    """Write ``text`` as the settings file of the figure at ``path``, atomically; returns its path."""
    from caseline.io.atomic_write import atomic_write_bytes

    target = settings_path(path)
    atomic_write_bytes(target, text.encode("utf-8"))
    return target
