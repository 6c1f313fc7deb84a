"""The phases of a drug course in the time network (caseline.model.dosing.Phased).

A phased course has one block of administration points, numbered across its phases (``ifx#5`` is
the fifth dose overall), and one more point per phase: its start. Each phase's schedule is compiled
as a schedule of its own over its part of the block. A phase starts at its ``start`` if it gives one;
else the first phase starts with the course and a later one with its first administration. A later
phase's repeat or cycles without a start of their own begin after the previous phase's last
administration (gap not stated). Phases and their administrations keep their order.

``ID/NAME`` names a phase's start, ``ID/NAME.end`` its last administration (a phase without
administrations: the next phase's start, else the course's end) and ``ID/NAME#N`` its N-th
administration.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from caseline.model.case import AtList, Cycles, Event, Repeat
from caseline.model.dosing import Phase, Phased
from caseline.model.time_expressions import EventRef, TimeExpr, parse_time
from caseline.timeline.constraints import INF, Mode
from caseline.timeline.resolved import Item, ItemRole, ResolvedCase

if TYPE_CHECKING:
    from caseline.timeline.statements import Compiler, EventPoints

_NOT_STATED = parse_time("unknown")


@dataclass(frozen=True, slots=True)
class PhasePoints:
    """Where each phase of a course is in the network."""

    starts: int  # the first phase's start point; phase k's is starts + k
    offsets: tuple[int, ...]  # the index (0-based, in the course's block) of each phase's first administration
    counts: tuple[int, ...]  # administrations of each phase


def phase_count(phase: Phase) -> int:
    """A phase's number of administrations (the builder makes sure it is stated)."""
    schedule = phase.schedule
    if isinstance(schedule, AtList):
        return len(schedule.times)
    if isinstance(schedule, Repeat):
        return schedule.count or 0
    if isinstance(schedule, Cycles):
        return (schedule.count or 0) * len(schedule.days)
    return 0


def phased_dose_count(phased: Phased) -> tuple[int, tuple[int, ...]]:
    """The course's administrations, and the cycle number of each (0 outside cycles; cycles are
    numbered across the phases)."""
    cycles: list[int] = []
    n_cycles = 0
    for phase in phased.phases:
        schedule = phase.schedule
        if isinstance(schedule, Cycles):
            for c in range(schedule.count or 0):
                cycles.extend([n_cycles + c + 1] * len(schedule.days))
            n_cycles += schedule.count or 0
        else:
            cycles.extend([0] * phase_count(phase))
    return len(cycles), tuple(cycles) if n_cycles else ()


def allocate_phases(compiler: Compiler, phased: Phased) -> PhasePoints:
    counts = tuple(phase_count(p) for p in phased.phases)
    offsets = tuple(sum(counts[:k]) for k in range(len(counts)))
    return PhasePoints(compiler.net.add_points(len(phased.phases)), offsets, counts)


def compile_phases(compiler: Compiler, event: Event, points: EventPoints, previous: int) -> None:
    """The statements of every phase of ``event`` (its schedule is a Phased)."""
    from caseline.timeline.statements import EventPoints

    phased = event.schedule
    where = points.phase_points
    assert isinstance(phased, Phased) and where is not None
    net = compiler.net
    for k, phase in enumerate(phased.phases):
        here = where.starts + k
        name = f"{event.id}/{phase.name}"
        count, first = where.counts[k], points.first_dose + where.offsets[k]
        if phase.start is not None:
            compiler.timed(phase.start, here, name, event, where.starts + k - 1 if k else previous)
        start: TimeExpr | None = phase.start
        if k == 0 and phase.start is None:
            start = event.start
            if event.start is not None or count == 0:
                tag = compiler.statement(phase.pos, "the first phase starts with the course", name, event.id,
                                         refs=(f"{event.id}.start",))
                net.constrain(here, points.start, 0.0, 0.0, tag)
        if k == 0 and (event.start is None or phase.start is not None):
            tag = compiler.statement(phase.pos, "the course starts with its first phase", f"{event.id}.start",
                                     event.id, refs=(name,))
            if event.start is None:
                net.constrain(points.start, here, 0.0, 0.0, tag)
            else:
                net.constrain(here, points.start, 0.0, INF, tag, mode=Mode.ORDER, links=False)
        if k:
            tag = compiler.statement(phase.pos, f"phase {phase.name!r} is not before the phase before it", name,
                                     event.id, "phase-order")
            net.constrain(here, here - 1, 0.0, INF, tag, mode=Mode.ORDER, links=False)
            last_before = points.first_dose + where.offsets[k] - 1 if where.offsets[k] else -1
            if count and last_before >= 0:
                tag = compiler.statement(phase.pos, f"the administrations of phase {phase.name!r} follow those before "
                                         "it", f"{name}#1", event.id, "dose-order")
                net.constrain(first, last_before, 0.0, INF, tag, mode=Mode.ORDER, links=False)
            own_start = isinstance(phase.schedule, Repeat | Cycles) and phase.schedule.start is not None
            if start is None and isinstance(phase.schedule, Repeat | Cycles) and not own_start:
                start = _NOT_STATED  # after the previous phase's last administration, gap not stated
                if last_before >= 0:
                    tag = compiler.statement(phase.pos, "after the previous phase", name, event.id,
                                             refs=(f"{event.id}#{where.offsets[k]}",))
                    net.constrain(here, last_before, 0.0, INF, tag, mode=Mode.ORDER)
        if count:
            cycles = points.cycles[where.offsets[k]:where.offsets[k] + count] if points.cycles else ()
            part = EventPoints(start=here, first_dose=first, doses=count, cycles=_renumbered(cycles))
            compiler.schedule(replace(event, id=name, schedule=phase.schedule, start=start), part,
                              where.starts + k - 1 if k else previous)


def _renumbered(cycles: tuple[int, ...]) -> tuple[int, ...]:
    """A phase's cycle numbers counted from 1 (its hidden cycle starts are its own)."""
    return tuple(c - cycles[0] + 1 for c in cycles) if cycles and cycles[0] else ()


def phase_point(compiler: Compiler, ref: EventRef, expr: TimeExpr) -> int | None:
    """The point ``ID/NAME``, ``ID/NAME.end`` or ``ID/NAME#N`` names (None, with an error, when none)."""
    event_id, _, name = ref.event_id.partition("/")
    target = compiler.by_id.get(event_id)
    if target is None:
        compiler.report(expr.pos, f"{expr.text!r} refers to an event {event_id!r} that does not exist",
                        compiler.hints(event_id))
        return None
    phased = target.schedule
    points = compiler.out.events[event_id]
    if not isinstance(phased, Phased) or points.phase_points is None:
        compiler.report(expr.pos, f"{expr.text!r} refers to a phase of {event_id!r}, which has no phases",
                        f"give {event_id!r} 'phases', or refer to the event itself")
        return None
    names = [p.name for p in phased.phases]
    if name not in names:
        compiler.report(expr.pos, f"{expr.text!r} refers to a phase {name!r} that {event_id!r} does not have",
                        "its phases: " + ", ".join(names))
        return None
    k = names.index(name)
    where = points.phase_points
    count, first = where.counts[k], points.first_dose + where.offsets[k]
    if ref.part == "dose":
        index = count if ref.index == -1 else (ref.index or 1)
        if not 1 <= index <= count:
            compiler.report(expr.pos, f"{ref} asks for administration {index} of phase {name!r}, which has {count}",
                            f"use a number from 1 to {count}" if count else "this phase has no schedule")
            return None
        return first + index - 1
    if ref.part == "end":
        if count:
            return first + count - 1
        return where.starts + k + 1 if k + 1 < len(names) else points.end
    return where.starts + k


def dose_times(event: Event) -> tuple[list[TimeExpr | None], list[str]]:
    """The time expression (None: placed by a rule) and the phase name of each administration."""
    phased = event.schedule
    assert isinstance(phased, Phased)
    exprs: list[TimeExpr | None] = []
    names: list[str] = []
    for phase in phased.phases:
        count = phase_count(phase)
        schedule = phase.schedule
        if isinstance(schedule, AtList):
            exprs.extend(schedule.times)
        else:
            start = schedule.start if isinstance(schedule, Repeat | Cycles) else None
            exprs.extend([start or phase.start or event.start] * count)
        names.extend([phase.name] * count)
    return exprs, names


def phase_times(phased: Phased) -> list[TimeExpr]:
    """Every time expression of a course's phases."""
    out: list[TimeExpr] = []
    for phase in phased.phases:
        if phase.start is not None:
            out.append(phase.start)
        schedule = phase.schedule
        if isinstance(schedule, AtList):
            out.extend(schedule.times)
        elif isinstance(schedule, Repeat | Cycles) and schedule.start is not None:
            out.append(schedule.start)
    return out


def regimen_drug_items(course: Item, event: Event) -> list[Item]:
    """A regimen's drugs as items of their own, one course each on a lane under the regimen's lane: the items
    the resolver adds for ``expand: true`` and the window adds when View > Regimens' drugs is on."""
    return [replace(course, item_id=f"{event.id}:{k}", lane=f"{event.lane} · {drug.drug}", label=drug.describe(),
                    component=k) for k, drug in enumerate(event.components, 1)]


def expand_regimens(case: ResolvedCase) -> ResolvedCase:
    """``case`` with every regimen's drugs on lanes of their own (the same case when it has none to expand)."""
    items: list[Item] = []
    added = False
    for item in case.items:
        items.append(item)
        event = item.event
        if item.role is ItemRole.COURSE and not item.component and event.components and not event.expand:
            items.extend(regimen_drug_items(item, event))
            added = True
    return replace(case, items=tuple(items)) if added else case
