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


def test_a_reload_finds_a_selected_item_where_it_was_and_a_moved_one_anyway(tmp_path) -> None:
    """A reload of the file makes new case objects: the item a selection names is looked for where it last was
    (one step, not the table of every key of the case: 10 ms of a 10,000-event reload), and found by the table
    when the file moved it."""
    path = SAMPLES / "infliximab-pyoderma.caseline.yaml"
    first = load_file(path).cases
    index = RevealIndex()
    items = first[0].items
    key, last = reveal_key(items[5]), reveal_key(items[-1])
    assert index.lookup(first, {key, last}) == {key: 5, last: len(items) - 1}
    reloaded = load_file(path).cases  # the same file read again: new objects
    assert reloaded[0] is not first[0]
    assert index.lookup(reloaded, {key, last}) == {key: 5, last: len(items) - 1}
    assert id(reloaded[0]) not in index._cases, "the reload made the table of every key"
    # the file edited: an event added at the top moves every item down
    text = path.read_text(encoding="utf-8")
    head, events = text.split("\n  events:\n", 1)
    added = tmp_path / "edited.caseline.yaml"
    added.write_text(head + "\n  events:\n    - id: added-first\n      kind: milestone\n      type: other\n"
                     "      label: Added\n      at: day 0\n" + events, encoding="utf-8")
    edited = load_file(added).cases
    assert edited and reveal_key(edited[0].items[5]) != key
    found = index.lookup(edited, {key, last, "no-such/key"})
    table = reveal_keys(edited)
    assert found == {key: table[key], last: table[last]}
