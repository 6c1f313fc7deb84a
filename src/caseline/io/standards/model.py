"""What an import returns: plain case dicts, the problems met on the way, and a summary per case.

The converters produce exactly what a ``.caseline.yaml`` file holds (dicts, lists, text, numbers),
so nothing here depends on caseline's model classes, and the result can be written, edited and
validated like any hand-written case file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Called as ``progress(done, total, message)`` while a long import runs (the window's progress bar).
Progress = Callable[[int, int, str], None]

LAB_MODES = ("abnormal", "all", "none")


@dataclass(frozen=True)
class ImportOptions:
    """How much of the source to bring in. The defaults aim at a legible timeline, not a dump.

    ``labs``: ``abnormal`` (default: results flagged or outside their reference range), ``all`` or
    ``none``. ``lab_tests``: tests (codes or names, any case) always kept. ``lab_window``: keep only
    results from ``first`` to ``last`` day relative to day 0. ``relative_days``: write every time as
    days from day 0 and no calendar date. ``keep_duplicates``: keep records that repeat another
    exactly. ``include_noise``: keep what is skipped by default (ambulatory visits, vital signs
    without a flag, social-history findings, surveys, protocol milestones).
    ``caseset_limit``: with more cases than this, no ``caseset`` is written (a comparison of
    hundreds of cases is not legible).
    """

    labs: str = "abnormal"
    lab_tests: tuple[str, ...] = ()
    lab_window: tuple[float, float] | None = None
    relative_days: bool = False
    keep_duplicates: bool = False
    include_noise: bool = False
    caseset_limit: int = 20

    def __post_init__(self) -> None:
        if self.labs not in LAB_MODES:
            raise ValueError(f"labs must be one of {', '.join(LAB_MODES)}, not {self.labs!r}")


@dataclass(frozen=True)
class ImportWarning:
    """A problem in the source, located by file and line/column or by record key."""

    file: str
    message: str
    record: str = ""  # "AE AESEQ=3", "MedicationRequest/5c1", "ICSR US-X-1 drug 2"
    hint: str = ""
    line: int | None = None
    column: int | None = None
    error: bool = False  # True: the content could not be converted (exit status 1)
    unreadable: bool = False  # True: the input could not be read at all (exit status 2)

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}: {self.message}{hint}"
        if self.record:
            return f"{self.file}: record {self.record}: {self.message}{hint}"
        return f"{self.file}: {self.message}{hint}"


class UnreadableInput(Exception):
    """A file that cannot be read at all (missing, not the standard it claims, refused XML)."""

    def __init__(
        self, file: str, message: str, hint: str = "", line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.warning = ImportWarning(file, message, hint=hint, line=line, column=column, error=True, unreadable=True)

    def __str__(self) -> str:
        return str(self.warning)


@dataclass(frozen=True)
class CaseSummary:
    """One line of the window's picker: who, which arm, how much, and when exposure began."""

    case_id: str
    standard: str  # "sdtm", "e2b", "openfda", "fhir", "phenopacket", "cbioportal"
    subject: str  # subject or report id, as the source writes it (identifying: never exported)
    title: str
    arm: str = ""
    events: int = 0
    first_exposure: str = ""  # the suspected drug's first time, as written in the case
    suspect: str = ""  # the suspected drug's name
    files: tuple[str, ...] = ()


@dataclass
class ImportResult:
    """Cases (case-format dicts), warnings, and one summary per case, in the same order."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    summaries: list[CaseSummary] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    caseset: dict[str, Any] | None = None

    @property
    def has_errors(self) -> bool:
        return any(w.error for w in self.warnings)

    def extend(self, other: ImportResult) -> None:
        self.cases.extend(other.cases)
        self.summaries.extend(other.summaries)
        self.warnings.extend(other.warnings)

    def document(self) -> dict[str, Any]:
        """The case file: ``{"caseline": 1, "case": ...}`` or ``{"caseline": 1, "cases": [...]}``,
        with the ``caseset`` that lines several cases up when there is one."""
        doc: dict[str, Any] = {"caseline": 1}
        if len(self.cases) == 1:
            doc["case"] = self.cases[0]
        else:
            doc["cases"] = self.cases
            if self.caseset is not None:
                doc["caseset"] = self.caseset
        return doc

    def select(self, case_ids: set[str]) -> ImportResult:
        """The cases whose id is in ``case_ids`` (the picker's choice), with all warnings."""
        keep = [i for i, case in enumerate(self.cases) if case["id"] in case_ids]
        return ImportResult([self.cases[i] for i in keep], [self.summaries[i] for i in keep], list(self.warnings), None)
