"""Baseline for benchmarks only: the interval-arithmetic resolver caseline used before issue 12.

A verbatim copy of src/caseline/timeline/resolve.py at commit c8c8e47 (only this docstring and
the imports differ), kept so that `benchmarks/resolution.py` can time the constraint engine against
it in the same process. Not imported by the app; not maintained beyond running on the benchmark
files (it does not know the phrases added since).
"""
from __future__ import annotations

import dataclasses
import math
from datetime import date

from caseline.model.case import AtList, Case, Cycles, Event, Repeat
from caseline.model.diagnostics import Diagnostic, SourcePos
from caseline.model.diagnostics import DiagnosticLevel as Severity
from caseline.model.kinds import DrugRole as Role
from caseline.model.kinds import Kind
from caseline.model.time_expressions import (
    AnchorTime,
    CalendarTime,
    EventRef,
    Precision,
    RangeTime,
    RelativeTime,
    TimeExpr,
    TimeNode,
    UnknownTime,
    parse_time,
)
from caseline.timeline.resolved import Interval, Item, ItemRole, ResolvedCase

MAX_ADMINISTRATIONS = 10_000

Timed = tuple[Interval, Precision]
_COARSE = {Precision.YEAR: 3, Precision.RANGE: 2, Precision.MONTH: 1, Precision.DAY: 0, Precision.RELATIVE: 0}


class _Cycle(Exception):
    def __init__(self, chain: list[str]) -> None:
        super().__init__(" -> ".join(chain))
        self.chain = chain


class Resolver:
    """Resolves one case. Use :func:`resolve_case`."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.events = {e.id: e for e in case.events}
        self.diagnostics: list[Diagnostic] = []
        self.origin: float | None = None  # calendar ordinal of day 0
        self.origin_precision: Precision | None = None
        # Calendar ordinals day 0 may fall between, when its date is known only roughly
        # ("November 2009"): other calendar dates then widen by that uncertainty.
        self.origin_span: tuple[float, float] | None = None
        self._calendar_mode = False
        self._memo: dict[tuple[bool, str], Timed | None] = {}
        self._doses: dict[tuple[bool, str], list[tuple[Timed | None, int | None]]] = {}
        self._stack: list[str] = []
        self._reported: set[tuple[SourcePos | None, str]] = set()
        self._shift = 0.0
        self._mute = False  # while preparing: leave circular references to be reported in file order
        self._muted_cycles = 0
        self._spans: dict[tuple[bool, str], tuple[Timed | None, Timed | None]] = {}
        self.stops = self._dechallenges()

    # ------------------------------------------------------------------ reporting
    def _report(self, pos: SourcePos | None, message: str, hint: str = "",
                severity: Severity = Severity.ERROR) -> None:
        key = (pos, message)
        if key in self._reported:
            return
        self._reported.add(key)
        self.diagnostics.append(Diagnostic(pos or self.case.pos, message, hint, severity))

    # ------------------------------------------------------------------ anchor
    def anchor_expr(self) -> TimeExpr | None:
        if self.case.anchor is not None:
            return self.case.anchor
        suspect = self.events.get(self.case.suspect.drug)
        if suspect is not None:
            text = f"{suspect.id}#1" if suspect.schedule is not None else suspect.id
            return parse_time(text)
        return None

    def anchor_description(self) -> str:
        if self.case.anchor_label:
            return self.case.anchor_label
        expr = self.anchor_expr()
        if expr is None:
            if self.case.anchor_date is not None:
                return self.case.anchor_date.text
            return "the first event"
        node = expr.node
        if isinstance(node, RelativeTime) and not node.offset.best:
            event = self.events.get(node.ref.event_id)
            name = (event.drug or event.label) if event else node.ref.event_id
            if node.ref.part == "dose":
                which = "first" if node.ref.index == 1 else f"dose {node.ref.index} of"
                return f"{which} {name} dose" if which == "first" else f"{which} {name}"
            return f"{'end' if node.ref.part == 'end' else 'start'} of {name}"
        return expr.text

    def find_origin(self) -> None:
        """Find the calendar date of day 0, if the case has one."""
        self._calendar_mode = True
        try:
            if self.case.anchor_date is not None:
                timed = self.eval(self.case.anchor_date)
                if timed is None or not isinstance(self.case.anchor_date.node, CalendarTime | RangeTime):
                    self._report(self.case.anchor_date.pos, "'anchor_date' must be a calendar date",
                                 "write e.g. anchor_date: 2014-03-02 or 'March 2014'")
                else:
                    self._set_origin(timed)
                return
            expr = self.anchor_expr()
            if expr is not None:
                timed = self.eval(expr)
                if timed is not None and math.isfinite(timed[0].best):
                    self._set_origin(timed)
        finally:
            self._calendar_mode = False
            self._memo = {k: v for k, v in self._memo.items() if not k[0]}
            self._spans = {k: v for k, v in self._spans.items() if not k[0]}
            self._doses = {k: v for k, v in self._doses.items() if not k[0]}

    def _set_origin(self, timed: Timed) -> None:
        interval, self.origin_precision = timed
        self.origin = interval.best
        if interval.is_bounded and interval.lo < interval.hi:
            self.origin_span = (interval.lo, interval.hi)

    # ------------------------------------------------------------------ evaluation
    def eval(self, expr: TimeExpr) -> Timed | None:
        """Resolve an expression; None when the time is unknown (or cannot be placed)."""
        timed = self.eval_node(expr.node, expr)
        if timed is None:
            return None
        interval, precision = timed
        if expr.widen is not None:
            interval = Interval(interval.lo - expr.widen.hi, interval.best, interval.hi + expr.widen.hi)
            if precision is Precision.DAY:
                precision = Precision.RANGE
        return interval, precision

    def eval_node(self, node: TimeNode, expr: TimeExpr) -> Timed | None:
        if isinstance(node, UnknownTime):
            return None
        if isinstance(node, CalendarTime):
            first, last = float(node.first.toordinal()), float(node.last.toordinal())
            best = (first + last) / 2.0
            if not self._calendar_mode:
                if self.origin is None:
                    self._report(
                        expr.pos,
                        f"the calendar date {expr.text!r} cannot be placed: day 0 of this case has no date",
                        "give the case an 'anchor_date', or write this time relative to an event",
                        Severity.WARNING,
                    )
                    return None
                span = self.origin_span
                if span is None or (first, last) == span:
                    # An exact day 0, or the very date day 0 was taken from: no extra width.
                    first, best, last = first - self.origin, best - self.origin, last - self.origin
                else:
                    first, best, last = first - span[1], best - self.origin, last - span[0]
            return Interval(first, best, last), node.precision
        if isinstance(node, AnchorTime):
            if self._calendar_mode:
                if self.origin is None:
                    raise _NoCalendar
                return Interval(self.origin + node.offset.lo, self.origin + node.offset.best,
                                self.origin + node.offset.hi), Precision.DAY
            return Interval(node.offset.lo, node.offset.best, node.offset.hi), Precision.DAY
        if isinstance(node, RelativeTime):
            base = self.point(node.ref, expr)
            if base is None:
                return None
            interval, precision = base
            off = node.offset
            shifted = Interval(interval.lo + off.lo, interval.best + off.best, interval.hi + off.hi)
            if not math.isfinite(off.hi) or not math.isfinite(off.lo):
                precision = Precision.BOUNDED
            elif off.lo != off.hi and precision is Precision.DAY:
                precision = Precision.RANGE
            return shifted, precision
        if isinstance(node, RangeTime):
            first_t = self.eval_node(node.first, expr)
            last_t = self.eval_node(node.last, expr)
            if first_t is None or last_t is None:
                return None
            if last_t[0].hi < first_t[0].lo:
                self._report(expr.pos, f"the range {expr.text!r} ends before it starts",
                             "write the earlier time first")
                return None
            lo, hi = first_t[0].lo, last_t[0].hi
            return Interval(lo, (first_t[0].best + last_t[0].best) / 2.0, hi), Precision.RANGE
        raise TypeError(node)  # pragma: no cover - the node union is closed

    def point(self, ref: EventRef, expr: TimeExpr) -> Timed | None:
        event = self.events.get(ref.event_id)
        if event is None:
            import difflib

            close = difflib.get_close_matches(ref.event_id, sorted(self.events), n=1)
            self._report(expr.pos, f"{expr.text!r} refers to an event {ref.event_id!r} that does not exist",
                         f"did you mean {close[0]!r}?" if close else "use the id of an event in this case")
            return None
        if ref.part == "dose":
            doses = self.doses(event)
            if not doses:
                self._report(expr.pos, f"{ref} refers to an administration, but {event.id!r} has no schedule",
                             f"give {event.id!r} a 'schedule', or refer to {event.id}.start")
                return None
            index = len(doses) if ref.index == -1 else (ref.index or 1)
            if not 1 <= index <= len(doses):
                self._report(expr.pos, f"{ref} asks for administration {index}, but {event.id!r} has "
                                       f"{len(doses)}", f"use a number from 1 to {len(doses)}")
                return None
            return doses[index - 1][0]
        # compute only the part asked for: asking for a start must not drag in the end (and
        # the references the end depends on), or harmless chains look circular
        if ref.part == "end":
            end = self._safe(f"{event.id}.end", lambda: self._end(event), event)
            start = None
            if end is None and event.is_point:
                start = self._safe(f"{event.id}.start", lambda: self._start(event), event)
            if end is None:
                if start is not None and event.is_point:
                    return start
                self._report(expr.pos, f"{ref} refers to the end of {event.id!r}, which has no known end",
                             f"give {event.id!r} an 'end' or 'duration'", Severity.WARNING)
            return end
        return self._safe(f"{event.id}.start", lambda: self._start(event), event)

    def _guarded(self, key: str, compute: object) -> Timed | None:
        memo_key = (self._calendar_mode, key)
        if memo_key in self._memo:
            return self._memo[memo_key]
        if key in self._stack:
            chain = [*self._stack[self._stack.index(key):], key]
            raise _Cycle(chain)
        self._stack.append(key)
        try:
            value = compute()  # type: ignore[operator]
        finally:
            self._stack.pop()
        self._memo[memo_key] = value
        return value

    def start(self, event: Event) -> Timed | None:
        return self.span(event)[0]

    def span(self, event: Event) -> tuple[Timed | None, Timed | None]:
        key = (self._calendar_mode, event.id)
        known = self._spans.get(key)
        if known is not None:
            return known
        cycles = self._muted_cycles
        start = self._safe(f"{event.id}.start", lambda: self._start(event), event)
        end = self._safe(f"{event.id}.end", lambda: self._end(event), event)
        # Keep only finished spans: not one met inside a cycle, nor one a muted cycle cut short.
        if not self._stack and cycles == self._muted_cycles:
            self._spans[key] = (start, end)
        return start, end

    def _safe(self, key: str, compute: object, event: Event) -> Timed | None:
        try:
            return self._guarded(key, compute)
        except _Cycle as cycle:
            if self._stack:
                raise  # let the outermost evaluation report it once
            if self._mute:
                self._muted_cycles += 1  # evaluated and reported again later, in file order
                return None
            self._report(event.pos, "circular time references: " + " -> ".join(cycle.chain),
                         "make one of these times absolute or relative to another event")
            self._memo[(self._calendar_mode, key)] = None
            return None

    def _start(self, event: Event) -> Timed | None:
        if event.start is not None:
            if event.start.is_unknown:
                return None
            return self.eval(event.start)
        doses = self.doses(event)
        if doses:
            return doses[0][0]
        if event.end is not None and event.duration is not None:
            end = self._guarded(f"{event.id}.end", lambda: self._end(event))
            if end is None:
                return None
            d = event.duration
            return Interval(end[0].lo - d.hi, end[0].best - d.best, end[0].hi - d.lo), end[1]
        return None

    def _end(self, event: Event) -> Timed | None:
        if event.is_point:
            return None
        if event.end is not None:
            return None if event.end.is_unknown else self.eval(event.end)
        if event.duration is not None and event.start is not None:
            start = self._guarded(f"{event.id}.start", lambda: self._start(event))
            if start is None:
                return None
            d = event.duration
            return Interval(start[0].lo + d.lo, start[0].best + d.best, start[0].hi + d.hi), start[1]
        stop = self.stops.get(event.id)
        if stop is not None and stop.start is not None:
            return self.eval(stop.start)
        doses = self.doses(event)
        if doses:
            last = doses[-1][0]
            if last is not None and event.duration is not None:
                d = event.duration
                return Interval(last[0].lo + d.lo, last[0].best + d.best, last[0].hi + d.hi), last[1]
            return last
        return None

    def _dechallenges(self) -> dict[str, Event]:
        stops: dict[str, Event] = {}
        for event in self.case.events:
            if event.kind is Kind.DECHALLENGE and event.target:
                stops.setdefault(event.target, event)
        return stops

    # ------------------------------------------------------------------ schedules
    def doses(self, event: Event) -> list[tuple[Timed | None, int | None]]:
        key = (self._calendar_mode, event.id)
        if key in self._doses:
            return self._doses[key]
        guard = f"{event.id}#"
        if guard in self._stack:
            raise _Cycle([*self._stack[self._stack.index(guard):], guard])
        self._stack.append(guard)
        try:
            doses = self._expand(event)
        finally:
            self._stack.pop()
        self._doses[key] = doses
        return doses

    def _schedule_start(self, event: Event, explicit: TimeExpr | None) -> Timed | None:
        expr = explicit or event.start
        if expr is None:
            self._report(event.pos, f"the schedule of {event.id!r} has no start",
                         "give the event a 'start' or the schedule a 'start'")
            return None
        return None if expr.is_unknown else self.eval(expr)

    def _expand(self, event: Event) -> list[tuple[Timed | None, int | None]]:
        schedule = event.schedule
        if schedule is None:
            return []
        if isinstance(schedule, AtList):
            return [(None if t.is_unknown else self.eval(t), None) for t in schedule.times]
        if isinstance(schedule, Repeat):
            start = self._schedule_start(event, schedule.start)
            until = self.eval(schedule.until) if schedule.until is not None else None
            count = schedule.count or MAX_ADMINISTRATIONS
            if schedule.count is None and until is None:
                return []
            out: list[tuple[Timed | None, int | None]] = []
            step = schedule.every
            for k in range(count):
                if start is None:
                    out.append((None, None))
                    if schedule.count is None:
                        break
                    continue
                interval = Interval(start[0].lo + k * step.lo, start[0].best + k * step.best,
                                    start[0].hi + k * step.hi)
                if until is not None and interval.best > until[0].best + 1e-9:
                    break
                out.append(((interval, start[1]), None))
            if len(out) >= MAX_ADMINISTRATIONS:
                self._report(event.pos, f"the schedule of {event.id!r} expands to more than "
                                        f"{MAX_ADMINISTRATIONS} administrations", "check 'every' and 'until'")
            return out
        return self._expand_cycles(event, schedule)

    def _expand_cycles(self, event: Event, cycles: Cycles) -> list[tuple[Timed | None, int | None]]:
        start = self._schedule_start(event, cycles.start)
        if cycles.count is None:
            self._report(event.pos, f"the cycles of {event.id!r} need a 'count'",
                         "write count: 4 (how many cycles were given)")
            return []
        out: list[tuple[Timed | None, int | None]] = []
        cycle_start = start
        for c in range(1, cycles.count + 1):
            if c > 1 and cycle_start is not None:
                if cycles.length is not None:
                    L = cycles.length
                    cycle_start = (Interval(cycle_start[0].lo + L.lo, cycle_start[0].best + L.best,
                                            cycle_start[0].hi + L.hi), cycle_start[1])
                else:
                    # Spacing not stated: this cycle starts after the previous one ended.
                    prev_last = out[-1][0]
                    assert prev_last is not None
                    lo = prev_last[0].lo + 1.0
                    cycle_start = (Interval(lo, lo, math.inf), Precision.BOUNDED)
            for day in cycles.days:
                if cycle_start is None:
                    out.append((None, c))
                    continue
                i0, precision = cycle_start
                offset = day - 1
                hi = i0.hi + offset
                out.append(((Interval(i0.lo + offset, i0.best + offset, hi), precision), c))
        return out

    # ------------------------------------------------------------------ items
    def resolve(self) -> ResolvedCase:
        try:
            self.find_origin()
        except (_NoCalendar, _Cycle):
            self.origin = None
        anchor = self.anchor_expr()
        if anchor is None and self.case.anchor_date is None:
            self._report(self.case.pos, "the case has no day 0: no 'anchor' and no suspected drug",
                         "add 'anchor: EVENT_ID' or 'suspect: {drug: EVENT_ID}'", Severity.WARNING)
        shift = 0.0
        if anchor is not None:
            try:
                timed = self.eval(anchor)
            except _Cycle as cycle:
                self._report(anchor.pos, "circular time references: " + " -> ".join(cycle.chain))
                timed = None
            if timed is not None and math.isfinite(timed[0].best) and self.origin is None:
                shift = -timed[0].best  # make the anchor day 0 even if the file says otherwise
        self._shift = shift
        self._prepare()
        items: list[Item] = []
        for event in self.case.events:
            try:
                items.extend(self.items_for(event))
            except _Cycle as cycle:
                self._report(event.pos, "circular time references: " + " -> ".join(cycle.chain),
                             "make one of these times absolute or relative to another event")
                items.append(self._item(event, event.id, ItemRole.COURSE, None, None))
            except RecursionError:  # pragma: no cover - _prepare keeps evaluations shallow
                self._stack.clear()
                self._report(event.pos, "time references nest too deeply to resolve",
                             "make some of these times absolute")
                items.append(self._item(event, event.id, ItemRole.COURSE, None, None))
        items = _anchor_exact(items, anchor)
        anchor_date = date.fromordinal(round(self.origin)) if self.origin is not None else None
        return ResolvedCase(self.case, tuple(items), self.anchor_description(), anchor_date,
                            self.origin_precision, tuple(self.diagnostics))

    def _prepare(self) -> None:
        """Resolve every event's times, what they refer to first, without deep recursion.

        Evaluation is recursive (a time asks for the times it refers to); a long chain of
        events each relative to the previous one would exhaust Python's stack. Visiting the
        events in dependency order leaves each evaluation one step deep.
        """
        order: list[Event] = []
        state: set[str] = set()
        for root in self.case.events:
            if root.id in state:
                continue
            stack: list[tuple[Event, list[str]]] = [(root, _dependencies(root, self.stops))]
            state.add(root.id)
            while stack:
                event, deps = stack[-1]
                while deps:
                    dep = self.events.get(deps.pop())
                    if dep is not None and dep.id not in state:
                        state.add(dep.id)
                        stack.append((dep, _dependencies(dep, self.stops)))
                        break
                else:
                    stack.pop()
                    order.append(event)
        # Events that refer to each other in a loop (a real circular reference, or a drug ended by
        # a stop timed from a reaction timed from the drug's doses) may come before what they need:
        # that costs one level of recursion per loop, not a chain's length. Circular references
        # found here are not reported nor remembered: the evaluation in file order reports them.
        self._mute = True
        try:
            for event in order:
                try:
                    self.span(event)
                    if event.schedule is not None:
                        self.doses(event)
                except _Cycle:
                    pass
        finally:
            self._mute = False

    def _to_date(self, interval: Interval | None) -> date | None:
        if interval is None or self.origin is None or not math.isfinite(interval.best):
            return None
        return date.fromordinal(round(self.origin + interval.best))

    def _item(self, event: Event, item_id: str, role: ItemRole, start: Timed | None, end: Timed | None,
              expr: TimeExpr | None = None, **extra: object) -> Item:
        if start is not None:
            first, precision = start
            if not (math.isfinite(first.lo) and math.isfinite(first.hi)):
                precision = Precision.BOUNDED
            elif end is not None and _COARSE.get(end[1], 0) > _COARSE.get(precision, 0):
                precision = end[1]
        else:
            first, precision = None, Precision.UNKNOWN
        if expr is None:
            expr = event.start
        if expr is not None:
            approximate, stated = expr.approximate, expr.stated or expr.text
        else:
            approximate, stated = False, ""
        last = end[0] if end else None
        shift = self._shift
        if shift:
            first = first.shifted(shift) if first is not None else None
            last = last.shifted(shift) if last is not None else None
        dated = self.origin is not None
        return Item(
            case_id=self.case.id, event_id=event.id, item_id=item_id, role=role, kind=event.kind,
            category=event.category, lane=event.lane, label=event.label,
            start=first, end=last, precision=precision,
            approximate=approximate, stated=stated, event=event,
            start_date=self._to_date(first) if dated else None, end_date=self._to_date(last) if dated else None,
            **extra,  # type: ignore[arg-type]
        )

    def items_for(self, event: Event) -> list[Item]:
        start, end = self.span(event)
        out: list[Item] = []
        if event.is_point:
            out.append(self._item(event, event.id, ItemRole.POINT, start, None))
            return out
        if start is not None and end is not None and end[0].hi < start[0].lo:
            where = event.end.pos if event.end is not None else event.pos
            self._report(where, f"{event.id!r} ends (day {end[0].best:g}) before it starts "
                                f"(day {start[0].best:g})", "check 'start', 'end' and 'duration'")
        open_end = end is None and (event.ongoing or event.kind is not Kind.DRUG or event.end is not None
                                    or event.schedule is None)
        if event.schedule is not None and end is not None and event.end is None and event.duration is None \
                and event.id not in self.stops:
            open_end = event.ongoing
        out.append(self._item(event, event.id, ItemRole.COURSE, start, end, open_end=open_end))
        doses = self.doses(event) if event.schedule is not None else []
        if isinstance(event.schedule, AtList):
            exprs: list[TimeExpr | None] = list(event.schedule.times)
        else:
            exprs = [None] * len(doses)
        for n, ((timed, cycle), expr) in enumerate(zip(doses, exprs, strict=True), start=1):
            out.append(self._item(event, f"{event.id}#{n}", ItemRole.DOSE, timed, None,
                                  expr=expr or event.start, index=n, cycle=cycle))
        for n, point in enumerate(event.course, start=1):
            timed = self.eval(point.at)
            out.append(self._item(event, f"{event.id}@{n}", ItemRole.STATE, timed, None, expr=point.at,
                                  state=point.state.value))
        if event.severity is not None:
            for n, sev in enumerate(event.severity.points, start=1):
                timed = self.eval(sev.at)
                out.append(self._item(event, f"{event.id}~{n}", ItemRole.SEVERITY, timed, None, expr=sev.at,
                                      value=sev.value))
        return out


def _dependencies(event: Event, stops: dict[str, Event]) -> list[str]:
    """Ids of the events an event's own times refer to (its start, end and schedule)."""
    out: list[str] = []
    for expr in (event.start, event.end):
        if expr is not None:
            node = expr.node
            if node.__class__ is RelativeTime:
                out.append(node.ref.event_id)  # type: ignore[union-attr]
            elif node.__class__ is RangeTime:
                out.extend(ref.event_id for ref in expr.refs())
    schedule = event.schedule
    if schedule is not None:
        exprs: list[TimeExpr | None] = []
        if isinstance(schedule, AtList):
            exprs.extend(schedule.times)
        elif isinstance(schedule, Repeat):
            exprs.extend((schedule.start, schedule.until))
        else:
            exprs.append(schedule.start)
        out.extend(ref.event_id for expr in exprs if expr is not None for ref in expr.refs())
    stop = stops.get(event.id)
    if stop is not None:
        out.append(stop.id)
    return out


def _anchor_exact(items: list[Item], anchor: TimeExpr | None) -> list[Item]:
    """Day 0 is the anchor by definition, so the anchor's own marks are exactly day 0.

    Other calendar dates already carry day 0's calendar uncertainty; leaving it on the anchor
    too would count it twice in any interval measured from the anchor (a latency, say). The
    anchor's calendar date keeps its stated precision.
    """
    if anchor is None or not isinstance(anchor.node, RelativeTime) or anchor.widen is not None:
        return items
    offset = anchor.node.offset
    if offset.lo != 0 or offset.hi != 0:
        return items
    ref = anchor.node.ref
    if ref.part == "start" or (ref.part == "dose" and ref.index == 1):
        targets = {ref.event_id, f"{ref.event_id}#1"}
    elif ref.part == "dose":
        targets = {f"{ref.event_id}#{ref.index}"}
    else:
        return items
    out = []
    for item in items:
        start = item.start
        if item.item_id in targets and start is not None and start.is_bounded and abs(start.best) < 1e-9:
            item = dataclasses.replace(item, start=Interval.exact(start.best))
        out.append(item)
    return out


class _NoCalendar(Exception):
    """A relative time met while looking for day 0's calendar date: the case is undated."""


def resolve_case(case: Case) -> ResolvedCase:
    """Resolve one case. Never raises on bad content: problems are in ``.diagnostics``."""
    return Resolver(case).resolve()


def suspect_role(event: Event) -> bool:
    return event.role is Role.SUSPECTED
