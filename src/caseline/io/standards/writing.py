"""Writing an import: YAML text the case reader accepts, written atomically, never over an input.

The case reader refuses YAML anchors and aliases, so the emitter never writes them. The file is
written to a temporary file in the same folder, flushed to disk and renamed over the target, so
a crash never leaves half a case file.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from typing import Any

from caseline.io.standards.model import ImportResult
from caseline.model.numbers import Written

HEADER = (
    "# Imported by caseline import from {sources}.\n"
    "# Check the suspected drug, day 0 and the labels; every event names its source record.\n"
)


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,'()/+%&*-]*$")
#: Characters YAML does not allow in a stream, even quoted: written as escapes.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_RESERVED = frozenset({"yes", "no", "true", "false", "null", "on", "off", "y", "n"})


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, Written):
        return value.text  # as read: '1.50' (YAML reads it back as the same number)
    if isinstance(value, float):
        text = repr(value)  # YAML 1.1 reads an exponent as a float only after a decimal point
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and text.lower() not in _RESERVED:
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)


def _inline(value: Any) -> str:
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"  # only empty containers are written inline
    return _scalar(value)


def _emit(value: Any, indent: str, lines: list[str]) -> None:
    """Block-style YAML of plain dicts, lists and scalars (what a case dict holds): no anchors or
    aliases, and every string that could read as something else quoted."""
    if isinstance(value, dict):
        for raw_key, item in value.items():
            key = _scalar(str(raw_key))
            if isinstance(item, dict | list) and item:
                lines.append(f"{indent}{key}:")
                _emit(item, indent if isinstance(item, list) else indent + "  ", lines)
            else:
                lines.append(f"{indent}{key}: {_inline(item)}")
        return
    for item in value:
        if isinstance(item, dict | list) and item:
            start = len(lines)
            _emit(item, indent + "  ", lines)
            lines[start] = f"{indent}- {lines[start][len(indent) + 2:]}"
        else:
            lines.append(f"{indent}- {_inline(item)}")


def to_yaml(document: dict[str, Any], sources: Iterable[str] = ()) -> str:
    """``document`` (a case-file dict) as YAML text, with a comment naming its sources.

    A small emitter of our own: PyYAML's representer takes seconds on a 300-subject study, and
    the case reader refuses the aliases it emits for repeated values.
    """
    names = ", ".join(os.path.basename(s.rstrip(os.sep)) for s in sources) or "a standard file"
    lines: list[str] = []
    _emit(document, "", lines)
    return HEADER.format(sources=names) + "\n".join(lines) + "\n"


def caseset_for(result: ImportResult, file_name: str, limit: int) -> dict[str, Any] | None:
    """A case set that lines several imported cases up on their first suspected dose, or None
    (one case, or more than ``limit``: hundreds of cases in one comparison are not legible)."""
    if len(result.cases) < 2 or len(result.cases) > limit:
        return None
    standards = sorted({s.standard for s in result.summaries})
    return {
        "title": f"{len(result.cases)} cases imported from {', '.join(standards)}",
        "files": [file_name],
        "align": "first-suspect-dose",
    }


def write_import(
    result: ImportResult, out_path: str | os.PathLike[str], inputs: Iterable[str] = (), caseset_limit: int = 20
) -> str:
    """Write ``result`` as a case file at ``out_path`` and return the path written.

    Refuses (``ValueError``) to write over any of ``inputs`` or over a folder. The write is atomic:
    a temporary file in the target folder, fsync, then ``os.replace``.
    """
    target = os.path.abspath(os.fspath(out_path))
    input_list = list(inputs)
    for source in input_list:
        source_path = os.path.abspath(source)
        if os.path.exists(target) and os.path.exists(source_path) and os.path.samefile(source_path, target):
            raise ValueError(f"{out_path}: is an input of this import; choose another output file")
        if (
            os.path.isdir(source_path)
            and os.path.commonpath([source_path, target]) == source_path
            and os.path.exists(target)
            and _is_standard_file(target)
        ):
            raise ValueError(f"{out_path}: would overwrite a file of the imported folder")
    if os.path.isdir(target):
        raise ValueError(f"{out_path}: is a folder; give a file name such as case.caseline.yaml")
    result.caseset = caseset_for(result, os.path.basename(target), caseset_limit)
    text = to_yaml(result.document(), input_list)
    folder = os.path.dirname(target) or "."
    handle, temp = tempfile.mkstemp(prefix=".caseline-import-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_standard_file(path: str) -> bool:
    return not path.lower().endswith((".caseline.yaml", ".caseline.yml", ".caseline.json"))
