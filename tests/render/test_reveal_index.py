"""A selection, a highlight and a teaching step name items by reveal key ('case id/item id'); a new layout of the
same cases (a switch of sort or alignment) must find them again, without making the table of every key (at
200 x 200 cases that table cost 10 ms of each switch made while a mark was selected)."""

from __future__ import annotations

from caseline.analysis.reveal import reveal_key
from caseline.render.reveal_index import RevealIndex
from caseline.render.timeline_plot import TimelinePlot
from caseline.timeline.load import load_file
from caseline.view_state import reveal_keys
from support import SAMPLES


def _cases():
    """Every sample case (the bortezomib file alone holds six)."""
    return [case for path in sorted(SAMPLES.glob("*.caseline.yaml")) for case in load_file(path).cases]


def test_the_index_agrees_with_reveal_keys_in_any_order_and_with_a_case_shown_twice() -> None:
    cases = _cases()
    index = RevealIndex()
    for order in (cases, cases[::-1], [*cases, cases[0]]):
        table = reveal_keys(order)
        assert index.all(order) == table
        wanted = {next(iter(table)), list(table)[-1], "no-such/key"}
        assert index.lookup(order, wanted) == {k: table[k] for k in wanted if k in table}


def test_a_selection_follows_its_item_through_switches_without_the_whole_table(qtbot) -> None:
    cases = _cases()
    assert len(cases) > 2
    plot = TimelinePlot()
    qtbot.addWidget(plot)
    plot.resize(900, 700)
    plot.show()
    plot.set_cases(cases)
    layout = plot.layout_
    chosen = next(i for i, item in enumerate(layout.items) if item.case_id == cases[-1].id and item.start)
    key = reveal_key(layout.items[chosen])
    plot.view.selected = key
    for field, value in (("align", "reaction-onset"), ("sort", "latency"), ("align", "anchor")):
        setattr(plot.view, field, value)
        qtbot.wait(1)
        state = plot.paint_state
        assert state is not None and state.selected is not None
        assert reveal_key(plot.layout_.items[state.selected]) == key, f"the selection lost its item after {field}"
        assert plot._keys_built is None, "a switch with a selection made the table of every key"
