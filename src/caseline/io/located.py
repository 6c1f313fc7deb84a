"""Read a YAML or JSON file into plain Python values that remember where they came from.

Guards every way a file can hurt the reader: size, binary content, encoding, byte-order
marks, tab indentation, anchors/aliases (alias bombs), duplicate keys and deep nesting.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import yaml

from caseline.io.registry import read_regular
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel, SourcePos, UnreadableFile
from caseline.model.numbers import as_written

#: Largest file read (CSV events tables): about 350,000 short rows; the event limit below stops it sooner.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Largest YAML/JSON case file read: a 100,000-event case is about 18 MB, and composing YAML costs about
#: 0.7 s per MB, so this keeps a file within what caseline loads in reasonable time (about 15 s).
MAX_YAML_BYTES = 20 * 1024 * 1024
#: Most events one file may hold (all its cases together): about what loads in 10 s (docs/performance.md).
MAX_EVENTS = 100_000
#: Most administrations, course points and severity values one file may state, all events together
#: (a 100,000-event case has about 70,000 of them; each schedule, course and severity has at most 10,000).
MAX_ITEMS = 250_000
#: Longest text value read (characters): a label or a note of 100,000 characters is already a book page
#: per mark; a 10 MB pasted label would take seconds to measure and draw.
MAX_TEXT_CHARS = 100_000
#: Longest label, lane, title or other text drawn on the timeline (characters): a 1,000-character label
#: already wraps to a paragraph on a figure; a 100,000-character one made a 4-metre PNG in 6 s.
MAX_LABEL_CHARS = 1_000
#: The fields held to MAX_LABEL_CHARS (drawn on the figure or its axis).
LABEL_KEYS = frozenset({"id", "label", "lane", "title", "anchor_label", "drug", "dose", "unit", "route",
                        "frequency", "category", "test", "case_id", "case_title", "kind", "role", "type",
                        "interpretation", "state", "sex", "age"})
#: Longest number read, in digits (Python refuses to convert longer ones; no case needs a tenth of it).
MAX_DIGITS = 4300
#: Deepest nesting a case file needs is about 6; anything past this is hostile or broken.
MAX_DEPTH = 64

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Where an event's 'kind' key can start (block or flow style, YAML or JSON): counted before composing.
_KIND_KEY = re.compile(r'(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)"?kind"?[ \t]*:', re.MULTILINE)
_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)
_DEEP_OPEN = re.compile(r"[\[{](?:\s*[\[{]){" + str(MAX_DEPTH) + ",}")


class LMap(dict[str, Any]):
    """A mapping with the position of itself, each key and each value."""

    __slots__ = ("key_pos", "pos", "val_pos")

    def __init__(self, pos: SourcePos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, SourcePos] = {}
        self.val_pos: dict[str, SourcePos] = {}

    def where(self, key: str) -> SourcePos:
        """Position of a key's value (or the mapping itself when the key is absent)."""
        return self.val_pos.get(key) or self.key_pos.get(key) or self.pos


class LList(list[Any]):
    """A list with the position of itself and each item."""

    __slots__ = ("item_pos", "pos")

    def __init__(self, pos: SourcePos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[SourcePos] = []

    def where(self, index: int) -> SourcePos:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def read_text(path: str, limit: int = MAX_FILE_BYTES) -> tuple[str, list[Diagnostic]]:
    """Read a regular text file as UTF-8, refusing what is not a case file or is over ``limit`` bytes.

    Never reads more than ``limit + 1`` bytes, whatever the file is (a link to /dev/zero, a file that
    grows while read). Warnings are returned.
    """
    warnings: list[Diagnostic] = []
    where = SourcePos(path)
    try:
        data = read_regular(path, limit + 1)
    except FileNotFoundError:
        raise UnreadableFile(Diagnostic(where, "file not found", "check the path")) from None
    except IsADirectoryError:
        raise UnreadableFile(Diagnostic(where, "is a directory, not a case file")) from None
    except OSError as exc:
        raise UnreadableFile(Diagnostic(where, f"cannot read: {exc.strerror or exc}")) from None
    if len(data) > limit:
        raise UnreadableFile(too_large(path, limit))
    if not data.strip():
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), "file is empty", "write at least 'caseline: 1' and a case")
        )
    # UTF-16/32 text is full of NUL bytes: name the encoding before calling the file binary.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = "UTF-32" if data.startswith(b"\xff\xfe\x00\x00") else "UTF-16"
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), f"file is {what} encoded", "save it as UTF-8")
        )
    if b"\x00" in data[:8192]:
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), "this is a binary file, not a text case file",
                       "open a .yaml, .json or .csv case file")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        warnings.append(
            Diagnostic(SourcePos(path, 1, 1), "file starts with a UTF-8 byte-order mark; it was ignored",
                       "save the file as UTF-8 without BOM", DiagnosticLevel.WARNING)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableFile(
            Diagnostic(SourcePos(path, line, col), f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                       "save the file as UTF-8")
        ) from None
    return text, warnings


def too_many_events(pos: SourcePos, count: int, about: str = "") -> Diagnostic:
    """The diagnostic of a file holding more than MAX_EVENTS events."""
    return Diagnostic(pos, f"the file holds {about}{count:,} events, more than the {MAX_EVENTS:,} caseline reads "
                           "from one file", "split the cases into several files (and compare them with a case set)")


def too_large(path: str, limit: int) -> Diagnostic:
    """The diagnostic of a file over the size limit (documented in docs/case-format.md)."""
    try:
        size = f"{os.stat(path).st_size / 2**20:,.0f} MiB"
    except OSError:
        size = "too large"
    return Diagnostic(SourcePos(path), f"file is {size}, larger than the {limit // 2**20} MiB caseline reads "
                                       f"in this format", "split it into several case files, or use a CSV events "
                                                          "table (CSV files may have up to 32 MiB)")


class DroppedPositions:
    """Whether a reader read without positions while :func:`without_positions` was in force."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used = False


_DROPPING: ContextVar[DroppedPositions | None] = ContextVar("caseline_dropping_positions", default=None)


@contextmanager
def without_positions() -> Iterator[DroppedPositions]:
    """Read files without source positions meanwhile: every position is the file's (line 0).

    A file without problems needs none (they only place messages), and making them is a good part
    of reading a large file; :func:`caseline.timeline.load.load_file` reads such a file again with
    positions when it has something to report. The object yielded says whether any reader left
    positions out (readers that do not ask :func:`keeps_positions` keep theirs).
    """
    state = DroppedPositions()
    token = _DROPPING.set(state)
    try:
        yield state
    finally:
        _DROPPING.reset(token)


@contextmanager
def with_positions() -> Iterator[None]:
    """Read with source positions meanwhile, even inside :func:`without_positions`."""
    token = _DROPPING.set(None)
    try:
        yield
    finally:
        _DROPPING.reset(token)


def keeps_positions() -> bool:
    """Whether a file read now keeps its source positions (see :func:`without_positions`)."""
    state = _DROPPING.get()
    if state is None:
        return True
    state.used = True
    return False


def _pos(path: str, node: yaml.Node) -> SourcePos:
    mark = node.start_mark
    return SourcePos(path, mark.line + 1, mark.column + 1)


class _NodeMap(LMap):
    """A composed YAML mapping: positions of keys and values are made from its nodes when asked for.

    Most values never need one (only times and problems keep a position), so none is made ahead.
    The last of duplicate keys wins, as the mapping's value does.
    """

    __slots__ = ("_index", "_keys", "_pairs", "_path")

    def __init__(self, path: str, node: yaml.MappingNode, nowhere: SourcePos | None) -> None:
        dict.__init__(self)
        self.pos = _pos(path, node) if nowhere is None else nowhere
        self._path = path if nowhere is None else None  # None: no positions (without_positions)
        self._pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        self._keys: list[str] = []  # the key of each pair, as read
        self._index: dict[str, int] | None = None

    def _where(self, key: str, side: int) -> SourcePos | None:
        if self._path is None:
            return self.pos if key in self else None
        index = self._index
        if index is None:
            index = self._index = {k: i for i, k in enumerate(self._keys)}
        i = index.get(key)
        return None if i is None else _pos(self._path, self._pairs[i][side])

    def where(self, key: str) -> SourcePos:
        return self._where(key, 1) or self.pos

    @property
    def key_pos(self) -> dict[str, SourcePos]:  # only a problem's message asks for all of them
        return {key: self._where(key, 0) for key in self}  # type: ignore[misc]

    @key_pos.setter
    def key_pos(self, value: dict[str, SourcePos]) -> None:
        raise AttributeError("the positions of a composed mapping come from its nodes")

    @property
    def val_pos(self) -> dict[str, SourcePos]:
        return {key: self._where(key, 1) for key in self}  # type: ignore[misc]

    @val_pos.setter
    def val_pos(self, value: dict[str, SourcePos]) -> None:
        raise AttributeError("the positions of a composed mapping come from its nodes")

    def last_key_pos(self, key: str) -> SourcePos:
        """Position of the latest ``key`` read so far (the one a duplicate repeats)."""
        keys = self._keys
        if self._path is None:
            return self.pos
        return _pos(self._path, self._pairs[len(keys) - 1 - keys[::-1].index(key)][0])


class _NodeList(LList):
    """A composed YAML sequence: item positions are made from its nodes when asked for."""

    __slots__ = ("_items", "_path")

    def __init__(self, path: str, node: yaml.SequenceNode, nowhere: SourcePos | None) -> None:
        list.__init__(self)
        self.pos = _pos(path, node) if nowhere is None else nowhere
        self._path = path if nowhere is None else None  # None: no positions (without_positions)
        self._items: list[yaml.Node] = node.value

    def where(self, index: int) -> SourcePos:
        if self._path is None or not 0 <= index < len(self._items):
            return self.pos
        return _pos(self._path, self._items[index])

    @property
    def item_pos(self) -> list[SourcePos]:
        if self._path is None:
            return [self.pos] * len(self._items)
        return [_pos(self._path, n) for n in self._items]

    @item_pos.setter
    def item_pos(self, value: list[SourcePos]) -> None:
        raise AttributeError("the positions of a composed sequence come from its nodes")


_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_FLOAT = "tag:yaml.org,2002:float"


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[int] = set()
        self.constructor = yaml.SafeLoader("")
        self.errors: list[Diagnostic] = []
        self.strings: dict[str, str] = {}  # one copy of each repeated text (lanes, units, labels)
        self.nowhere = None if keeps_positions() else SourcePos(path)  # the one position of every value

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise UnreadableFile(
                Diagnostic(_pos(self.path, node), f"nesting deeper than {MAX_DEPTH} levels",
                           "a case file needs only a few levels")
            )
        seen = self.seen
        if id(node) in seen:
            raise UnreadableFile(
                Diagnostic(_pos(self.path, node), "YAML anchors and aliases (&name, *name) are not supported",
                           "write the value out in full")
            )
        seen.add(id(node))
        tag = node.tag
        if tag == _STR and node.__class__ is yaml.ScalarNode:  # most scalars: the text is the value
            value = node.value
            return self.strings.setdefault(value, value) if len(value) <= 64 else value
        if isinstance(node, yaml.MappingNode):
            out = _NodeMap(self.path, node, self.nowhere)
            keys = out._keys
            build = self.build
            strings = self.strings
            inline = depth < MAX_DEPTH  # plain text keys and values are read here (build would do the same)
            for key_node, value_node in node.value:
                if (inline and key_node.tag == _STR and key_node.__class__ is yaml.ScalarNode
                        and id(key_node) not in seen):
                    seen.add(id(key_node))
                    key = key_node.value
                    if len(key) <= 64:
                        key = strings.setdefault(key, key)
                else:
                    if key_node.tag == _MERGE:
                        raise UnreadableFile(
                            Diagnostic(_pos(self.path, key_node), "YAML merge keys (<<) are not supported",
                                       "write the keys out in full")
                        )
                    key = build(key_node, depth + 1)
                    if key.__class__ is not str:
                        key = str(key)
                if key in out:
                    self.errors.append(
                        Diagnostic(_pos(self.path, key_node),
                                   f"duplicate key {key!r} (first at line {out.last_key_pos(key).line})",
                                   "remove one of them")
                    )
                keys.append(key)
                if (inline and value_node.tag == _STR and value_node.__class__ is yaml.ScalarNode
                        and id(value_node) not in seen):
                    seen.add(id(value_node))
                    value = value_node.value
                    out[key] = strings.setdefault(value, value) if len(value) <= 64 else value
                else:
                    out[key] = build(value_node, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            seq = _NodeList(self.path, node, self.nowhere)
            build = self.build
            for item in node.value:
                seq.append(build(item, depth + 1))
            return seq
        if tag == _TIMESTAMP:
            return node.value  # dates stay text: the time parser knows their precision
        try:
            value = self.constructor.construct_object(node)
            if value.__class__ is float and tag == _FLOAT:
                return as_written(value, node.value)  # '1.50' stays 1.50 (caseline.model.numbers)
            return value
        except yaml.YAMLError:
            return node.value
        except (ValueError, TypeError, LookupError, OverflowError):
            self.errors.append(_scalar_error(_pos(self.path, node), node))
            return None


def _scalar_error(pos: SourcePos, node: yaml.Node) -> Diagnostic:
    """A value its tag (written, as in ``!!int ''``, or implied) cannot read, as a diagnostic."""
    kind = node.tag.rsplit(":", 1)[-1]
    text = str(node.value)
    digits = text.lstrip("+-").replace("_", "")
    if kind == "int" and len(digits) > MAX_DIGITS:
        return Diagnostic(pos, f"a number of {len(digits):,} digits is more than the {MAX_DIGITS:,} caseline reads",
                          "check the number (was text pasted into it?)")
    shown = text if len(text) <= 40 else text[:40] + "..."
    words = {"int": "a whole number", "float": "a number", "bool": "true or false"}
    return Diagnostic(pos, f"{shown!r} is not {words.get(kind, 'a valid !!' + kind)}",
                      f"remove the '!!{kind}' tag, or write a valid value" if kind in words else "remove the tag")


def _check_tabs(path: str, text: str) -> None:
    match = _TAB_INDENT.search(text) if "\t" in text else None
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise UnreadableFile(
            Diagnostic(SourcePos(path, line, len(match.group(1)) + 1),
                       "tab character used for indentation", "YAML indentation must use spaces")
        )


def _yaml_error(path: str, exc: yaml.YAMLError, text: str = "") -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        where = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, where) + 1
        col = where - (text.rfind("\n", 0, where) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return Diagnostic(SourcePos(path, line, col),
                          f"control character U+{ord(char):04X} is not allowed in a YAML file",
                          "remove it (was the file pasted from a binary or a PDF?)")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    pos = SourcePos(path, mark.line + 1, mark.column + 1) if mark else SourcePos(path, 1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
        context += f" that starts at line {context_mark.line + 1}, column {context_mark.column + 1}"
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Diagnostic(pos, message, "check indentation, colons and quotes on this line")


def load_yaml(path: str, text: str) -> tuple[Any, list[Diagnostic]]:
    """Compose YAML into located values. Raises UnreadableFile; returns non-fatal diagnostics."""
    _check_tabs(path, text)
    # Composing costs time per node: refuse a file of too many events first (str.count is the cheap bound).
    if len(text) > MAX_EVENTS * 20 and text.count("kind") > MAX_EVENTS:
        estimate = sum(1 for _ in _KIND_KEY.finditer(text))
        if estimate > MAX_EVENTS:
            raise UnreadableFile(too_many_events(SourcePos(path, 1, 1), estimate, "about "))
    if text.count("[") + text.count("{") > MAX_DEPTH and _DEEP_OPEN.search(text):
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), f"nesting deeper than {MAX_DEPTH} levels",
                       "a case file needs only a few levels")
        )
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except RecursionError:
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), "nesting too deep to read", "a case file needs only a few levels")
        ) from None
    except yaml.YAMLError as exc:
        raise UnreadableFile(_yaml_error(path, exc, text)) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), "file has no content (only comments?)",
                       "write at least 'caseline: 1' and a case")
        )
    if len(documents) > 1:
        raise UnreadableFile(
            Diagnostic(_pos(path, documents[1]), "more than one YAML document ('---') in the file",
                       "put several cases in one 'cases:' list instead")
        )
    builder = _Builder(path)
    value = builder.build(documents[0])
    return value, builder.errors


def load_json(path: str, text: str) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON strictly, then take positions from the YAML composer (JSON is YAML)."""
    try:
        # Numbers stay text here (int() refuses 4,300+ digits): the YAML pass reports them with a position.
        json.loads(text, object_pairs_hook=lambda pairs: None, parse_int=str, parse_float=str)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            Diagnostic(SourcePos(path, exc.lineno, exc.colno), f"JSON syntax error: {exc.msg}",
                       "check commas, brackets and quotes")
        ) from None
    except RecursionError:
        raise UnreadableFile(
            Diagnostic(SourcePos(path, 1, 1), "nesting too deep to read", "a case file needs only a few levels")
        ) from None
    # Tabs are legal JSON whitespace; YAML only dislikes them as indentation.
    return load_yaml(path, text.replace("\t", " "))
