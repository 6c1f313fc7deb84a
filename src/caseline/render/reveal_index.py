"""Where each item of a layout is, by its reveal key ('case id/item id', caseline.analysis.reveal.reveal_key): what
a selection, a highlight or a teaching step names survives a new layout of the same cases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from caseline.analysis.reveal import reveal_key
from caseline.timeline.resolved import ResolvedCase
from caseline.view_state import reveal_keys


class RevealIndex:
    """Layout indices by reveal key. Each case's keys are made once and kept while the case is shown, so a new
    layout of the same cases (a switch of sort or alignment) only adds each case's first index; a lookup of a
    few keys (a selection) never makes the whole table (66,400 keys at 200 x 200 cases: 10 ms a switch)."""

    def __init__(self) -> None:
        self._cases: dict[int, tuple[ResolvedCase, dict[str, int]]] = {}  # id(case) -> (case, its keys)
        self._seen: dict[str, tuple[str, int]] = {}  # key -> (case id, index in its case) where last found

    def all(self, cases: Sequence[ResolvedCase]) -> dict[str, int]:
        """Every key of ``cases`` laid out in this order (a case shown twice: its keys name the later copy, as
        view_state.reveal_keys does)."""
        out: dict[str, int] = {}
        for case, base in self._bases(cases):
            out.update({key: base + i for key, i in self._of(case).items()})
        return out

    def lookup(self, cases: Sequence[ResolvedCase], wanted: set[str]) -> dict[str, int]:
        """The index of each key of ``wanted`` found among ``cases``."""
        out: dict[str, int] = {}
        if not wanted:
            return out
        seen, self._seen = self._seen, {}
        for case, base in self._bases(cases):
            # where a key was last found, in a new copy of its case (a reload of the file): its item is mostly
            # still there, checked in one step, instead of the whole case's keys (10 ms at 10,000 events)
            rest = set()
            for key in wanted:
                case_id, i = seen.get(key, ("", -1))
                if case_id == case.id and 0 <= i < len(case.items) and reveal_key(case.items[i]) == key:
                    out[key] = base + i
                    self._seen[key] = (case.id, i)
                elif key.startswith(case.id + "/"):
                    rest.add(key)
            if rest:
                index = self._of(case)
                for key in rest & index.keys():
                    out[key] = base + index[key]
                    self._seen[key] = (case.id, index[key])
        return out

    def _bases(self, cases: Sequence[ResolvedCase]) -> Iterator[tuple[ResolvedCase, int]]:
        known = self._cases  # only the cases shown are kept
        self._cases = {id(c): known[id(c)] for c in cases if id(c) in known and known[id(c)][0] is c}
        base = 0
        for case in cases:
            yield case, base
            base += len(case.items)

    def _of(self, case: ResolvedCase) -> dict[str, int]:
        found = self._cases.get(id(case))
        if found is None or found[0] is not case:
            found = self._cases[id(case)] = (case, reveal_keys([case]))
        return found[1]
