"""Import from the standards users already hold: CDISC SDTM/ADaM, ICH E2B(R3), openFDA, HL7 FHIR R4,
GA4GH Phenopackets v2 and cBioPortal timelines.

Import is conversion: every converter returns plain dicts in the case-file format (what a
``.caseline.yaml`` holds), so the result is written, checked with ``caseline validate`` and edited
like any case file. Nothing here imports caseline's model, timeline or UI code, and nothing touches
the network.

Public entry points::

    identify(path) -> str | None             # "sdtm", "e2b", "openfda", "fhir", "phenopacket", "cbioportal"
    convert_paths(paths, subject=None, suspect=None, options=ImportOptions(), progress=None) -> ImportResult
    write_import(result, out_path, inputs=()) -> str

Each standard is one entry of :data:`STANDARDS` (label, identify, convert, whether it accepts
folders, priority), so the reader registry can list them without knowing their modules.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from caseline.io.standards import cbioportal, e2b, fhir, fhir_read, openfda, phenopacket, sdtm_tables
from caseline.io.standards.model import (
    CaseSummary,
    ImportOptions,
    ImportResult,
    ImportWarning,
    Progress,
    UnreadableInput,
)
from caseline.io.standards.writing import to_yaml, write_import

Converter = Callable[..., ImportResult]


@dataclass(frozen=True)
class Standard:
    """One importable standard, as the reader registry and the window's File > Import list it."""

    name: str
    label: str
    extensions: tuple[str, ...]
    accepts_folders: bool
    priority: int  # higher wins when two claim a file


def _convert_sdtm(
    path: str,
    options: ImportOptions,
    subject: str | None = None,
    suspect: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    from caseline.io.standards.sdtm import convert_study

    return convert_study([path], options, subject, suspect, progress)


STANDARDS: dict[str, Standard] = {
    "sdtm": Standard(
        "sdtm", "CDISC SDTM / ADaM (XPT, Dataset-JSON, CSV)", (".xpt", ".json", ".ndjson", ".dsjc", ".csv"), True, 50
    ),
    "e2b": Standard("e2b", "ICH E2B(R3) ICSR (XML)", (".xml",), False, 50),
    "openfda": Standard("openfda", "openFDA drug adverse events (JSON)", (".json",), False, 40),
    "fhir": Standard(
        "fhir", "HL7 FHIR R4 (Bundle, resource, NDJSON, Bulk export folder)", (".json", ".ndjson"), True, 30
    ),
    "phenopacket": Standard("phenopacket", "GA4GH Phenopacket v2 (JSON)", (".json",), False, 40),
    "cbioportal": Standard("cbioportal", "cBioPortal timeline (TSV)", (".txt", ".tsv"), False, 20),
}
CONVERTERS: dict[str, Converter] = {
    "sdtm": _convert_sdtm,
    "e2b": e2b.convert,
    "openfda": openfda.convert,
    "fhir": fhir.convert,
    "phenopacket": phenopacket.convert,
    "cbioportal": cbioportal.convert,
}
_HEAD = 1 << 16


def identify(path: str | os.PathLike[str]) -> str | None:
    """The standard a file or folder holds, judged by content (the extension only narrows it), or
    None for anything else, including caseline's own case files."""
    path = os.fspath(path)
    if os.path.isdir(path):
        datasets = sdtm_tables.study_files(path)
        if datasets:
            others = [os.path.join(path, n) for n in os.listdir(path) if os.path.join(path, n) not in datasets]
            mixed = any(os.path.isfile(o) and identify(o) not in (None, "sdtm") for o in others)
            return None if mixed else "sdtm"  # a folder mixing standards is opened file by file
        if fhir_read.is_bulk_folder(path):
            return "fhir"
        return None
    if sdtm_tables.sniff(path) is not None:
        return "sdtm"
    try:
        with open(path, "rb") as stream:
            head = stream.read(_HEAD)
    except OSError:
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "e2b" if e2b.identify(head) else None
    if text.startswith((b"{", b"[")):
        if b'"caseline"' in text[:200]:
            return None
        if openfda.identify(head):
            return "openfda"
        if phenopacket.identify(head) and b'"resourceType"' not in head:
            return "phenopacket"
        if fhir_read.identify_head(head):
            return "fhir"
        return None
    if cbioportal.identify(head):
        return "cbioportal"
    return None


def _inputs(paths: Sequence[str], warnings: list[ImportWarning], inside: bool = False) -> list[tuple[str, str]]:
    """(standard, path) for each input; a folder that is neither an SDTM study nor a Bulk export
    is opened and its files identified one by one (files there of no standard are only noted)."""
    found: list[tuple[str, str]] = []
    for path in paths:
        if not os.path.exists(path):
            warnings.append(ImportWarning(path, "no such file or folder", error=True, unreadable=True))
            continue
        standard = identify(path)
        if standard is not None:
            found.append((standard, path))
            continue
        if os.path.isdir(path):
            inner = [os.path.join(path, n) for n in sorted(os.listdir(path)) if not n.startswith(".")]
            found.extend(_inputs(inner, warnings, inside=True))
            continue
        warnings.append(
            ImportWarning(
                path,
                "not a file of a supported standard" + (": skipped" if inside else ""),
                hint="caseline imports SDTM/ADaM, E2B(R3) XML, openFDA JSON, FHIR R4, "
                "Phenopackets v2 and cBioPortal timelines",
                error=not inside,
                unreadable=not inside,
            )
        )
    return found


def convert_paths(
    paths: Sequence[str | os.PathLike[str]],
    subject: str | None = None,
    suspect: str | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Convert every input into cases (dicts in the case-file format).

    SDTM/ADaM files and folders given together form one study; every other file is converted on
    its own. ``subject`` keeps one subject or report (USUBJID, SUBJID, report id, patient id);
    ``suspect`` names the suspected drug (default: E2B role suspect, FHIR suspectEntity, the SDTM
    EX treatment). Unreadable inputs are reported in ``warnings`` with ``error=True``.
    """
    options = options or ImportOptions()
    result = ImportResult()
    found = _inputs([os.fspath(p) for p in paths], result.warnings)
    studies: dict[str, list[str]] = {}  # a study folder, or loose dataset files of one folder
    for standard, path in found:
        if standard == "sdtm":
            studies.setdefault(path if os.path.isdir(path) else os.path.dirname(path), []).append(path)
    others = [(standard, p) for standard, p in found if standard != "sdtm"]
    if studies:
        from caseline.io.standards.sdtm import convert_study

        for study in studies.values():
            result.extend(convert_study(study, options, subject, suspect, progress))
    for number, (standard, path) in enumerate(others):
        if progress is not None:
            progress(number, len(others), os.path.basename(path))
        try:
            result.extend(CONVERTERS[standard](path, options, subject=subject, suspect=suspect))
        except UnreadableInput as exc:
            result.warnings.append(exc.warning)
    _unique_ids(result)
    return result


def _unique_ids(result: ImportResult) -> None:
    """Case ids unique across inputs (two files may both have a patient 'example')."""
    seen: set[str] = set()
    for index, case in enumerate(result.cases):
        base, number = case["id"], 2
        while case["id"] in seen:
            case["id"] = f"{base}-{number}"
            number += 1
        seen.add(case["id"])
        summary = result.summaries[index]
        if summary.case_id != case["id"]:
            result.summaries[index] = CaseSummary(**{**summary.__dict__, "case_id": case["id"]})


__all__ = [
    "CONVERTERS",
    "STANDARDS",
    "CaseSummary",
    "ImportOptions",
    "ImportResult",
    "ImportWarning",
    "Standard",
    "UnreadableInput",
    "convert_paths",
    "identify",
    "to_yaml",
    "write_import",
]
