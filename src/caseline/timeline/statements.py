"""A case as a temporal network: one point per time, one constraint per statement.

Every time of a case is a point: each event's start (its time, for point events) and end, each
administration of a schedule, each course point and severity value, plus three fixed points:
day 0 (the anchor), the file's own day 0 ("day 14" counts from it; it is day 0 unless the anchor
is itself placed by such a time, see :meth:`Compiler.day_zero`) and the calendar epoch (a
calendar date ``d`` says ``point - epoch`` lies between the first and last day of ``d``, as
proleptic Gregorian ordinals).

Each statement in the file becomes constraints ``lo <= X - Y <= hi`` (see
:mod:`caseline.timeline.constraints`), remembered as a :class:`Statement` with its FILE:LINE:COL
so that a contradiction names every statement involved. The format also implies a few rules (an
end is not before its start, administrations come in their order, a stop is not before what it
stops); they narrow bounds but never place a time nothing else places.

"The time before it" (``then``, ``2 weeks later``): for an event's start, the previous event's
start in the file; for an end, its own start; for a course point, severity value or listed
administration, the one before it (the first: its event's start, or for an administration the
previous event's start).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from caseline.model.case import MAX_ADMINISTRATIONS, AtList, Case, Cycles, Event, Phased, Repeat
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel, SourcePos
from caseline.model.finalize import IdHints
from caseline.model.kinds import Kind
from caseline.model.time_expressions import (
    PREVIOUS,
    AllOf,
    AnchorTime,
    CalendarTime,
    EventRef,
    RangeTime,
    RelativeTime,
    TimeExpr,
    TimeNode,
    UnknownTime,
)
from caseline.timeline.constraints import INF, Mode, Network
from caseline.timeline.phases import (
    PhasePoints,
    allocate_phases,
    compile_phases,
    phase_point,
    phase_times,
    phased_dose_count,
)

#: Administrations whose spacing is not stated are placed this fraction of an order step apart,
#: so a group of sessions reads as a group (caseline.timeline.estimates).
DOSE_GAP = 0.25


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of the file (or one rule the format implies) behind some constraints."""

    pos: SourcePos
    text: str  # the time as written, or the implied rule in words
    subject: str  # what it times: "weakness.start", "ifx#2", "day 0"
    event_id: str = ""
    rule: str = ""  # "" for a statement of the file; else the implied rule's name
    refs: tuple[str, ...] = ()  # what it is relative to ("b.start"), for circular chains


@dataclass(slots=True)
class EventPoints:
    """The points of one event, and how its end is known."""

    start: int
    end: int = -1  # -1: a point event
    first_dose: int = -1
    doses: int = 0
    cycles: tuple[int, ...] = ()  # cycle number of each administration (cycles schedules)
    first_course: int = -1
    first_severity: int = -1
    end_source: str = ""  # "stated", "duration", "stop", "doses" or "" (nothing says)
    count_known: bool = True  # False: the schedule's number of administrations is not stated
    phase_points: PhasePoints | None = None  # a course given in phases (caseline.timeline.phases)


#: A statement as compiled: (pos, text, subject, event id, rule, refs or the expression)
StatementRecord = tuple[SourcePos, str, str, str, str, "tuple[str, ...] | TimeExpr"]


def _ref_name(ref: EventRef) -> str:
    if ref.event_id == PREVIOUS:
        return "the time before it"
    return f"{ref.event_id}.start" if ref.part == "start" else str(ref)


@dataclass
class CaseNetwork:
    """A case compiled to a network, with what is needed to read the solution back."""

    case: Case
    net: Network
    statements: list[StatementRecord]
    origin: int
    file_day0: int
    epoch: int
    events: dict[str, EventPoints]
    calendar_tags: list[int] = field(default_factory=list)  # statements with a calendar date
    clock_points: set[int] = field(default_factory=set)  # points stated to the minute (see clocked)
    clock_links: list[tuple[int, int]] = field(default_factory=list)  # (point, ref): hours or minutes after
    until_points: dict[str, int] = field(default_factory=dict)  # hidden 'until' point per schedule
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def statement(self, tag: int) -> Statement:
        """The statement behind the constraints tagged ``tag``."""
        pos, text, subject, event_id, rule, refs = self.statements[tag]
        if isinstance(refs, TimeExpr):
            refs = tuple(_ref_name(r) for r in refs.refs())
        return Statement(pos, text, subject, event_id, rule, refs)


class Compiler:
    """Builds the :class:`CaseNetwork` of a case. ``dose_counts`` fixes the number of
    administrations of repeats that run ``until`` a time (found from a first solution)."""

    def __init__(self, case: Case, dose_counts: dict[str, int] | None = None) -> None:
        self.case = case
        self.by_id = {e.id: e for e in case.events}
        self.hints = IdHints(self.by_id)  # bounded: thousands of unknown ids stay fast
        self.net = Network()
        self.statements: list[StatementRecord] = []
        self.dose_counts = dose_counts or {}
        self._reported: set[tuple[SourcePos | None, str]] = set()
        net = self.net
        origin = net.add_points(3)
        file_day0, epoch = origin + 1, origin + 2
        self.out = CaseNetwork(case, net, self.statements, origin, file_day0, epoch, {})
        self.stops: dict[str, Event] = {}
        for event in case.events:
            if event.kind is Kind.DECHALLENGE and event.target:
                self.stops.setdefault(event.target, event)
        self._referenced: dict[str, int] | None = None

    # ------------------------------------------------------------------ reporting
    def report(self, pos: SourcePos | None, message: str, hint: str = "",
               level: DiagnosticLevel = DiagnosticLevel.ERROR) -> None:
        key = (pos, message)
        if key not in self._reported:
            self._reported.add(key)
            self.out.diagnostics.append(Diagnostic(pos or self.case.pos, message, hint, level))

    def statement(self, pos: SourcePos | None, text: str, subject: str, event_id: str = "", rule: str = "",
                  refs: tuple[str, ...] | TimeExpr = ()) -> int:
        # a plain tuple: a Statement is made only when a diagnostic needs it (CaseNetwork.statement)
        self.statements.append((pos or self.case.pos, text, subject, event_id, rule, refs))
        return len(self.statements) - 1

    # ------------------------------------------------------------------ the whole case
    def compile(self) -> CaseNetwork:
        for event in self.case.events:
            self.allocate(event)
        previous = -1
        for event in self.case.events:
            self.event(event, previous)
            previous = self.out.events[event.id].start
        self.anchor()
        self.day_zero()
        self.clocked()
        return self.out

    def clocked(self) -> None:
        """Times known to the minute: stated as date-times, or hours/minutes after such a time
        ("day 10" after a day 0 at 08:00 is a day, not 08:00 ten days later)."""
        out = self.out
        changed = bool(out.clock_links and out.clock_points)
        while changed:
            changed = False
            for point, ref in out.clock_links:
                if ref in out.clock_points and point not in out.clock_points:
                    out.clock_points.add(point)
                    changed = True

    def allocate(self, event: Event) -> None:
        net = self.net
        points = EventPoints(start=net.add_points(1))
        if not event.is_point:
            points.end = net.add_points(1)
        if event.schedule is not None:
            count, cycles, known = self._dose_count(event)
            points.doses, points.cycles, points.count_known = count, cycles, known
            points.first_dose = net.add_points(count) if count else -1
            if isinstance(event.schedule, Phased):
                points.phase_points = allocate_phases(self, event.schedule)
        if event.course:
            points.first_course = net.add_points(len(event.course))
        if event.severity is not None and event.severity.points:
            points.first_severity = net.add_points(len(event.severity.points))
        self.out.events[event.id] = points

    def _dose_count(self, event: Event) -> tuple[int, tuple[int, ...], bool]:
        schedule = event.schedule
        if isinstance(schedule, AtList):
            return len(schedule.times), (), True
        if isinstance(schedule, Phased):
            return (*phased_dose_count(schedule), True)
        if isinstance(schedule, Repeat):
            if schedule.count is not None:
                return schedule.count, (), True
            if schedule.until is not None and not schedule.until.is_unknown:
                return self._capped(event, self.dose_counts.get(event.id, 1)), (), True
            return self._capped(event, max(1, self.referenced(event.id))), (), False  # 'ID#999999' asks for it
        assert isinstance(schedule, Cycles)
        per_cycle = len(schedule.days)
        if schedule.count is not None:
            n_cycles, known = schedule.count, True
        else:
            n_cycles, known = max(1, -(-self.referenced(event.id) // per_cycle)), False
        if n_cycles * per_cycle > MAX_ADMINISTRATIONS:
            self._too_many(event)
            n_cycles = max(1, MAX_ADMINISTRATIONS // per_cycle)
        cycles = tuple(c for c in range(1, n_cycles + 1) for _ in schedule.days)
        return len(cycles), cycles, known

    def _capped(self, event: Event, count: int) -> int:
        if count > MAX_ADMINISTRATIONS:
            self._too_many(event)
            return MAX_ADMINISTRATIONS
        return count

    def _too_many(self, event: Event) -> None:
        self.report(event.pos, f"the schedule of {event.id!r} expands to more than {MAX_ADMINISTRATIONS:,} "
                               "administrations", f"a schedule may have at most {MAX_ADMINISTRATIONS:,}; check "
                               "'every', 'until', 'count' and 'days'")

    def referenced(self, event_id: str) -> int:
        """The highest administration number any time of the case refers to for this event."""
        if self._referenced is None:
            found: dict[str, int] = {}
            for expr in _expressions(self.case):
                for ref in expr.refs():
                    if ref.part == "dose" and ref.index and ref.index > 0:
                        found[ref.event_id] = max(found.get(ref.event_id, 0), ref.index)
            self._referenced = found
        return self._referenced.get(event_id, 0)

    # ------------------------------------------------------------------ events
    def event(self, event: Event, previous: int) -> None:
        points = self.out.events[event.id]
        start = points.start
        if event.start is not None:
            self.timed(event.start, start, f"{event.id}.start", event, previous)
        if event.schedule is not None:
            self.schedule(event, points, previous)
        if not event.is_point:
            self.end(event, points)
        if event.kind in (Kind.DECHALLENGE, Kind.RECHALLENGE) and event.target in self.out.events:
            target = self.out.events[event.target]
            tag = self.statement(event.pos, f"a {event.kind.value} is not before the start of {event.target!r}",
                                 f"{event.id}", event.id, "after-target")
            self.net.constrain(start, target.start, 0.0, INF, tag, mode=Mode.ORDER, links=False)
        for n, point in enumerate(event.course):
            here = points.first_course + n
            before = here - 1 if n else start
            self.timed(point.at, here, f"{event.id}@{n + 1}", event, before)
            tag = self.statement(point.at.pos or event.pos, f"a course point of {event.id!r} is not before its "
                                 "start", f"{event.id}@{n + 1}", event.id, "course-after-start")
            self.net.constrain(here, start, 0.0, INF, tag, mode=Mode.ORDER, links=False)
        if event.severity is not None:
            for n, value in enumerate(event.severity.points):
                here = points.first_severity + n
                self.timed(value.at, here, f"{event.id}~{n + 1}", event, here - 1 if n else start)

    def end(self, event: Event, points: EventPoints) -> None:
        net, start, end = self.net, points.start, points.end
        duration = event.duration
        if event.end is not None:
            if not event.end.is_unknown:
                points.end_source = "stated"
            self.timed(event.end, end, f"{event.id}.end", event, start)
            if duration is not None and event.start is None:
                # start = end - duration
                tag = self.statement(event.pos, f"duration {duration.text}", f"{event.id}.start", event.id,
                                     refs=(f"{event.id}.end",))
                net.constrain(start, end, -duration.hi, -duration.lo, tag, pref=-duration.best)
        elif duration is not None and (event.start is not None or points.doses == 0):
            points.end_source = "duration"
            tag = self.statement(event.pos, f"duration {duration.text}", f"{event.id}.end", event.id,
                                 refs=(f"{event.id}.start",))
            net.constrain(end, start, duration.lo, duration.hi, tag, pref=duration.best)
        elif event.id in self.stops:
            stop = self.stops[event.id]
            points.end_source = "stop"
            tag = self.statement(stop.pos, f"{stop.id!r} stops {event.id!r}", f"{event.id}.end", event.id,
                                 refs=(stop.id,))
            net.constrain(end, self.out.events[stop.id].start, 0.0, 0.0, tag)
        elif points.doses and points.count_known:
            points.end_source = "doses"
            last = points.first_dose + points.doses - 1
            if duration is not None:
                tag = self.statement(event.pos, f"duration {duration.text} after the last administration",
                                     f"{event.id}.end", event.id, refs=(f"{event.id}#last",))
                net.constrain(end, last, duration.lo, duration.hi, tag, pref=duration.best)
            else:
                tag = self.statement(event.pos, "the course ends with its last administration",
                                     f"{event.id}.end", event.id, refs=(f"{event.id}#last",))
                net.constrain(end, last, 0.0, 0.0, tag)
        where = event.end.pos if event.end is not None and event.end.pos else event.pos
        tag = self.statement(where, f"the end of {event.id!r} is not before its start", f"{event.id}.end",
                             event.id, "end-after-start")
        net.constrain(end, start, 0.0, INF, tag, mode=Mode.ORDER, links=False)
        if points.doses and points.end_source in ("stated", "duration", "stop"):
            tag = self.statement(where, f"the administrations of {event.id!r} are not after its end",
                                 f"{event.id}.end", event.id, "doses-in-course")
            net.constrain(end, points.first_dose + points.doses - 1, 0.0, INF, tag, mode=Mode.ORDER, links=False)

    # ------------------------------------------------------------------ schedules
    def schedule(self, event: Event, points: EventPoints, previous: int) -> None:
        schedule = event.schedule
        net = self.net
        if isinstance(schedule, Phased):
            compile_phases(self, event, points, previous)
            return
        if not points.doses:
            return
        first = points.first_dose
        if isinstance(schedule, AtList):
            for k, expr in enumerate(schedule.times):
                self.timed(expr, first + k, f"{event.id}#{k + 1}", event, first + k - 1 if k else previous)
                if k:
                    tag = self.statement(expr.pos or event.pos, f"administration {k + 1} of {event.id!r} is not "
                                         f"before administration {k}", f"{event.id}#{k + 1}", event.id,
                                         "dose-order")
                    net.constrain(first + k, first + k - 1, 0.0, INF, tag, mode=Mode.ORDER, links=False)
            self._course_start(event, points, first)
            return
        assert isinstance(schedule, Repeat | Cycles)
        explicit = schedule.start
        if isinstance(schedule, Cycles):
            starts = net.add_points(max(points.cycles[-1], 1))  # hidden: the first day of each cycle
            anchor_point = starts
        else:
            anchor_point = first
        if explicit is not None:
            self.timed(explicit, anchor_point, f"{event.id}#1", event, previous)
            self._course_start(event, points, anchor_point)
        elif event.start is not None:
            tag = self.statement(event.start.pos or event.pos, "the schedule starts with the course",
                                 f"{event.id}#1", event.id, refs=(f"{event.id}.start",))
            net.constrain(anchor_point, points.start, 0.0, 0.0, tag)
        else:
            self.report(event.pos, f"the schedule of {event.id!r} has no start",
                        "give the event a 'start' or the schedule a 'start'")
        if isinstance(schedule, Repeat):
            every = schedule.every
            text = f"every {every.text}" if every is not None else "spacing not stated"
            tag = self.statement(event.pos, text, f"{event.id}#k", event.id, refs=(f"{event.id}#k-1",))
            for k in range(1, points.doses):
                if every is None:
                    net.constrain(first + k, first + k - 1, 0.0, INF, tag, mode=Mode.ORDER, gap=DOSE_GAP)
                else:
                    net.constrain(first + k, first + k - 1, every.lo, every.hi, tag, pref=every.best)
            until = schedule.until
            if until is not None and not until.is_unknown:
                hidden = net.add_points(1)
                self.out.until_points[event.id] = hidden
                self.timed(until, hidden, f"{event.id} until", event, previous)
                if event.id in self.dose_counts:
                    tag = self.statement(until.pos or event.pos, f"administrations of {event.id!r} stop at "
                                         f"{until.text!r}", f"{event.id}#last", event.id, "until")
                    net.constrain(first + points.doses - 1, hidden, -INF, 0.0, tag, mode=Mode.ORDER, links=False)
            return
        self._cycles(event, schedule, points, starts)

    def _cycles(self, event: Event, cycles: Cycles, points: EventPoints, starts: int) -> None:
        net = self.net
        days = cycles.days
        first = points.first_dose
        length = cycles.length
        text = f"cycles of {length.text}" if length is not None else "cycles, spacing not stated"
        tag = self.statement(event.pos, text, f"{event.id} cycle", event.id, refs=(f"{event.id} cycle",))
        day_tag = self.statement(event.pos, f"administrations on days {', '.join(map(str, days))} of each cycle",
                                 f"{event.id}#k", event.id, refs=(f"{event.id} cycle",))
        n_cycles = points.cycles[-1]
        for c in range(n_cycles):
            for i, day in enumerate(days):
                net.constrain(first + c * len(days) + i, starts + c, day - 1.0, day - 1.0, day_tag)
            if c:
                if length is not None:
                    net.constrain(starts + c, starts + c - 1, length.lo, length.hi, tag, pref=length.best)
                else:
                    # spacing not stated: this cycle begins on a day after the previous one's last dose
                    net.constrain(starts + c, first + c * len(days) - 1, 1.0, INF, tag, mode=Mode.ORDER)

    def _course_start(self, event: Event, points: EventPoints, first_time: int) -> None:
        if event.start is None:
            tag = self.statement(event.pos, "the course starts with its first administration", f"{event.id}.start",
                                 event.id, refs=(f"{event.id}#1",))
            self.net.constrain(points.start, first_time, 0.0, 0.0, tag)
        else:
            tag = self.statement(event.pos, f"the first administration of {event.id!r} is not before its start",
                                 f"{event.id}#1", event.id, "dose-in-course")
            self.net.constrain(first_time, points.start, 0.0, INF, tag, mode=Mode.ORDER, links=False)

    # ------------------------------------------------------------------ day 0
    def anchor(self) -> None:
        case, net, out = self.case, self.net, self.out
        if case.anchor is not None:
            self.timed(case.anchor, out.origin, "day 0", None, -1)
        else:
            suspect = self.by_id.get(case.suspect.drug)
            if suspect is not None:
                points = out.events[suspect.id]
                point = points.first_dose if points.doses else points.start
                ref = f"{suspect.id}#1" if points.doses else suspect.id
                tag = self.statement(case.pos, f"day 0 is the first dose of {suspect.id!r}", "day 0",
                                     refs=(ref,))
                net.constrain(out.origin, point, 0.0, 0.0, tag)
            elif case.anchor_date is None:
                self.report(case.pos, "the case has no day 0: no 'anchor' and no suspected drug",
                            "add 'anchor: EVENT_ID' or 'suspect: {drug: EVENT_ID}'", DiagnosticLevel.WARNING)
        if case.anchor_date is not None:
            node = case.anchor_date.node
            calendar = isinstance(node, CalendarTime) or (
                isinstance(node, RangeTime) and isinstance(node.first, CalendarTime)
                and isinstance(node.last, CalendarTime))
            if calendar:
                self.timed(case.anchor_date, out.origin, "day 0", None, -1)
            else:
                self.report(case.anchor_date.pos, "'anchor_date' must be a calendar date",
                            "write e.g. anchor_date: 2014-03-02 or 'March 2014'")

    def day_zero(self) -> None:
        """'day 14' counts from day 0, unless the anchor is itself placed by such a time (an anchor
        'd' with 'start: day 10': then d is day 0 and 'day 15' is 5 days after it)."""
        out = self.out
        if not self._linked(out.origin, out.file_day0):
            tag = self.statement(self.case.pos, "day N counts from day 0", "day 0")
            self.net.constrain(out.file_day0, out.origin, 0.0, 0.0, tag)

    def _linked(self, start: int, goal: int) -> bool:
        """Breadth-first over the constraints so far (stops at ``goal``; usually a step or two)."""
        net = self.net
        links = np.asarray(net.links, dtype=bool)
        x = np.asarray(net.x, dtype=np.int64)[links]
        y = np.asarray(net.y, dtype=np.int64)[links]
        tails, heads = np.concatenate([x, y]), np.concatenate([y, x])
        order = np.argsort(tails, kind="stable")
        indptr = np.zeros(net.n_points + 1, dtype=np.int64)
        np.cumsum(np.bincount(tails, minlength=net.n_points), out=indptr[1:])
        starts, neighbours = indptr.tolist(), heads[order].tolist()
        seen = {start}
        queue = deque([start])
        while queue:
            p = queue.popleft()
            if p == goal:
                return True
            for q in neighbours[starts[p]:starts[p + 1]]:
                if q not in seen:
                    seen.add(q)
                    queue.append(q)
        return False

    # ------------------------------------------------------------------ time expressions
    def timed(self, expr: TimeExpr, subject: int, name: str, event: Event | None, previous: int) -> None:
        """Add the constraints a time expression states about point ``subject``."""
        node = expr.node
        if isinstance(node, UnknownTime):
            return
        tag = self.statement(expr.pos or (event.pos if event else None), expr.text, name,
                             event.id if event else "", refs=expr)
        widen = expr.widen.hi if expr.widen is not None else 0.0
        self._node(node, subject, tag, widen, expr, event, previous, Mode.STATED)

    def _node(self, node: TimeNode, subject: int, tag: int, widen: float, expr: TimeExpr, event: Event | None,
              previous: int, mode: Mode, side: int = 0) -> None:
        """``side``: +1 only the lower limit of ``node`` (the start of a range), -1 only the upper."""
        out = self.out
        if isinstance(node, CalendarTime):
            first = float(node.first.toordinal()) + (node.clock or 0.0)
            last = float(node.last.toordinal()) + (node.clock or 0.0)
            if node.clock is not None:
                out.clock_points.add(subject)
            out.calendar_tags.append(tag)
            lo, hi = first - widen, last + widen
            self._limit(subject, out.epoch, lo, hi, tag, (first + last) / 2.0, mode, side)
        elif isinstance(node, AnchorTime):
            offset = node.offset
            self._limit(subject, out.file_day0, offset.lo - widen, offset.hi + widen, tag, offset.best, mode, side)
        elif isinstance(node, RelativeTime):
            ref = self.point(node.ref, expr, event, previous)
            if ref is None:
                return
            offset = node.offset
            if offset.lo == offset.hi and offset.lo != round(offset.lo):
                out.clock_links.append((subject, ref))  # "30 minutes after X": to the minute if X is
            if offset.is_open:
                own = Mode.ORDER
            elif offset.bound_only or not (math.isfinite(offset.lo) and math.isfinite(offset.hi)):
                own = Mode.BOUND
            else:
                own = Mode.STATED
            own = max(own, mode)
            pref = offset.best if own == Mode.STATED else math.nan
            self._limit(subject, ref, offset.lo - widen, offset.hi + widen, tag, pref, own, side)
        elif isinstance(node, RangeTime):
            self._node(node.first, subject, tag, widen, expr, event, previous, Mode.WINDOW, side=1)
            self._node(node.last, subject, tag, widen, expr, event, previous, Mode.WINDOW, side=-1)
        elif isinstance(node, AllOf):
            for part in node.parts:
                self._node(part, subject, tag, widen, expr, event, previous, mode)

    def _limit(self, subject: int, ref: int, lo: float, hi: float, tag: int, pref: float, mode: Mode,
               side: int) -> None:
        if side > 0:
            hi, pref = INF, math.nan
        elif side < 0:
            lo, pref = -INF, math.nan
        self.net.constrain(subject, ref, lo, hi, tag, pref=pref, mode=mode)

    def point(self, ref: EventRef, expr: TimeExpr, event: Event | None, previous: int) -> int | None:
        """The point a reference names; None (with a diagnostic) when it names nothing."""
        if ref.event_id == PREVIOUS:
            if previous < 0:
                self.report(expr.pos, f"{expr.text!r} has no time before it to follow",
                            "write it relative to an event instead: 'after ID' or '2 weeks after ID'")
                return None
            return previous
        if "/" in ref.event_id:  # ID/PHASE
            return phase_point(self, ref, expr)
        target = self.by_id.get(ref.event_id)
        if target is None:
            self.report(expr.pos, f"{expr.text!r} refers to an event {ref.event_id!r} that does not exist",
                        self.hints(ref.event_id))
            return None
        points = self.out.events[target.id]
        if ref.part == "dose":
            if target.schedule is None or not points.doses:
                self.report(expr.pos, f"{ref} refers to an administration, but {target.id!r} has no schedule",
                            f"give {target.id!r} a 'schedule', or refer to {target.id}.start")
                return None
            if ref.index == -1 and not points.count_known:
                self.report(expr.pos, f"{ref} asks for the last administration, but the number of "
                                      f"administrations of {target.id!r} is not stated",
                            "refer to an administration by its number, or to the course's end")
                return None
            index = points.doses if ref.index == -1 else (ref.index or 1)
            if not 1 <= index <= points.doses:
                self.report(expr.pos, f"{ref} asks for administration {index}, but {target.id!r} has "
                                      f"{points.doses}", f"use a number from 1 to {points.doses}")
                return None
            return points.first_dose + index - 1
        if ref.part == "end":
            if target.is_point:
                return points.start
            if not _has_end(target, self.stops):
                self.report(expr.pos, f"{ref} refers to the end of {target.id!r}, which has no known end",
                            f"give {target.id!r} an 'end' or 'duration'", DiagnosticLevel.WARNING)
            return points.end
        return points.start


def _has_end(event: Event, stops: dict[str, Event]) -> bool:
    if event.end is not None and not event.end.is_unknown:
        return True
    return event.duration is not None or event.id in stops or event.schedule is not None


def _expressions(case: Case) -> list[TimeExpr]:
    """Every time expression of a case."""
    out: list[TimeExpr] = [e for e in (case.anchor, case.anchor_date) if e is not None]
    for event in case.events:
        out.extend(e for e in (event.start, event.end) if e is not None)
        schedule = event.schedule
        if isinstance(schedule, AtList):
            out.extend(schedule.times)
        elif isinstance(schedule, Repeat):
            out.extend(e for e in (schedule.start, schedule.until) if e is not None)
        elif isinstance(schedule, Cycles) and schedule.start is not None:
            out.append(schedule.start)
        elif isinstance(schedule, Phased):
            out.extend(phase_times(schedule))
        out.extend(point.at for point in event.course)
        if event.severity is not None:
            out.extend(point.at for point in event.severity.points)
    return out


def compile_case(case: Case, dose_counts: dict[str, int] | None = None) -> CaseNetwork:
    """The temporal network of a case (diagnostics for references that name nothing)."""
    return Compiler(case, dose_counts).compile()
