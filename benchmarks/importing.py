"""Import speed of a whole SDTM study: ``python -m benchmarks.importing [SUBJECTS] [--runs N]``.

Generates a synthetic study in SAS XPORT the size of a real phase III arm (daily EX records, AE,
CM repeated at every visit, about 200 lab results per subject, MH, DS), then, ``runs`` times, times
``convert_paths`` (reading and converting), ``write_import`` (what ``caseline import`` and
File > Import do) and ``caseline.load`` of the result (parsing and resolving every case, as opening
it does). Goal (issue 15): import (convert + write) under 10 s for 300 subjects. ``make bench`` runs
it in its own process (``benchmarks.run``); the last line printed is the JSON result.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def generate_study(folder: Path, subjects: int = 300, days: int = 180, seed: int = 15) -> dict[str, int]:
    """Write dm/ex/ae/cm/lb/mh/ds.xpt for ``subjects`` subjects; return the record count per domain."""
    import pyreadstat

    rng = np.random.default_rng(seed)
    ids = [f"BENCH-{i:04d}" for i in range(subjects)]
    starts = [date(2014, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 700, subjects)]
    frames: dict[str, pd.DataFrame] = {}
    frames["dm"] = pd.DataFrame(
        {
            "STUDYID": "BENCH",
            "DOMAIN": "DM",
            "USUBJID": ids,
            "SUBJID": [i[-4:] for i in ids],
            "RFSTDTC": [s.isoformat() for s in starts],
            "RFXSTDTC": [s.isoformat() for s in starts],
            "RFXENDTC": [(s + timedelta(days=days - 1)).isoformat() for s in starts],
            "AGE": rng.integers(40, 85, subjects).astype(float),
            "AGEU": "YEARS",
            "SEX": rng.choice(["F", "M"], subjects),
            "ARMCD": rng.choice(["PBO", "HI"], subjects),
            "ARM": "Drug X",
            "ACTARM": "Drug X",
        }
    )
    ex_days = [(u, s + timedelta(days=d), d) for u, s in zip(ids, starts, strict=True) for d in range(days)]
    frames["ex"] = pd.DataFrame(
        {
            "STUDYID": "BENCH",
            "DOMAIN": "EX",
            "USUBJID": [u for u, _, _ in ex_days],
            "EXSEQ": [float(d + 1) for _, _, d in ex_days],
            "EXTRT": "DRUG X",
            "EXDOSE": [54.0 if d < 14 else 81.0 for _, _, d in ex_days],
            "EXDOSU": "mg",
            "EXDOSFRQ": "QD",
            "EXROUTE": "ORAL",
            "EXSTDTC": [t.isoformat() for _, t, _ in ex_days],
            "EXENDTC": [t.isoformat() for _, t, _ in ex_days],
            "EXSTDY": [float(d + 1) for _, _, d in ex_days],
        }
    )
    terms = ["HEADACHE", "NAUSEA", "DIZZINESS", "RASH", "FATIGUE", "PRURITUS", "DIARRHOEA", "INSOMNIA"]
    rows: list[dict[str, Any]] = []
    for u, s in zip(ids, starts, strict=True):
        for seq in range(1, 5):
            onset = s + timedelta(days=int(rng.integers(0, days)))
            rows.append(
                {
                    "STUDYID": "BENCH",
                    "DOMAIN": "AE",
                    "USUBJID": u,
                    "AESEQ": float(seq),
                    "AETERM": str(rng.choice(terms)),
                    "AESTDTC": onset.isoformat()[: int(rng.choice([7, 10, 10]))],
                    "AEENDTC": (onset + timedelta(days=5)).isoformat(),
                    "AESEV": str(rng.choice(["MILD", "MODERATE"])),
                    "AESER": "N",
                    "AEREL": str(rng.choice(["RELATED", "NOT RELATED"])),
                    "AEACN": "DRUG WITHDRAWN" if seq == 4 and rng.random() < 0.1 else "DOSE NOT CHANGED",
                    "AEOUT": "RECOVERED/RESOLVED",
                }
            )
    frames["ae"] = pd.DataFrame(rows)
    drugs = ["ASPIRIN", "METFORMIN", "LISINOPRIL", "ATORVASTATIN", "OMEPRAZOLE"]
    frames["cm"] = pd.DataFrame(
        [
            {
                "STUDYID": "BENCH",
                "DOMAIN": "CM",
                "USUBJID": u,
                "CMSEQ": float(visit * 5 + k + 1),
                "CMTRT": drug,
                "CMDOSE": 10.0,
                "CMDOSU": "mg",
                "CMSTDTC": "2010",
                "CMENRTPT": "ONGOING",
                "VISIT": f"WEEK {visit * 4}",
            }
            for u in ids
            for visit in range(5)
            for k, drug in enumerate(drugs)
        ]
    )
    tests = [
        ("ALT", "Alanine Aminotransferase", 7, 56, 30),
        ("AST", "Aspartate Aminotransferase", 10, 40, 25),
        ("CREAT", "Creatinine", 53, 115, 80),
        ("K", "Potassium", 3.5, 5.1, 4.2),
        ("HGB", "Hemoglobin", 120, 170, 140),
    ]
    lab: list[dict[str, Any]] = []
    for u, s in zip(ids, starts, strict=True):
        for visit in range(40):
            for code, name, low, high, mean in tests:
                value = float(rng.normal(mean, mean * 0.25))
                flag = "HIGH" if value > high else "LOW" if value < low else "NORMAL"
                lab.append(
                    {
                        "STUDYID": "BENCH",
                        "DOMAIN": "LB",
                        "USUBJID": u,
                        "LBSEQ": float(len(lab) + 1),
                        "LBTESTCD": code,
                        "LBTEST": name,
                        "LBSTRESN": round(value, 2),
                        "LBSTRESU": "U",
                        "LBSTNRLO": float(low),
                        "LBSTNRHI": float(high),
                        "LBNRIND": flag,
                        "LBDTC": (s + timedelta(days=visit * 4)).isoformat(),
                        "LBDY": float(visit * 4 + 1),
                    }
                )
    frames["lb"] = pd.DataFrame(lab)
    frames["mh"] = pd.DataFrame(
        [
            {
                "STUDYID": "BENCH",
                "DOMAIN": "MH",
                "USUBJID": u,
                "MHSEQ": float(k + 1),
                "MHTERM": term,
                "MHSTDTC": f"{2000 + k}",
            }
            for u in ids
            for k, term in enumerate(["HYPERTENSION", "DIABETES", "GOUT"])
        ]
    )
    frames["ds"] = pd.DataFrame(
        [
            {
                "STUDYID": "BENCH",
                "DOMAIN": "DS",
                "USUBJID": u,
                "DSSEQ": 1.0,
                "DSTERM": "COMPLETED",
                "DSDECOD": "COMPLETED",
                "DSCAT": "DISPOSITION EVENT",
                "DSSCAT": "STUDY PARTICIPATION",
                "DSSTDTC": (s + timedelta(days=days)).isoformat(),
            }
            for u, s in zip(ids, starts, strict=True)
        ]
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        pyreadstat.write_xport(frame, str(folder / f"{name}.xpt"), table_name=name.upper(), file_format_version=5)
    return {name: len(frame) for name, frame in frames.items()}


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"median": round(median, 3), "min": round(ordered[0], 3), "max": round(ordered[-1], 3), "n": len(values)}


def measure(subjects: int = 300, runs: int = 1) -> dict[str, Any]:
    """Seconds to convert, write and load back a generated study of ``subjects`` subjects, ``runs`` times
    (median, min and max of each step)."""
    import caseline
    from caseline.io.standards import convert_paths, write_import

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "study"
        records = generate_study(folder, subjects)
        steps: dict[str, list[float]] = {"convert_s": [], "write_s": [], "import_s": [], "load_s": [], "total_s": []}
        for run in range(runs):
            started = time.perf_counter()
            result = convert_paths([folder])
            converted = time.perf_counter()
            out = write_import(result, Path(temp) / f"study-{run}.caseline.yaml")
            written = time.perf_counter()
            cases = caseline.load(out)
            loaded = time.perf_counter()
            for key, seconds in (("convert_s", converted - started), ("write_s", written - converted),
                                 ("import_s", written - started), ("load_s", loaded - written),
                                 ("total_s", loaded - started)):
                steps[key].append(seconds)
        return {
            "subjects": subjects,
            "records": sum(records.values()),
            "records_by_domain": records,
            "cases": len(cases),
            "events": sum(len(c["events"]) for c in result.cases),
            "runs": runs,
            **{key: _spread(values) for key, values in steps.items()},
            "file_mb": round(Path(out).stat().st_size / 1e6, 2),
        }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.importing", description=__doc__.splitlines()[0])
    parser.add_argument("subjects", nargs="?", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.subjects, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
