"""The de-identified view's rules, pure: free text (dates, ages, names, numbers), structure (identifying
fields, lanes, calendars, the citation) and failing closed. The case full of identifying details is
tests/fixtures/identifying.caseline.yaml; the strings it must lose are tests/fixtures/identifying_strings.txt."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseline.analysis import deidentify as deid
from caseline.analysis.deidentify import DeidentifyError, deidentify_case, scrub_text
from caseline.analysis.scrub_text import contains_date, scrub_free_text
from caseline.analysis.tables import timeline_table
from caseline.analysis.wording import describe_case, describe_item, header_lines
from caseline.timeline.load import load_file
from caseline.view_state import ViewState
from support import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
IDENTIFYING = FIXTURES / "identifying.caseline.yaml"
DAY0 = date(2010, 2, 14)


def forbidden_strings() -> list[str]:
    lines = (FIXTURES / "identifying_strings.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def leaks(text: str) -> list[str]:
    """The forbidden strings found in ``text`` (case-insensitive, white space collapsed)."""
    flat = " ".join(text.split()).casefold()
    return [s for s in forbidden_strings() if re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", flat)]


def all_strings(value: object, out: list[str] | None = None) -> list[str]:
    """Every text of a model value, except ids (kept: they tie events together) and source positions."""
    out = [] if out is None else out
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, tuple | list):
        for v in value:
            all_strings(v, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("pos", "path", *deid.ID_FIELDS):
                all_strings(getattr(value, f.name), out)
    return out


def identifying_case():
    result = load_file(IDENTIFYING)
    assert result.ok, result.diagnostics
    return result.cases[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("on 2010/02/14", "on day 0"),
    ("on 14-02-2010", "on day 0"),
    ("in Feb-2010", "in days -13 to 14"),
    ("on 20100214", "on day 0"),
    ("on 2010.02.14", "on day 0"),
    ("on 2010.03.05", "on day 19"),  # year first: year, month, day (not read day first)
    ("on 14 February 2010", "on day 0"),
    ("on 14-Feb-2010", "on day 0"),
    ("on 02/03/2010", "on [date withheld]"),  # 2 March or February 3: not guessed
    ("in '09", "in [year withheld]"),
    ("in 2009-2010", "in [year withheld]"),
    ("in the 1990s", "in the [year withheld]"),
    ("in 2013 (no closer date given)", "in [year withheld] (no closer date given)"),
    ("Issue dated Sep-Oct 2010.", "Issue dated days 199 to 259."),
    ("seen in March", "seen in [date withheld]"),
])
def test_dates_in_every_common_spelling_become_days_or_are_withheld(text, expected) -> None:
    assert scrub_free_text(text, DAY0, None) == expected
    assert not contains_date(scrub_free_text(text, None, None))


@pytest.mark.parametrize("text", [
    "Mycophenolate 2000 mg/day", "IVIG 400 mg/kg/day x 5 days", "platelets 250000/µL", "heparin 20000 units",
    "it may 2 weeks later", "Marked improvement", "septic shock", "decreased", "Tacrolimus 0.1% ointment",
])
def test_quantities_and_ordinary_words_are_kept(text) -> None:
    assert scrub_free_text(text, DAY0, None) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("aged 95", "aged 90+"),
    ("a 95 year old man", "a 90+ year old man"),
    ("a 95-year-old man", "a 90+-year-old man"),
    ("age: 101", "age: 90+"),
    ("a 45 year old man", "a 45 year old man"),
    ("seen by J.Smith", "seen by [name withheld]"),  # the whole name, not '[name withheld].Smith'
    ("Dr J.Smith said", "[name withheld] said"),
    ("Dr J. Smith said", "[name withheld] said"),
    ("Mrs Hilda Quistorp agreed", "[name withheld] agreed"),
    ("MRN 0012345", "MRN [number withheld]"),
    ("accession Q-2010-55501.", "accession [number withheld]."),
    ("see https://example.org/x or doi:10.1000/xyz123", "see [link withheld] or [link withheld]"),
])
def test_ages_names_numbers_and_links_in_text(text, expected) -> None:
    assert scrub_free_text(text, DAY0, None) == expected


def test_identifiers_are_found_however_they_are_spaced_and_their_words_alone() -> None:
    ids = ["J.Smith", "NHS 943 476 5919", "H.Q."]
    text = "J. Smith (NHS 9434765919) met Smith; H.Q. agreed"
    out = scrub_text(text, None, ids)
    assert "Smith" not in out and "943" not in out and "H.Q" not in out, out


def test_scrubbing_scrubbed_text_changes_nothing() -> None:
    once = scrub_text("Mrs Quistorp (MRN 0012345), aged 95, on 2010/02/14", DAY0, ["Hilda Quistorp"])
    assert scrub_text(once, DAY0, ["Hilda Quistorp"]) == once
    case = deidentify_case(identifying_case())
    assert deidentify_case(case) == case


def test_an_age_in_unicode_digits_is_read_or_withheld_never_a_traceback() -> None:
    case = identifying_case()
    for age, shown in (("٩٥", "90 or older"), ("²", deid.AGE_WITHHELD), ("①", deid.AGE_WITHHELD), ("50s", "50s")):
        patient = dataclasses.replace(case.case.patient, age=age)
        copy = dataclasses.replace(case, case=dataclasses.replace(case.case, patient=patient))
        assert deidentify_case(copy).case.patient.age == shown


def test_the_case_full_of_identifying_details_loses_every_one() -> None:
    case = identifying_case()
    assert leaks(" ".join(all_strings(case)))  # the fixture does hold them
    shown = deidentify_case(case)
    assert leaks(" ".join(all_strings(shown))) == []
    # and every wording made from it: headers, details, tooltips, the table
    words = [*header_lines(shown), *(v for _, v in describe_case(shown.case, True))]
    for item in shown.items:
        words += [v for _, v in describe_item(shown, item, True)]
    assert leaks(" ".join(words)) == []
    assert leaks(timeline_table([shown]).to_csv(index=False)) == []
    # relative days are kept where the date could be placed
    assert "Photographed on day 19" in shown.case.event("rash").note


def test_calendar_dates_and_bounds_are_gone_from_the_structure() -> None:
    case = identifying_case()
    assert case.anchor_calendar is not None and any(i.start_calendar for i in case.items)
    shown = deidentify_case(case)
    assert shown.anchor_date is None and shown.anchor_calendar is None and shown.case.anchor_date is None
    assert all(i.start_date is i.end_date is i.start_calendar is i.end_calendar is None for i in shown.items)
    table = timeline_table([shown])
    assert (table["start_date"] == "").all() and (table["end_date"] == "").all()


def test_the_citation_is_withheld_whole() -> None:
    shown = deidentify_case(identifying_case())
    assert shown.case.citation == type(shown.case.citation)()
    assert "Citation" not in dict(describe_case(shown.case, True))


def test_a_lane_named_after_an_identifying_label_is_renamed() -> None:
    case = identifying_case()
    icu = next(i for i in case.items if i.event_id == "icu")
    assert icu.lane == icu.event.label  # no lane given: the lane is the label
    shown = deidentify_case(case)
    lanes = {i.lane for i in shown.items}
    assert "Milestone (withheld)" in lanes
    assert not any("Quistorp" in lane or "Brackenfield" in lane for lane in lanes), lanes


def test_failing_to_de_identify_fails_closed(monkeypatch) -> None:
    case = identifying_case()

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(deid, "scrub_free_text", broken)
    with pytest.raises(DeidentifyError, match="deid-full"):
        deidentify_case(case)
    view = ViewState((case,), deidentified=True)
    shown = view.shown()
    assert shown.cases == [] and "cannot be shown" in shown.problem
    assert shown.axis_subject == "" and shown.header_notes == {}
    assert ViewState((case,)).shown().cases  # the identified view is untouched


def test_view_wording_is_scrubbed_with_the_cases_identifiers() -> None:
    case = identifying_case()
    view = ViewState((case,), deidentified=True, axis_title="Days since J.Smith's call on 2010-02-14")
    shown = view.shown()
    assert leaks(shown.axis_title("days", view.axis_title)) == []
    assert leaks(" ".join(shown.header_lines(shown.cases[0]))) == []


def test_hidden_lanes_stay_hidden_under_their_withheld_names() -> None:
    case = identifying_case()
    icu = next(i for i in case.items if i.event_id == "icu")
    shown = ViewState((case,), deidentified=True, hidden_lanes=frozenset({icu.lane})).shown()
    assert "Milestone (withheld)" in shown.options.hidden_lanes


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.caseline.yaml")), ids=lambda p: p.name)
def test_sample_cases_lose_dates_years_and_their_citations(path) -> None:
    for case in load_file(path).cases:
        shown = deidentify_case(case)
        text = " ".join(all_strings(shown))
        assert not re.search(r"\b(?:19|20)\d\d\b(?!\s*(?:mg|g|units?|IU|%|/))", text), case.id
        assert not contains_date(text), case.id
        citation = case.case.citation
        for needle in (*citation.authors, citation.doi, citation.pmid, citation.journal):
            if needle:
                assert needle not in text, (case.id, needle)


_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%B %d, %Y",
            "%b-%Y", "%B %Y", "%d-%b-%Y", "%dth of %B %Y", "%b %Y", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%y")
#: formats that always give one day: placed as 'day N' (the others may be a month, ambiguous, or a 2-digit year)
_PLACED = {"%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%d-%b-%Y",
           "%dth of %B %Y"}


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2030, 12, 31)), fmt=st.sampled_from(_FORMATS),
       before=st.sampled_from(["seen on ", "rash began ", "(", "admitted ", ""]),
       after=st.sampled_from(["", ".", "; stopped", ") and again later", " at the clinic"]))
def test_no_written_date_survives(day, fmt, before, after) -> None:
    text = f"{before}{day.strftime(fmt)}{after}"
    for anchor in (None, DAY0):
        out = scrub_free_text(text, anchor, None)
        assert str(day.year) not in re.sub(r"days? -?\d+(?: to -?\d+)?", "", out), (text, out)
        assert not contains_date(out), (text, out)
        assert scrub_free_text(out, anchor, None) == out  # scrubbing twice changes nothing
    if fmt in _PLACED:
        assert f"day {(day - DAY0).days}" in scrub_free_text(text, DAY0, None), text  # placed when unambiguous
