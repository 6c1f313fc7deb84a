"""Whole-dataset steps that must stay fast on a full study: exposure collapsing and lab filtering.

A 300-subject study has tens of thousands of EX and LB records. Both steps work on the frame
(vectorised pandas), so the per-record Python that follows only sees what will become events:
one row per exposure course, and the lab results worth drawing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from caseline.io.standards.model import ImportOptions

_FULL_DATE = r"^\d{4}-\d{2}-\d{2}"
_NORMAL = {"NORMAL", "N", ""}


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    series = frame[column]
    if pd.api.types.is_numeric_dtype(series):
        return series.map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    return series.astype(str)


def _number(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce")


def collapse_exposure(frame: pd.DataFrame, prefix: str = "EX") -> pd.DataFrame:
    """One row per run of exposure records: same subject, treatment, dose, unit, frequency and
    route, each record starting no later than the day after the run so far ends (daily records
    of one course). Rows whose start is not a full date stay rows of their own.

    Columns: the first record's values, plus ``_START``/``_END`` (first start and last end as
    written), ``_N`` (records merged), ``_SEQS`` (their sequence numbers), ``_SINGLE`` (each
    record a single day, so the run may be a schedule) and ``_KEY`` (the dose key).
    """
    if frame.empty:
        return frame.assign(_START="", _END="", _N=0, _SEQS="", _SINGLE=False, _KEY="")
    data = frame.copy()
    start_text = _text(data, f"{prefix}STDTC")
    end_text = _text(data, f"{prefix}ENDTC")
    end_text = end_text.where(end_text != "", start_text)
    full = start_text.str.match(_FULL_DATE) & end_text.str.match(_FULL_DATE)
    start = pd.to_datetime(start_text.str[:10].where(full), errors="coerce", format="%Y-%m-%d")
    end = pd.to_datetime(end_text.str[:10].where(full), errors="coerce", format="%Y-%m-%d")
    full &= start.notna() & end.notna()
    key = _text(data, "USUBJID")
    for part in ("TRT", "DOSE", "DOSU", "DOSFRQ", "ROUTE", "DOSTXT"):
        key = key + "\x1f" + _text(data, f"{prefix}{part}")
    data["_KEY"] = key
    data["_START_DAY"] = start
    data["_END_DAY"] = end
    data["_FULL"] = full
    data["_START_RAW"] = start_text
    data["_END_RAW"] = _text(data, f"{prefix}ENDTC")
    data["_ORDER"] = np.arange(len(data))
    data = data.sort_values(["_KEY", "_START_DAY", "_ORDER"], kind="stable")
    run_end = data.groupby("_KEY", sort=False)["_END_DAY"].cummax()
    previous_end = run_end.groupby(data["_KEY"], sort=False).shift()
    new_run = (
        (data["_KEY"] != data["_KEY"].shift())
        | ~data["_FULL"]
        | ~data["_FULL"].shift(fill_value=False)
        | (data["_START_DAY"] > previous_end + pd.Timedelta(days=1))
    )
    data["_RUN"] = new_run.cumsum()
    seq = _text(data, f"{prefix}SEQ")
    data["_SEQ"] = seq
    data["_ONE_DAY"] = data["_START_DAY"] == data["_END_DAY"]
    grouped = data.groupby("_RUN", sort=False)
    first = grouped.head(1).set_index("_RUN")
    last_end = grouped["_END_DAY"].max()
    last_end_raw = data.loc[grouped["_END_DAY"].idxmax().dropna(), ["_RUN", "_END_RAW"]].set_index("_RUN")["_END_RAW"]
    first["_N"] = grouped.size()
    first["_SEQS"] = grouped["_SEQ"].agg(lambda s: s.iloc[0] if len(s) == 1 else f"{s.iloc[0]}-{s.iloc[-1]}")
    first["_SINGLE"] = grouped["_ONE_DAY"].all() & (first["_N"] == 1)
    first["_START"] = first["_START_RAW"]
    first["_END"] = last_end_raw.reindex(first.index).fillna(first["_END_RAW"])
    first["_END_DAY"] = last_end
    for column in (f"{prefix}ENDY",):
        if column in data.columns:
            first[column] = grouped[column].max()
    return first.reset_index(drop=True).sort_values(["_KEY", "_START_DAY", "_ORDER"], kind="stable")


def filter_labs(frame: pd.DataFrame, options: ImportOptions, reference_days: pd.Series | None = None) -> pd.DataFrame:
    """The lab results worth drawing: abnormal ones by default (flagged in ``LBNRIND`` or, when
    unflagged, outside the standard reference range), every result of ``options.lab_tests``, and
    with ``options.lab_window`` only those in that window of study days (``LBDY``, else the date
    against ``reference_days``: the subject's reference start ordinal per row)."""
    if options.labs == "none" and not options.lab_tests:
        return frame.iloc[0:0]
    if frame.empty:
        return frame
    flag = _text(frame, "LBNRIND").str.upper().str.strip()
    value = _number(frame, "LBSTRESN")
    low, high = _number(frame, "LBSTNRLO"), _number(frame, "LBSTNRHI")
    outside = (value < low) | (value > high)
    abnormal = (~flag.isin(_NORMAL)) | ((flag == "") & outside.fillna(False))
    keep = pd.Series(options.labs == "all", index=frame.index) | (abnormal if options.labs == "abnormal" else False)
    if options.lab_tests:
        chosen = {t.strip().upper() for t in options.lab_tests}
        keep = (
            keep | _text(frame, "LBTESTCD").str.upper().isin(chosen) | _text(frame, "LBTEST").str.upper().isin(chosen)
        )
    if options.lab_window is not None:
        study_day = _number(frame, "LBDY")
        day = study_day.where(study_day < 1, study_day - 1)
        if reference_days is not None:
            dates = pd.to_datetime(_text(frame, "LBDTC").str[:10], errors="coerce", format="%Y-%m-%d")
            from_dates = (dates - pd.Timestamp("0001-01-01")).dt.days + 1 - reference_days
            day = day.fillna(from_dates)
        first, last = options.lab_window
        keep = keep & (day >= first) & (day <= last)
    return frame[keep.fillna(False).astype(bool)]
