"""CDISC SDTM (and ADaM, read as SDTM) study -> one caseline case per subject.

A study is any set of dataset files or folders given together: DM says who the subjects are
(arm, age, sex, reference start, death), EX/EC the study treatment, AE the adverse events, CM,
LB, MH, DS and PR the rest. Day 0 is the subject's reference start ``RFSTDTC`` (study day 1),
so study days (``AESTDY``) and dates line up; the suspected drug is the EX treatment (or the one
named with ``--suspect``). Datasets the importer does not map (VS, QS, SUPPQUAL...) are listed in
one warning, not silently dropped.
"""

from __future__ import annotations

import os
from collections import defaultdict
from typing import Any, cast

import pandas as pd

from caseline.io.standards import sdtm_events as ev
from caseline.io.standards.casebuild import CaseDraft, apply_suspect, finish_into, legible
from caseline.io.standards.dates import day_number, iso_date
from caseline.io.standards.model import ImportOptions, ImportResult, ImportWarning, Progress, UnreadableInput
from caseline.io.standards.provenance import set_source, timed
from caseline.io.standards.sdtm_frames import collapse_exposure, filter_labs
from caseline.io.standards.sdtm_tables import ADAM_DOMAIN, SDTM_DOMAINS, Table, adam_as_sdtm, read_table, study_files

_PREFERRED = (".json", ".ndjson", ".dsjc", ".xpt", ".csv")
_SEX = {"M": "male", "F": "female", "U": "unknown", "UNDIFFERENTIATED": "undifferentiated"}


def dataset_paths(paths: list[str]) -> list[str]:
    """The dataset files of ``paths`` (study folders are expanded)."""
    files: list[str] = []
    for path in paths:
        files.extend(study_files(path) if os.path.isdir(path) else [path])
    return files


def _choose(tables: list[Table], warnings: list[ImportWarning]) -> dict[str, Table]:
    """One table per domain. The same domain in two formats (ae.xpt and ae.json) is read once;
    an ADaM dataset is used only where its SDTM domain is absent (SDTM dates are as stated)."""
    chosen: dict[str, Table] = {}
    rank = {ext: i for i, ext in enumerate(_PREFERRED)}

    def order(table: Table) -> int:
        return rank.get(os.path.splitext(table.file)[1].lower(), len(rank))

    sdtm = [t for t in tables if t.name in SDTM_DOMAINS]
    adam = [t for t in tables if t.name in ADAM_DOMAIN]
    for table in sorted(sdtm, key=order) + sorted(adam, key=order):
        table = adam_as_sdtm(table) if table.name in ADAM_DOMAIN else table
        if table.name in chosen:
            warnings.append(
                ImportWarning(
                    table.file, f"{table.name} is also in {os.path.basename(chosen[table.name].file)}; that one is used"
                )
            )
            continue
        chosen[table.name] = table
    skipped = sorted({t.name for t in tables if t.name not in SDTM_DOMAINS and t.name not in ADAM_DOMAIN})
    if skipped:
        warnings.append(
            ImportWarning(
                tables[0].file if tables else "",
                "datasets not imported: " + ", ".join(skipped),
                hint="the importer maps DM, EX/EC, AE, CM, LB, MH, DS, PR and their ADaM forms",
            )
        )
    return chosen


def _bucket(frame: pd.DataFrame | None) -> dict[str, list[dict[str, Any]]]:
    buckets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if frame is None or frame.empty or "USUBJID" not in frame.columns:
        return buckets
    for record in frame.to_dict("records"):
        buckets[str(record["USUBJID"])].append(cast(dict[str, Any], record))
    return buckets


def convert_study(
    paths: list[str],
    options: ImportOptions,
    subject: str | None = None,
    suspect: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Convert the SDTM/ADaM datasets in ``paths`` (files or study folders) into one case per subject."""
    result = ImportResult()
    tables: list[Table] = []
    for path in dataset_paths(paths):
        try:
            tables.append(read_table(path))
        except UnreadableInput as exc:
            result.warnings.append(exc.warning)
    if not tables:
        if not result.warnings:
            result.warnings.append(ImportWarning(", ".join(paths), "no SDTM or ADaM datasets found", error=True))
        return result
    domains = _choose(tables, result.warnings)
    files = {name: os.path.basename(table.file) for name, table in domains.items()}
    frames = {name: table.frame for name, table in domains.items()}
    dm = frames.get("DM")
    dm_rows: dict[str, dict[str, Any]] = {}
    if dm is not None and "USUBJID" in dm:
        dm_rows = {str(r["USUBJID"]): cast(dict[str, Any], r) for r in dm.to_dict("records")}
    subjects = list(dm_rows)
    for name, frame in frames.items():
        if name != "DM" and "USUBJID" in frame.columns:
            subjects.extend(s for s in pd.unique(frame["USUBJID"].astype(str)) if s not in dm_rows)
    subjects = list(dict.fromkeys(subjects))
    if subject is not None:
        wanted = subject.strip().lower()
        subjects = [
            s for s in subjects if s.lower() == wanted or ev.text(dm_rows.get(s, {}), "SUBJID").lower() == wanted
        ]
        if not subjects:
            result.warnings.append(
                ImportWarning(
                    ", ".join(files.values()),
                    f"no subject {subject!r} in the study",
                    hint="give a USUBJID or SUBJID from DM",
                    error=True,
                )
            )
            return result
    exposure_prefix = "EX" if "EX" in frames else ("EC" if "EC" in frames else "")
    exposure = frames.get(exposure_prefix) if exposure_prefix else None
    if exposure is not None and exposure_prefix == "EC" and "ECOCCUR" in exposure.columns:
        exposure = exposure[exposure["ECOCCUR"].astype(str).str.upper() != "N"]
    if "EX" in frames and "EC" in frames:
        result.warnings.append(ImportWarning(files["EC"], "EC not imported: EX holds the same exposure"))
    lab = frames.get("LB")
    if lab is not None:
        references = None
        if options.lab_window is not None and dm is not None:
            ordinal = {s: day_number(iso_date(ev.text(r, "RFSTDTC"))) for s, r in dm_rows.items()}
            references = lab["USUBJID"].astype(str).map(ordinal).astype(float)
        lab = filter_labs(lab, options, references)
    buckets = {name: _bucket(frame) for name, frame in frames.items() if name not in ("DM", "EX", "EC", "LB")}
    runs = _bucket(collapse_exposure(exposure, exposure_prefix) if exposure is not None else None)
    lab_rows = _bucket(lab)
    empty: list[str] = []
    for done, key in enumerate(subjects):
        if progress is not None:
            progress(done, len(subjects), f"subject {key}")
        draft = _subject_case(
            key,
            dm_rows.get(key, {}),
            files,
            options,
            suspect,
            exposure_prefix,
            runs.get(key, []),
            lab_rows.get(key, []),
            {name: rows.get(key, []) for name, rows in buckets.items()},
        )
        if not draft.events and subject is None and not options.include_noise:
            empty.append(key)  # screen failures: DM only
            continue
        finish_into(draft, options, result)
    if empty:
        result.warnings.append(
            ImportWarning(
                files.get("DM", ""),
                f"{len(empty)} subjects with no records beyond DM "
                f"(screen failures?) not imported: {', '.join(empty[:5])}" + (", ..." if len(empty) > 5 else ""),
                hint="name one with --subject, or include noise, to import it",
            )
        )
    if progress is not None:
        progress(len(subjects), len(subjects), "done")
    return result


def _subject_case(
    key: str,
    dm: dict[str, Any],
    files: dict[str, str],
    options: ImportOptions,
    suspect: str | None,
    prefix: str,
    runs: list[dict[str, Any]],
    lab_rows: list[dict[str, Any]],
    rows: dict[str, list[dict[str, Any]]],
) -> CaseDraft:
    study = ev.text(dm, "STUDYID")
    arm = ev.text(dm, "ACTARM") or ev.text(dm, "ARM")
    title = f"{study + ' ' if study else ''}subject {key}" + (f" ({arm})" if arm else "")
    draft = CaseDraft("sdtm", key, title, tuple(sorted(set(files.values()))), "subject")
    draft.arm = arm
    draft.identify(key, ev.text(dm, "SUBJID"))
    if ev.text(dm, "BRTHDTC"):
        draft.identify(f"born {ev.text(dm, 'BRTHDTC')}")
    age, unit = ev.text(dm, "AGE"), ev.text(dm, "AGEU").lower()
    if age:
        draft.patient["age"] = age if unit in ("", "years", "year") else f"{age} {unit}"
    if ev.text(dm, "SEX"):
        draft.patient["sex"] = _SEX.get(ev.text(dm, "SEX").upper(), ev.text(dm, "SEX").lower())
    reference = iso_date(ev.text(dm, "RFSTDTC"))
    has_reference = reference is not None and len(reference) == 10
    if has_reference:
        # Day 0 is the reference start itself, not the suspect's first dose: another suspect (--suspect, the
        # window's picker) or a first EX record after RFSTDTC would otherwise contradict the anchor date.
        draft.case["anchor"] = "day 0"
        draft.case["anchor_date"] = reference
        draft.case["anchor_label"] = "study day 1 (reference start)"
    if arm:
        draft.case["summary"] = f"Arm: {arm}."
    subject = ev.Subject(draft, options, files, has_reference)
    subject.withdrawals = {
        ev.text(r, "DSLNKID"): r
        for r in rows.get("DS", [])
        if ev.text(r, "DSLNKID") and "TREATMENT" in ev.text(r, "DSSCAT").upper()
    }
    if runs:
        subject.suspect_id = ev.exposure_events(subject, runs, prefix, suspect)
    elif ev.text(dm, "RFXSTDTC") and arm and ev.text(dm, "ARMCD").upper() not in ("SCRNFAIL", "NOTASSGN"):
        subject.suspect_id = _treatment_from_dm(subject, dm, arm)
    if subject.suspect_id:
        suspect_event = next(e for e in draft.events if e["id"] == subject.suspect_id)
        lane = suspect_event["lane"]
        ends = [e["end"] for e in draft.events if e.get("lane") == lane and isinstance(e.get("end"), dict)]
        subject.suspect_end = (
            ends[-1]
            if ends
            else (
                timed(iso_date(ev.text(dm, "RFXENDTC")), f"RFXENDTC {ev.text(dm, 'RFXENDTC')}")
                if ev.text(dm, "RFXENDTC")
                else None
            )
        )
        draft.suspect["drug"] = subject.suspect_id
    ev.disposition(subject, rows.get("DS", []))
    adverse = ev.adverse_events(subject, rows.get("AE", []))
    first = next((e for e in draft.events if e["id"] == subject.suspect_id), None)
    first_time = (first.get("start") or {}).get("time") if first else None
    ev.concomitant(subject, rows.get("CM", []), first_time or reference)
    ev.labs(subject, lab_rows)
    ev.history(subject, rows.get("MH", []))
    ev.procedures(subject, rows.get("PR", []))
    if (ev.text(dm, "DTHFL").upper() == "Y" or ev.text(dm, "DTHDTC")) and not subject.death_added:
        death = {
            "id": "death",
            "kind": "milestone",
            "type": "death",
            "label": "Death",
            "at": subject.time(dm, "DTHDTC"),
        }
        draft.add(set_source(death, f"DM USUBJID={key}", [f"from {files.get('DM', 'DM')}", "DTHFL Y"]))
    if suspect is not None and not any(
        suspect.lower() in str(e.get("drug", "")).lower() for e in draft.events if e["id"] == subject.suspect_id
    ):
        apply_suspect(draft, suspect)
    if draft.suspect.get("drug") != subject.suspect_id:
        _action_to_notes(adverse)
    _choose_reaction(draft, adverse)
    return draft


def _treatment_from_dm(subject: ev.Subject, dm: dict[str, Any], arm: str) -> str:
    """Without EX, the study treatment course is DM's first to last exposure (RFXSTDTC-RFXENDTC)."""
    event: dict[str, Any] = {
        "id": "study-treatment",
        "kind": "drug",
        "drug": legible(arm),
        "lane": legible(arm),
        "role": "suspected",
        "start": subject.time(dm, "RFXSTDTC"),
    }
    end = subject.time(dm, "RFXENDTC")
    if end["time"] != "unknown":
        event["end"] = end
    set_source(
        event,
        f"DM USUBJID={ev.text(dm, 'USUBJID')}",
        [
            f"from {subject.files.get('DM', 'DM')}",
            "no EX domain: course from RFXSTDTC to RFXENDTC",
            f"ARM {ev.text(dm, 'ARM')!r}",
        ],
    )
    return str(subject.draft.add(event)["id"])


def _action_to_notes(adverse: list[dict[str, Any]]) -> None:
    """AEACN is the action taken with the study treatment: when ``--suspect`` names another drug, the
    format's ``action_taken`` (the suspected drug's) cannot hold it, and it goes back to the note."""
    words = {value: column.lower() for column, value in ev.ACTION.items()}
    for event in adverse:
        action = event.pop("action_taken", None)
        if action is not None and action not in ("not_applicable", "unchanged"):
            note = f"Action taken with the study treatment (AEACN): {words[action]}."
            event["note"] = " ".join(filter(None, [event.get("note", ""), note]))


def _choose_reaction(draft: CaseDraft, adverse: list[dict[str, Any]]) -> None:
    """The reaction: the AE that led to withdrawal, else the first AE judged related (AEREL, in the
    case's causality list; suspect.causality is not written, as the case details would say it twice)."""
    stops = {e["id"].removesuffix("-stop") for e in draft.events if e["kind"] == "dechallenge"}
    chosen = next((e for e in adverse if e["id"] in stops), None)
    if chosen is None:
        related = {entry["reaction"] for entry in draft.case.get("causality", [])
                   if not any(n in entry["value"].upper() for n in ev.NOT_RELATED)}
        chosen = next((e for e in adverse if e["id"] in related), None)
    if chosen is not None:
        draft.suspect["reaction_event"] = chosen["id"]
        draft.suspect["reaction"] = chosen["label"]
