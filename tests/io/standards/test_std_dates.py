"""Dates of the standards at their real precision: nothing completed, nothing invented."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseline.io.standards.dates import (
    hl7_ts,
    iso_date,
    iso_duration,
    quantity_duration,
    reduce_precision,
    sas_date,
    study_day,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2013", "2013"),
    ("2013-02", "2013-02"),
    ("2013-02-14", "2013-02-14"),
    ("2013-02-14T10:30", "2013-02-14"),
    ("2013-02-14T23:59:00-05:00", "2013-02-14"),  # the local date as written, offset not applied
    ("2013---14", "2013"),  # SDTM: day known, month missing -> only the year is stated
    ("2013-02-", "2013-02"),
    ("--02-14", None),  # no year: unknown
    ("2003-12-15/2004-01", "between 2003-12-15 and 2004-01"),
    ("", None),
    (None, None),
    ("2011-02-30", None),  # impossible dates are not guessed into possible ones
    ("1700-01-01", None),  # outside the years caseline places
])
def test_iso_dates_keep_their_precision(raw: str | None, expected: str | None) -> None:
    assert iso_date(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2009", "2009"), ("200901", "2009-01"), ("20090101", "2009-01-01"),
    ("20090101151617-0500", "2009-01-01"), ("20091301", None), ("junk", None),
])
def test_hl7_timestamps(raw: str, expected: str | None) -> None:
    assert hl7_ts(raw) == expected


@pytest.mark.parametrize(("dy", "expected"), [(1, "day 0"), (2, "day 1"), (-1, "day -1"), (-7, "day -7"),
                                               (30.0, "day 29"), (float("nan"), None), ("", None)])
def test_study_days_have_no_day_zero(dy: object, expected: str | None) -> None:
    assert study_day(dy) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("P2W", "2 weeks"), ("P1Y6M", "1 year 6 months"), ("PT36H", "36 hours"), ("P3DT12H", "3 days 12 hours"),
    ("P8M", "8 months"), ("P1D", "1 day"), ("PT30M", "0.5 hours"), ("2 weeks", None), ("P", None),
])
def test_iso_durations_become_duration_text(raw: str, expected: str | None) -> None:
    assert iso_duration(raw) == expected


def test_time_quantities() -> None:
    assert quantity_duration("2", "d") == "2 days"
    assert quantity_duration(3, "wk") == "3 weeks"
    assert quantity_duration(1, "a") == "1 year"
    assert quantity_duration(5, "mg") is None


def test_adam_imputed_parts_are_cut_back() -> None:
    assert reduce_precision("2013-02-15", "D") == "2013-02"
    assert reduce_precision("2013-02-15", "M") == "2013"
    assert reduce_precision("2013-02-15", "Y") is None
    assert reduce_precision("2013-02-15", "") == "2013-02-15"
    assert sas_date(19404.0) == "2013-02-15"  # days since 1960-01-01
    assert sas_date(float("nan")) is None


@given(st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from([4, 7, 10]))
def test_any_truncated_date_reads_back_at_its_precision(day: date, length: int) -> None:
    text = day.isoformat()[:length]
    assert iso_date(text) == text
    if length == 10:
        assert iso_date(text + "T12:00:00Z") == text
    assert hl7_ts(text.replace("-", "")) == text


@given(st.integers(min_value=-3000, max_value=3000))
def test_sas_dates_match_the_calendar(days: int) -> None:
    assert sas_date(days) == (date(1960, 1, 1) + timedelta(days=days)).isoformat()
