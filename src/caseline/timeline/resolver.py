"""Resolve a case's times to days from its anchor, from all its statements together.

Day 0 is the anchor (by default the first dose of the suspected drug). The case becomes a simple
temporal network (:mod:`caseline.timeline.statements`), solved for the tightest bounds of every
time relative to day 0 and to the calendar (:mod:`caseline.timeline.constraints`); best
estimates respect every constraint and keep stated order (:mod:`caseline.timeline.estimates`).
Statements that cannot all be true become a diagnostic naming each of them (FILE:LINE:COL); the
weakest of them is set aside and the rest solved again, so resolution never raises.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from caseline.model.case import AtList, Case, Event, Phased, Repeat
from caseline.model.diagnostics import Diagnostic, DiagnosticLevel
from caseline.model.kinds import DrugRole
from caseline.model.time_expressions import Precision, RelativeTime, TimeExpr, parse_time
from caseline.timeline.case_checks import check_case
from caseline.timeline.constraints import EPS, Mode, Solver
from caseline.timeline.estimates import estimate
from caseline.timeline.phases import dose_times, regimen_drug_items
from caseline.timeline.resolved import Interval, Item, ItemRole, Known, ResolvedCase, Timing
from caseline.timeline.statements import MAX_ADMINISTRATIONS, CaseNetwork, Statement, compile_case

__all__ = ["MAX_ADMINISTRATIONS", "resolve_case", "suspect_role"]

#: Contradictions reported (and set aside) in one case before giving up on placing its times.
MAX_CONTRADICTIONS = 20
_COARSE = {Precision.YEAR: 3, Precision.RANGE: 2, Precision.MONTH: 1, Precision.DAY: 0, Precision.RELATIVE: 0}


class _Solved:
    """Bounds, best estimates and how-known of every point, as arrays and lists for fast reads."""

    def __init__(self, compiled: CaseNetwork, solver: Solver) -> None:
        origin, epoch = compiled.origin, compiled.epoch
        placed = estimate(solver, origin, also_first=(epoch,), exclude=(epoch,))
        lo, hi, best, linked = placed.lo, placed.hi, placed.best, placed.linked
        self.step = placed.step
        self.linked = linked.tolist()
        self.lo, self.hi, self.best = lo.tolist(), hi.tolist(), best.tolist()
        self.kind = placed.mode.tolist()
        self.best_array = best
        self._exact: dict[float, Interval] = {}  # the Interval of each exact day (interval())
        self.dated = bool(linked[epoch])
        self.cal_lo: list[float] = []
        self.cal_hi: list[float] = []
        self.cal_shift = 0.0
        if self.dated:
            self.cal_shift = -float(best[epoch])  # calendar ordinal of day 0 (best)
            if hi[epoch] - lo[epoch] <= EPS:
                self.cal_lo = (lo - lo[epoch]).tolist()
                self.cal_hi = (hi - lo[epoch]).tolist()
            else:
                bounds = solver.bounds(epoch)
                self.cal_lo, self.cal_hi = bounds.lo.tolist(), bounds.hi.tolist()

        self._classify(placed.mode)

    def _classify(self, mode: np.ndarray) -> None:
        """How each point is known, and its precision, for all points at once."""
        lo, hi = np.asarray(self.lo), np.asarray(self.hi)
        linked = np.asarray(self.linked, dtype=bool)
        finite = np.isfinite(lo) & np.isfinite(hi)
        with np.errstate(invalid="ignore"):
            exact = linked & finite & (hi - lo <= EPS * (1.0 + np.abs(lo)))
        ordered = linked & ~exact & (mode == Mode.ORDER)
        bounded = linked & ~exact & ~ordered & ((mode == Mode.BOUND) | ~finite)
        code = np.zeros(len(lo), dtype=np.int64)  # index into _KNOWN
        code[exact], code[ordered], code[bounded] = 1, 2, 3
        code[linked & ~exact & ~ordered & ~bounded] = 4
        self.known = [_KNOWN[c] for c in code.tolist()]
        precision = np.zeros(len(lo), dtype=np.int64)  # index into _PRECISION
        precision[linked & ~finite], precision[exact] = 1, 2
        span = np.nonzero(linked & finite & ~exact)[0]
        precision[span] = 3
        self.precision = [_PRECISION[c] for c in precision.tolist()]
        if self.dated:
            for p in span.tolist():
                self.precision[p] = calendar_precision(self.cal_lo[p], self.cal_hi[p])

    def interval(self, point: int) -> Interval | None:
        if point < 0 or not self.linked[point]:
            return None
        lo, best, hi = self.lo[point], self.best[point], self.hi[point]
        # An exact time keeps one float object, not three equal ones, and exact times of the same day
        # share one Interval (a zero keeps its sign: -0.0 == 0.0).
        if lo == best == hi and best:
            exact = self._exact.get(best)
            if exact is None:
                exact = self._exact[best] = Interval(best, best, best)
            return exact
        if lo == best and best:
            lo = best
        if hi == best and best:
            hi = best
        return Interval(lo, best, hi)

    def calendar(self, point: int) -> Interval | None:
        if point < 0 or not self.dated or not self.linked[point]:
            return None
        best = self.best[point] + self.cal_shift
        return Interval(min(self.cal_lo[point], best), best, max(self.cal_hi[point], best))


_KNOWN = (Known.UNKNOWN, Known.EXACT, Known.ORDERED, Known.BOUNDED, Known.SPAN)
_PRECISION = (Precision.UNKNOWN, Precision.BOUNDED, Precision.DAY, Precision.RANGE)


class Resolver:
    """Resolves one case. Use :func:`resolve_case`."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.events = {e.id: e for e in case.events}
        self.diagnostics: list[Diagnostic] = []
        self._off_calendar: set[str] = set()

    # ------------------------------------------------------------------ solving
    def resolve(self) -> ResolvedCase:
        compiled = compile_case(self.case)
        if compiled.until_points:
            compiled = self._with_until_counts(compiled)
        self.diagnostics.extend(compiled.diagnostics)
        solver, contradictions = _consistent(compiled)
        solved = _Solved(compiled, solver) if solver is not None else None
        for constraints in contradictions:
            self._contradiction(compiled, constraints, solved)
        if solved is not None and not solved.dated:
            for tag in compiled.calendar_tags:
                statement = compiled.statement(tag)
                if statement.subject != "day 0":
                    self.diagnostics.append(Diagnostic(
                        statement.pos, f"the calendar date {statement.text!r} cannot be placed: day 0 of this case "
                        "has no date", "give the case an 'anchor_date', or write this time relative to an event",
                        DiagnosticLevel.WARNING))
        items: list[Item] = []
        for event in self.case.events:
            items.extend(self.items_for(event, compiled, solved))
        self.diagnostics.extend(check_case(self.case, items))
        anchor_date = None
        precision = None
        anchor_calendar = solved.calendar(compiled.origin) if solved is not None else None
        if anchor_calendar is not None and not _FIRST_ORDINAL <= anchor_calendar.best < _LAST_ORDINAL + 1:
            anchor_calendar = None  # day 0 itself off the calendar: its events say so (_on_calendar)
        if anchor_calendar is not None:
            anchor_date = date.fromordinal(math.floor(anchor_calendar.best + 1e-9))
            precision = calendar_precision(anchor_calendar.lo, anchor_calendar.hi)
        timing = None
        if solver is not None and solved is not None:
            timing = Timing(solver.distances.kept(), solved.best_array, frozenset(compiled.clock_points))
        return ResolvedCase(self.case, tuple(items), self.anchor_description(), anchor_date, precision,
                            tuple(self.diagnostics), anchor_calendar, timing)

    def _with_until_counts(self, compiled: CaseNetwork) -> CaseNetwork:
        """Repeats that run 'until' a time: count their administrations from a first solution."""
        solver, _ = _consistent(compiled)
        if solver is None:
            return compiled
        solved = _Solved(compiled, solver)
        counts: dict[str, int] = {}
        for event_id, hidden in compiled.until_points.items():
            schedule = self.events[event_id].schedule
            assert isinstance(schedule, Repeat)
            first = compiled.events[event_id].first_dose
            until, start = solved.best[hidden], solved.best[first]
            if schedule.every is None or math.isnan(until) or math.isnan(start) or schedule.every.best <= 0:
                counts[event_id] = 1
                continue
            span = (until - start) / schedule.every.best
            too_many = span >= 10 * MAX_ADMINISTRATIONS
            counts[event_id] = MAX_ADMINISTRATIONS + 1 if too_many else max(1, math.floor(span + 1e-9) + 1)
        return compile_case(self.case, counts)

    def _contradiction(self, compiled: CaseNetwork, constraints: tuple[int, ...], solved: _Solved | None) -> None:
        net = compiled.net
        tags: list[int] = []
        for k in constraints:
            if net.tag[k] not in tags:
                tags.append(net.tag[k])
        involved = [compiled.statement(t) for t in tags]
        details = "; ".join(_describe(s) for s in sorted(involved, key=_position))
        hint = "these statements cannot all be true: check each against the source"
        ends = [s for s in involved if s.rule == "end-after-start"]
        if ends and solved is not None:
            event = ends[0].event_id
            points = compiled.events[event]
            file_day0 = solved.best[compiled.file_day0]  # the days as the file counts them
            start, end = solved.best[points.start] - file_day0, solved.best[points.end] - file_day0
            if not (math.isnan(start) or math.isnan(end)):
                others = "; ".join(_describe(s) for s in sorted(involved, key=_position) if s is not ends[0])
                self.diagnostics.append(Diagnostic(
                    ends[0].pos, f"{event!r} ends (day {end:g}) before it starts (day {start:g}): {others}",
                    "check 'start', 'end' and 'duration'"))
                return
        fixed = {compiled.origin, compiled.file_day0, compiled.epoch}
        circular = all(not s.rule for s in involved) and not any(
            net.x[k] in fixed or net.y[k] in fixed for k in constraints)
        chain = _chain(involved) if circular else ""
        if chain:
            first = min(involved, key=_position)
            chained = self.events.get(first.event_id)
            self.diagnostics.append(Diagnostic(
                chained.pos if chained is not None else first.pos,
                f"circular time references: {chain}, which cannot all be true: {details}",
                "make one of these times absolute or relative to another event"))
            return
        where = min(involved, key=_position).pos
        self.diagnostics.append(Diagnostic(where, f"these times contradict each other: {details}", hint))

    # ------------------------------------------------------------------ items
    def items_for(self, event: Event, compiled: CaseNetwork, solved: _Solved | None) -> list[Item]:
        points = compiled.events[event.id]
        out: list[Item] = []
        if event.is_point:
            out.append(self._item(event, event.id, ItemRole.POINT, solved, points.start, -1, event.start))
            return out
        end_point = points.end
        ongoing = event.ongoing
        end = solved.interval(end_point) if solved is not None else None
        open_end = end is None or (points.end_source == "doses" and ongoing)
        out.append(self._item(event, event.id, ItemRole.COURSE, solved, points.start, end_point, event.start,
                              open_end=open_end))
        if event.expand:  # a regimen drawn with its drugs: one course per drug, on a lane under the regimen's
            out.extend(regimen_drug_items(out[0], event))
        schedule = event.schedule
        exprs: list[TimeExpr | None] = list(schedule.times) if isinstance(schedule, AtList) else []
        names: list[str] = []
        if isinstance(schedule, Phased) and points.phase_points is not None:
            exprs, names = dose_times(event)
            where = points.phase_points
            for k, phase in enumerate(schedule.phases):
                first_expr = exprs[where.offsets[k]] if where.counts[k] else None
                out.append(self._item(event, f"{event.id}/{phase.name}", ItemRole.PHASE, solved, where.starts + k, -1,
                                      phase.start or first_expr, index=k + 1, phase=phase.name))
        for n in range(1, points.doses + 1):
            expr = exprs[n - 1] if exprs else event.start
            cycle = (points.cycles[n - 1] or None) if points.cycles else None
            out.append(self._item(event, f"{event.id}#{n}", ItemRole.DOSE, solved, points.first_dose + n - 1, -1,
                                  expr, index=n, cycle=cycle, phase=names[n - 1] if names else ""))
        for n, course_point in enumerate(event.course, start=1):
            out.append(self._item(event, f"{event.id}@{n}", ItemRole.STATE, solved, points.first_course + n - 1, -1,
                                  course_point.at, state=course_point.state.value))
        if event.severity is not None:
            for n, severity in enumerate(event.severity.points, start=1):
                out.append(self._item(event, f"{event.id}~{n}", ItemRole.SEVERITY, solved,
                                      points.first_severity + n - 1, -1, severity.at, value=severity.value))
        return out

    def _item(self, event: Event, item_id: str, role: ItemRole, solved: _Solved | None, start_point: int,
              end_point: int, expr: TimeExpr | None, **extra: object) -> Item:
        start = end = start_cal = end_cal = None
        known = end_known = Known.UNKNOWN
        precision = Precision.UNKNOWN
        if solved is not None:
            start = solved.interval(start_point)
            if start is not None:
                known, precision = solved.known[start_point], solved.precision[start_point]
                if solved.dated:
                    start_cal = self._on_calendar(solved.calendar(start_point), event, expr)
            if end_point >= 0:
                end = solved.interval(end_point)
                if end is not None:
                    end_known = solved.known[end_point]
                    if solved.dated:
                        end_cal = self._on_calendar(solved.calendar(end_point), event, expr)
                    end_precision = solved.precision[end_point]
                    if start is not None and _COARSE.get(end_precision, 0) > _COARSE.get(precision, 0):
                        precision = end_precision
        if expr is not None:
            approximate, stated, vague = expr.approximate, expr.stated or expr.text, expr.vague
        else:
            approximate, stated, vague = False, "", False
        return Item(
            case_id=self.case.id, event_id=event.id, item_id=item_id, role=role, kind=event.kind,
            category=event.category, lane=event.lane, label=event.label,
            start=start, end=end, precision=precision, approximate=approximate, stated=stated, event=event,
            start_date=_date(start_cal) if start_cal is not None else None,
            end_date=_date(end_cal) if end_cal is not None else None, known=known, end_known=end_known, vague=vague,
            ongoing=event.ongoing, start_calendar=start_cal, end_calendar=end_cal, start_point=start_point,
            end_point=end_point if end is not None else -1,
            **extra,  # type: ignore[arg-type]
        )

    def _on_calendar(self, calendar: Interval | None, event: Event, expr: TimeExpr | None) -> Interval | None:
        """``calendar`` if its finite days are dates (years 1 to 9999); else None and, once per event, an error."""
        if calendar is None or all(not math.isfinite(v) or _FIRST_ORDINAL <= v < _LAST_ORDINAL + 1
                                   for v in (calendar.lo, calendar.best, calendar.hi)):
            return calendar
        if event.id not in self._off_calendar:
            self._off_calendar.add(event.id)
            where = expr.pos if expr is not None and expr.pos is not None else event.pos
            self.diagnostics.append(Diagnostic(
                where, f"{event.id!r} falls outside the calendar caseline can show (years 1 to 9999)",
                "check the times that place it: a typo in a number or a unit?"))
        return None

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


def _consistent(compiled: CaseNetwork) -> tuple[Solver | None, list[tuple[int, ...]]]:
    """A solver of the network once contradictions are set aside, and the contradictions found.

    Of each contradiction the weakest constraint goes: a rule the format implies before any
    statement, else the statement written last. The others stay, so what remains is still drawn
    as the file says (the diagnostic makes the file fail to open anyway).
    """
    net = compiled.net
    found: list[tuple[int, ...]] = []
    for _ in range(MAX_CONTRADICTIONS + 1):
        solver = Solver(net)
        if solver.inconsistency is None:
            return solver, found
        constraints = solver.inconsistency.constraints
        found.append(constraints)
        implied = [k for k in constraints if not net.links[k]]
        drop = max(implied) if implied else max(constraints, key=lambda k: (net.tag[k], k))
        net.set_aside(drop)
    return None, found


_FIRST_ORDINAL = date.min.toordinal()
_LAST_ORDINAL = date.max.toordinal()


def _position(statement: Statement) -> tuple[str, int, int]:
    return statement.pos.file, statement.pos.line, statement.pos.col


def _describe(statement: Statement) -> str:
    if statement.rule:
        return f"{statement.text} ({statement.pos})"
    return f"{statement.subject} {statement.text!r} ({statement.pos})"


def _chain(involved: list[Statement]) -> str:
    """'a.start -> b.start -> a.start' when the statements refer to each other in a loop."""
    by_subject = {s.subject: s for s in involved}
    first = min(involved, key=_position)
    chain = [first.subject]
    current = first
    for _ in range(len(involved)):
        following = next((by_subject[r] for r in current.refs if r in by_subject), None)
        if following is None:
            return ""
        chain.append(following.subject)
        if following is first:
            return " -> ".join(chain)
        current = following
    return ""


def _date(calendar: Interval | None) -> date | None:
    if calendar is None or not math.isfinite(calendar.best):
        return None
    return date.fromordinal(math.floor(calendar.best + 1e-9))


def calendar_precision(first: float, last: float) -> Precision:
    """DAY, MONTH or YEAR when ``first..last`` (ordinals) is exactly that calendar unit, else RANGE."""
    if abs(last - first) <= 1e-6:
        return Precision.DAY
    if not (math.isfinite(first) and math.isfinite(last)):  # a day 0 bounded on one side only (fuzzing found it)
        return Precision.RANGE
    if abs(first - round(first)) > 1e-6 or abs(last - round(last)) > 1e-6:
        return Precision.RANGE
    a, b = date.fromordinal(round(first)), date.fromordinal(round(last))
    if a.day == 1 and (b.toordinal() + 1 - date(b.year, b.month, 1).toordinal()) > 27 and (a.year, a.month) == (
            b.year, b.month) and date.fromordinal(b.toordinal() + 1).day == 1:
        return Precision.MONTH
    if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31) and a.year == b.year:
        return Precision.YEAR
    return Precision.RANGE


def resolve_case(case: Case) -> ResolvedCase:
    """Resolve one case. Never raises on bad content: problems are in ``.diagnostics``."""
    return Resolver(case).resolve()


def suspect_role(event: Event) -> bool:
    return event.role is DrugRole.SUSPECTED

