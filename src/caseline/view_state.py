"""What one view shows: the evented view state. Pure Python (psygnal, as napari's evented models use).

A :class:`ViewState` holds everything a timeline view shows apart from its pixels: the cases, how they
are arranged (sort, alignment), which lanes are hidden, the time axis, the de-identified and held-back
views, and the teaching reveal and selection. Assigning a field (or several at once with
:meth:`ViewState.update`) emits ``changed`` once with the names of the fields that changed; the plot
subscribes and redraws what they touch. Export takes a state (a copy), not a widget; presentation
mode pushes a copy and pops it back; the window, ``caseline export`` and the slides all derive the
drawn cases and the wording of an alignment through :meth:`ViewState.shown`, so they agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from psygnal import Signal

from caseline.analysis.alignment import Alignment, AlignmentLabels, align_cases, alignment_labels, check_mode
from caseline.analysis.focus import focus_range
from caseline.analysis.metrics import sort_cases
from caseline.analysis.reveal import HELD_BACK_CATEGORY_TITLES, Step, held_back_labels, held_back_view, reveal_key
from caseline.analysis.wording import header_lines
from caseline.layout.timeline_layout import LayoutOptions
from caseline.model.caseset import LAYOUTS, SORT_KEYS
from caseline.model.kinds import Category
from caseline.timeline.phases import expand_regimens
from caseline.timeline.resolved import ResolvedCase

#: Units of the time axis: days, weeks or months from day 0, or calendar dates.
AXIS_MODES = ("days", "weeks", "months", "dates")
AXIS_UNIT_WORDS = {"days": "Days", "weeks": "Weeks", "months": "Months"}

#: Fields whose change asks for a new layout; the rest only repaint or relabel.
LAYOUT_FIELDS = frozenset({"cases", "align", "sort", "hidden_lanes", "hidden_categories", "shared_lanes_only",
                           "case_headers", "deidentified", "hold_back", "revealed", "layout", "expand_regimens"})
MARK_FIELDS = frozenset({"ghosted", "highlighted", "selected"})
AXIS_FIELDS = frozenset({"axis_mode", "axis_title"})


@dataclass(frozen=True)
class Arranged:
    """Cases sorted and aligned as a comparison shows them, with the words for it and the layout options."""

    cases: list[ResolvedCase]
    alignment: Alignment
    labels: AlignmentLabels
    options: LayoutOptions


def arrange(cases: Sequence[ResolvedCase], align: str = "anchor", sort: str = "none",
            options: LayoutOptions | None = None) -> Arranged:
    """Sort, then align ``cases``; ``options`` (hidden lanes, shared lanes) get the alignment's shifts.

    Raises ValueError for an unknown alignment or sort.
    """
    mode = check_mode(align)
    ordered = sort_cases(cases, sort)
    alignment = align_cases(ordered, mode)
    base = options or LayoutOptions()
    return Arranged(ordered, alignment, alignment_labels(alignment),
                    dataclasses.replace(base, shifts=dict(alignment.shifts)))


@dataclass(frozen=True)
class Shown:
    """What a view draws, derived from its state: the cases as drawn (arranged, de-identified, held back),
    the layout options and every piece of wording that depends on the state."""

    cases: list[ResolvedCase]
    options: LayoutOptions
    alignment: Alignment
    header_notes: dict[str, str]
    axis_subject: str  # "Days since <subject>"; "" when each case keeps its own anchor
    shared_origin: date | None
    category_titles: dict[Category, str]
    deidentified: bool
    #: why nothing is shown: the de-identified view could not be made (fails closed: ``cases`` is empty)
    problem: str = ""
    #: identifiers and identifying texts of the cases, withheld from wording the view adds (de-identified)
    identifiers: tuple[str, ...] = ()
    identifying_texts: tuple[str, ...] = ()

    def header_lines(self, case: ResolvedCase) -> list[str]:
        """Header text of a case: title (with its alignment note first, if any), then the details line."""
        lines = header_lines(case)
        note = self.header_notes.get(case.id)
        if note:
            lines[0] = f"({note})  {lines[0]}"  # first: a long title must not push the note out of sight
        return [self._scrub(line) for line in lines]

    def calendar_origin(self) -> date | None:
        """The calendar date of the axis's day 0, when the view may show dates."""
        if self.deidentified:
            return None
        if self.shared_origin is not None:
            return self.shared_origin
        if len(self.cases) == 1 and not any(self.options.shifts.values()):
            return self.cases[0].anchor_date
        return None

    def calendar_problem(self) -> str:
        """Why this view cannot show calendar dates, worded for a menu tooltip ('' when it can)."""
        if self.calendar_origin() is not None:
            return ""
        if self.deidentified:
            return "the de-identified view shows no calendar dates"
        if len(self.cases) > 1:
            return ("several cases share the axis: align them on calendar dates (Align: calendar dates) "
                    "to see dates" if any(c.anchor_date for c in self.cases) else "no case gives calendar dates")
        if any(self.options.shifts.values()):
            return "the case is shifted by its alignment"
        return "the case gives no calendar date for its day 0"

    def axis_title(self, mode: str, explicit: str = "") -> str:
        """'Days since first infliximab dose', 'Weeks since each case's day 0', 'Date', ..."""
        if explicit:
            return self._scrub(explicit)
        if mode == "dates":
            return "Date"
        unit = AXIS_UNIT_WORDS[mode]
        if len(self.cases) == 1:
            subject = self.cases[0].anchor_description
        elif self.axis_subject:
            subject = self.axis_subject
        else:
            anchors = {c.anchor_description for c in self.cases}
            subject = anchors.pop() if len(anchors) == 1 else "each case's day 0"
        return self._scrub(f"{unit} since {subject}")

    def scrub(self, text: str) -> str:
        """``text`` as this view may show it: with identifiers and dates withheld when de-identified (for
        wording from outside the cases: an axis or figure title, a caption)."""
        return self._scrub(text)

    def _scrub(self, text: str) -> str:
        if not self.deidentified:
            return text
        from caseline.analysis.deidentify import scrub_text

        return scrub_text(text, None, self.identifiers, self.identifying_texts)


@dataclass(eq=False)
class ViewState:
    """The evented state of one view (see the module docstring). Compare states with ``is``."""

    changed: ClassVar[Signal] = Signal(frozenset)

    cases: tuple[ResolvedCase, ...] = ()
    align: str = "anchor"
    sort: str = "none"
    hidden_lanes: frozenset[str] = frozenset()
    hidden_categories: frozenset[Category] = frozenset()
    shared_lanes_only: bool = False
    case_headers: bool = True  # a header row per case (a figure whose title names its one case has none)
    axis_mode: str = "days"
    axis_title: str = ""  # an explicit axis title ("" : derived from the cases and the alignment)
    time_range: tuple[float, float] | None = None  # the range asked for (None: fit the cases)
    deidentified: bool = False
    hold_back: bool = False  # teaching: the suspected drug and the outcome held back
    revealed: frozenset[str] | None = None  # reveal keys shown ('case id/item id'); None: all
    ghosted: frozenset[str] = frozenset()  # reveal keys drawn faintly (events still to come)
    highlighted: frozenset[str] = frozenset()  # reveal keys ringed (what a step reveals)
    selected: str | None = None  # reveal key of the selected item
    layout: str = "lanes"  # one of LAYOUTS
    expand_regimens: bool = False  # every regimen's drugs on lanes of their own (a file's 'expand: true' always)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _regimens: dict[int, tuple[ResolvedCase, ResolvedCase]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.cases = tuple(self.cases)
        self._check()

    def _check(self) -> None:
        check_mode(self.align)
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort {self.sort!r}: use one of {', '.join(SORT_KEYS)}")
        if self.axis_mode not in AXIS_MODES:
            raise ValueError(f"unknown time axis {self.axis_mode!r}: use one of {', '.join(AXIS_MODES)}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}: use one of {', '.join(LAYOUTS)}")

    # ------------------------------------------------------------------ events
    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or name not in _FIELD_NAMES or "_cache" not in self.__dict__:
            object.__setattr__(self, name, value)
            return
        self.update(**{name: value})

    def update(self, **changes: Any) -> frozenset[str]:
        """Set several fields at once; ``changed`` is emitted once, with the names that changed."""
        unknown = set(changes) - _FIELD_NAMES
        if unknown:
            raise AttributeError(f"ViewState has no field {', '.join(sorted(unknown))}")
        if "cases" in changes:
            changes["cases"] = tuple(changes["cases"])
        old = {name: getattr(self, name) for name in changes}
        names = frozenset(name for name, value in changes.items() if not _same(old[name], value))
        if not names:
            return names
        for name in names:
            object.__setattr__(self, name, changes[name])
        try:
            self._check()
        except ValueError:
            for name in names:
                object.__setattr__(self, name, old[name])
            raise
        if names & LAYOUT_FIELDS:
            self._cache.clear()
        self.changed.emit(names)
        return names

    @contextmanager
    def blocked(self) -> Iterator[None]:
        """No ``changed`` emission inside (e.g. while syncing widgets that would echo back)."""
        with self.changed.blocked():
            yield

    def copy(self, **changes: Any) -> ViewState:
        """A new, independent state with ``changes`` (presentation pushes one; export takes one)."""
        values = {name: getattr(self, name) for name in _FIELD_NAMES}
        values.update(changes)
        return ViewState(**values)

    # ------------------------------------------------------------------ derived
    def arranged(self) -> Arranged:
        """The cases sorted and aligned (cached until a layout field changes)."""
        found = self._cache.get("arranged")
        if found is None:
            options = LayoutOptions(hidden_lanes=self.hidden_lanes, hidden_categories=self.hidden_categories,
                                    shared_lanes_only=self.shared_lanes_only, headers=self.case_headers)
            cases = tuple(self._expanded(c) for c in self.cases) if self.expand_regimens else self.cases
            current = {id(c) for c in self.cases}
            for stale in [k for k in self._regimens if k not in current]:  # cases reloaded or closed
                del self._regimens[stale]
            found = self._cache["arranged"] = arrange(cases, self.align, self.sort, options)
        return found  # type: ignore[no-any-return]

    def _expanded(self, case: ResolvedCase) -> ResolvedCase:
        """``case`` with its regimens' drugs, the same object each time (layouts and metrics are kept per case
        object)."""
        kept = self._regimens.get(id(case))
        if kept is None or kept[0] is not case:
            kept = self._regimens[id(case)] = (case, expand_regimens(case))
        return kept[1]

    def default_range(self) -> tuple[float, float] | None:
        """The time window the view opens at: the range asked for, else a case's own ``range`` when it is
        shown alone, else the focus on the story
        (caseline.analysis.focus: shortly before the first suspected dose to the last outcome of the
        reaction); None when nothing is dated."""
        if self.time_range is not None:
            return self.time_range
        shown = self.shown()
        if len(shown.cases) == 1 and shown.cases[0].case.time_range is not None:  # the case's own 'range'
            lo, hi = shown.cases[0].case.time_range
            shift = shown.options.shifts.get(shown.cases[0].id, 0.0)
            return lo + shift, hi + shift
        found = focus_range(shown.cases, shown.options.shifts, lead=self.layout != "swimmer")
        return (found.lo, found.hi) if found is not None else None

    def shown(self) -> Shown:
        """What the view draws (cached until a layout field changes). De-identifying fails closed:
        if it cannot be done the error propagates and nothing identified is returned."""
        found = self._cache.get("shown")
        if found is None:
            found = self._cache["shown"] = self._derive()
        return found  # type: ignore[no-any-return]

    def _derive(self) -> Shown:
        arranged = self.arranged()
        cases = list(arranged.cases)
        notes, subject = dict(arranged.labels.header_notes), arranged.labels.axis_subject
        options = dataclasses.replace(arranged.options, revealed=self.revealed)
        if self.deidentified:
            from caseline.analysis.deidentify import DeidentifyError, case_identifiers, deidentify_cases

            try:
                found = [case_identifiers(case) for case in cases]
                identifiers = tuple(text for names, _ in found for text in names)
                identifying = tuple(text for _, texts in found for text in texts)
                shown = deidentify_cases(cases)
            except DeidentifyError as exc:  # fail closed: nothing of the cases is shown
                return Shown([], options, arranged.alignment, {}, "", None, {}, True,
                             problem=f"The de-identified view cannot be shown: {exc}. Nothing of the case is "
                                     "shown or exported while it is on; fix the file or turn the view off.")
            options = dataclasses.replace(options, hidden_lanes=_renamed_lanes(options.hidden_lanes, cases, shown))
            cases = shown
        else:
            identifiers = identifying = ()
        titles: dict[Category, str] = {}
        if self.hold_back:
            cases = held_back_view(cases)
            notes, subject = held_back_labels(notes, subject)
            titles = dict(HELD_BACK_CATEGORY_TITLES)
        return Shown(cases, options, arranged.alignment, notes, subject, arranged.labels.shared_origin, titles,
                     self.deidentified, identifiers=identifiers, identifying_texts=identifying)


def _renamed_lanes(hidden: frozenset[str], cases: Sequence[ResolvedCase], shown: Sequence[ResolvedCase]
                   ) -> frozenset[str]:
    """Hidden lanes under the names the de-identified view gives them (a lane named after an identifying
    label is renamed; it stays hidden)."""
    if not hidden:
        return hidden
    renamed = {new.lane for case, copy in zip(cases, shown, strict=True)
               for old, new in zip(case.items, copy.items, strict=True) if old.lane in hidden}
    return hidden | renamed


def reveal_changes(step: Step, every: frozenset[str], ghost: bool) -> dict[str, Any]:
    """The view fields of one reveal step, for presentation mode and the slides alike: ``every`` is the
    reveal key of each item drawn; ``ghost`` draws the events still to come faintly instead of leaving
    them out."""
    return {"hold_back": step.neutral, "revealed": None if ghost else step.revealed_item_ids,
            "ghosted": every - step.revealed_item_ids if ghost else frozenset(),
            "highlighted": frozenset(step.new_item_ids)}


def _same(old: Any, new: Any) -> bool:
    """Whether assigning ``new`` changes nothing: tuples of cases by identity (comparing cases deeply
    would cost as much as drawing them), everything else by value."""
    if isinstance(old, tuple) and isinstance(new, tuple) and (old and isinstance(old[0], ResolvedCase)):
        return len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True))
    return bool(old == new) if type(old) is type(new) else False


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(ViewState) if not f.name.startswith("_"))


def reveal_keys(cases: Sequence[ResolvedCase]) -> dict[str, int]:
    """Index of each item of ``cases`` (in layout order) by its reveal key 'case id/item id'."""
    return {reveal_key(item): index for index, item in enumerate(item for case in cases for item in case.items)}
