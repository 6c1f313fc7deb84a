"""Reading SDTM and ADaM datasets into pandas frames: SAS XPORT, CSV and CDISC Dataset-JSON.

- XPORT goes through pyreadstat, which reads version 5 and 8 files and keeps a dose of 0 as 0
  (pandas ``read_sas`` reads it as 5.397605e-79, pandas issue 50670, and cannot read version 8).
- Dataset-JSON 1.1 (``columns`` + ``rows``), 1.0 (``clinicalData.itemGroupData``), its NDJSON
  form (metadata line, then one row per line) and compressed DSJC. DSJC is specified as zlib
  but CDISC's own example is gzip-wrapped, so both are accepted (``wbits=47`` detects either).
- CSV with a header row; every cell is read as text.

Text columns come back with ``""`` for missing values; numeric columns keep NaN.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseline.io.standards.model import UnreadableInput

SDTM_DOMAINS = ("DM", "EX", "EC", "CM", "AE", "LB", "MH", "DS", "PR")
ADAM_DATASETS = ("ADSL", "ADAE", "ADCM", "ADLB", "ADEX")
EXTENSIONS = (".xpt", ".json", ".ndjson", ".dsjc", ".csv")
_XPT_MAGIC = b"HEADER RECORD*******LIB"
_MAX_HEAD = 1 << 16

if TYPE_CHECKING:  # pandas is imported where a table is read: registering the readers stays light
    import pandas as pd


@dataclass
class Table:
    """One dataset: its domain or ADaM name (``AE``, ``ADSL``), its rows, and the file it came from."""

    name: str
    frame: pd.DataFrame
    file: str


def _head(path: str) -> bytes:
    with open(path, "rb") as stream:
        raw = stream.read(_MAX_HEAD)
    if raw[:2] == b"\x1f\x8b" or (len(raw) > 1 and raw[0] == 0x78 and raw[1] in (0x01, 0x5E, 0x9C, 0xDA)):
        try:
            return zlib.decompressobj(wbits=47).decompress(raw, _MAX_HEAD)
        except zlib.error:
            return b""
    return raw


def sniff(path: str) -> str | None:
    """``xpt``, ``dataset-json``, ``csv`` for an SDTM/ADaM dataset file (by content), else None."""
    try:
        head = _head(path)
    except OSError:
        return None
    if head.startswith(_XPT_MAGIC):
        return "xpt"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") and (
        b'"datasetJSONVersion"' in text or b'"clinicalData"' in text or b'"referenceData"' in text
    ):
        return "dataset-json"
    first = text.split(b"\n", 1)[0].upper()
    if b"USUBJID" in first and (b"DOMAIN" in first or b"STUDYID" in first) and b"," in first:
        return "csv"
    return None


def study_files(folder: str) -> list[str]:
    """The dataset files of a study folder, sorted, that read as SDTM/ADaM by content."""
    names = sorted(os.listdir(folder))
    paths = [os.path.join(folder, n) for n in names if n.lower().endswith(EXTENSIONS)]
    return [p for p in paths if os.path.isfile(p) and sniff(p) is not None]


def read_table(path: str) -> Table:
    """One dataset file as a :class:`Table`; raises :class:`UnreadableInput` when it cannot be read."""
    import pandas as pd

    kind = sniff(path)
    try:
        if kind == "xpt":
            return _read_xpt(path)
        if kind == "dataset-json":
            return _read_dataset_json(path)
        if kind == "csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            return Table(_name_from(frame, path), _tidy(frame), path)
    except UnreadableInput:
        raise
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, zlib.error) as exc:
        raise UnreadableInput(path, f"cannot read the dataset: {exc}") from exc
    raise UnreadableInput(
        path,
        "not an SDTM or ADaM dataset",
        "expected SAS XPORT (.xpt), Dataset-JSON (.json, .ndjson, .dsjc) or CSV with USUBJID",
    )


def _read_xpt(path: str) -> Table:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_xport(path)
    except Exception as exc:  # pyreadstat raises its own ReadstatError for damaged files
        raise UnreadableInput(path, f"cannot read the XPORT file: {exc}") from exc
    name = str(getattr(meta, "table_name", "") or "").upper()
    return Table(name or _name_from(frame, path), _tidy(frame), path)


def _read_dataset_json(path: str) -> Table:
    import pandas as pd

    with open(path, "rb") as stream:
        raw = stream.read()
    if raw[:2] == b"\x1f\x8b" or raw[:1] == b"\x78":
        try:
            raw = zlib.decompress(raw, wbits=47)
        except zlib.error as exc:
            raise UnreadableInput(path, f"cannot decompress the DSJC file: {exc}") from exc
    text = raw.decode("utf-8-sig")
    try:
        document = json.loads(text)
        rows: list[Any] | None = None
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        try:
            document = json.loads(lines[0]) if lines else {}
            rows = [json.loads(line) for line in lines[1:]]
        except json.JSONDecodeError:
            raise UnreadableInput(path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from exc
    if "clinicalData" in document or "referenceData" in document:  # Dataset-JSON 1.0
        data = document.get("clinicalData") or document.get("referenceData") or {}
        groups = data.get("itemGroupData") or {}
        if not groups:
            raise UnreadableInput(path, "Dataset-JSON 1.0 file without itemGroupData")
        group = next(iter(groups.values()))
        names = [item["name"] for item in group.get("items", [])]
        frame = pd.DataFrame(group.get("itemData", []), columns=names)
        frame = frame.drop(columns=[c for c in ("ITEMGROUPDATASEQ",) if c in frame.columns])
        name = str(group.get("name") or "")
    else:
        columns = document.get("columns")
        if not isinstance(columns, list):
            raise UnreadableInput(path, "Dataset-JSON file without 'columns'")
        names = [column["name"] for column in columns]
        frame = pd.DataFrame(rows if rows is not None else document.get("rows", []), columns=names)
        for column in columns:
            if column.get("dataType") in ("integer", "float", "double", "decimal") and column["name"] in frame:
                frame[column["name"]] = pd.to_numeric(frame[column["name"]], errors="coerce")
        name = str(document.get("name") or str(document.get("itemGroupOID", "")).removeprefix("IG."))
    return Table(name.upper() or _name_from(frame, path), _tidy(frame), path)


def _name_from(frame: pd.DataFrame, path: str) -> str:
    if "DOMAIN" in frame.columns and len(frame):
        value = str(frame["DOMAIN"].iloc[0]).strip()
        if value:
            return value.upper()
    stem = os.path.basename(path).split(".")[0]
    return stem.upper()


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns with ``""`` for missing, stripped; numeric columns as they are."""
    import pandas as pd

    frame.columns = [str(c).upper() for c in frame.columns]
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[column] = series.dt.strftime("%Y-%m-%d").fillna("")
        elif not pd.api.types.is_numeric_dtype(series):
            frame[column] = series.fillna("").astype(str).str.strip()
    return frame


# ---------------------------------------------------------------------- ADaM
#: ADaM dataset -> the SDTM domain read with the same mapping.
ADAM_DOMAIN = {"ADSL": "DM", "ADAE": "AE", "ADCM": "CM", "ADLB": "LB", "ADEX": "EX"}
_ADAM_RENAMES: dict[str, dict[str, str]] = {
    "DM": {"TRT01A": "ACTARM", "TRT01P": "ARM"},
    "LB": {
        "PARAMCD": "LBTESTCD",
        "PARAM": "LBTEST",
        "AVAL": "LBSTRESN",
        "AVALC": "LBSTRESC",
        "ANRLO": "LBSTNRLO",
        "ANRHI": "LBSTNRHI",
        "ANRIND": "LBNRIND",
        "AVALU": "LBSTRESU",
        "ADY": "LBDY",
    },
    "AE": {"ASTDY": "AESTDY", "AENDY": "AEENDY"},
    "CM": {"ASTDY": "CMSTDY", "AENDY": "CMENDY"},
    "EX": {"ASTDY": "EXSTDY", "AENDY": "EXENDY"},
}
#: (ADaM date variable, its imputation flag, the SDTM --DTC it stands for) per domain.
_ADAM_DATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "DM": (("TRTSDT", "TRTSDTF", "RFXSTDTC"), ("TRTEDT", "TRTEDTF", "RFXENDTC"), ("DTHDT", "DTHDTF", "DTHDTC")),
    "AE": (("ASTDT", "ASTDTF", "AESTDTC"), ("AENDT", "AENDTF", "AEENDTC")),
    "CM": (("ASTDT", "ASTDTF", "CMSTDTC"), ("AENDT", "AENDTF", "CMENDTC")),
    "EX": (("ASTDT", "ASTDTF", "EXSTDTC"), ("AENDT", "AENDTF", "EXENDTC")),
    "LB": (("ADT", "ADTF", "LBDTC"),),
}


def adam_as_sdtm(table: Table) -> Table:
    """An ADaM dataset read as its SDTM domain. Where the SDTM ``--DTC`` is carried along it is
    used as stated; otherwise the analysis date is cut back to the parts its imputation flag
    says were not imputed (``ASTDTF=D``: the day was imputed, so only the month is written), and
    ``<--DTC>_STATED`` says what the source had."""
    import pandas as pd

    from caseline.io.standards.dates import reduce_precision, sas_date

    domain = ADAM_DOMAIN[table.name]
    frame = table.frame.rename(
        columns={
            k: v
            for k, v in _ADAM_RENAMES.get(domain, {}).items()
            if k in table.frame.columns and v not in table.frame.columns
        }
    )
    if domain == "LB" and "LBSEQ" not in frame.columns:
        frame["LBSEQ"] = range(1, len(frame) + 1)
    for variable, flag, target in _ADAM_DATES.get(domain, ()):
        if variable not in frame.columns or (target in frame.columns and (frame[target] != "").any()):
            continue
        values: list[str] = []
        stated: list[str] = []
        flags = frame[flag] if flag in frame.columns else pd.Series([""] * len(frame), index=frame.index)
        for raw, imputed in zip(frame[variable], flags, strict=True):
            iso = sas_date(raw)
            imputed_text = str(imputed or "").strip() if not pd.isna(imputed) else ""
            kept = reduce_precision(iso, imputed_text) if iso else None
            values.append(kept or "")
            note = f"{variable} {iso}" if iso else f"{variable} missing"
            if imputed_text and iso:
                note += f" (imputed, {flag}={imputed_text}; written as {kept or 'unknown'})"
            stated.append(note)
        frame[target] = values
        frame[f"{target}_STATED"] = stated
    return Table(domain, frame, table.file)
