"""The ICH E2B(R3) code lists the importer reads, and how each maps onto a field of the case format.

A reaction's seriousness criteria (E.i.3.2a-f), its outcome (E.i.7), the action taken with a drug
(G.k.8) and a drug-reaction assessment (G.k.9.i.2) each have a structured home in the case format
(docs/case-format.md, "A reaction's seriousness, outcome, grade and action taken" and "Reported
causality"): the details panel, the Causality tab, ``caseline table`` and the exports read those
fields, not notes. Only what the format cannot hold is written as a note.
"""

from __future__ import annotations

from typing import Any

SEX = {"1": "male", "2": "female"}
AGE_UNITS = {"a": "", "mo": "months", "wk": "weeks", "d": "days", "h": "hours", "{decade}": "decades"}

#: E.i.7, ICH code list 2.16.840.1.113883.3.989.2.1.1.11 -> a symptom's ``outcome``. Every E2B(R3) code
#: has an exact value. Any other code (E2B(R2) numbered "unknown" 6, and some senders have sent 6 for
#: "recovering") is not guessed at: it stays in the note, with a warning.
OUTCOME = {
    "0": "unknown",
    "1": "recovered",  # recovered/resolved
    "2": "recovering",  # recovering/resolving
    "3": "not_recovered",  # not recovered/not resolved/ongoing
    "4": "recovered_with_sequelae",  # recovered/resolved with sequelae
    "5": "fatal",
}
#: E.i.3.2a-f, by the ICH observation code of each criterion -> a symptom's ``seriousness`` values.
SERIOUS = {
    "34": "death",  # E.i.3.2a results in death
    "21": "life_threatening",  # E.i.3.2b
    "33": "hospitalisation",  # E.i.3.2c caused / prolonged hospitalisation
    "35": "disability",  # E.i.3.2d disabling / incapacitating
    "12": "congenital_anomaly",  # E.i.3.2e congenital anomaly / birth defect
    "26": "other_medically_important",  # E.i.3.2f other medically important condition
}
#: FDA.E.i.3.2h "required intervention" (FDA regional code 7): not an ICH E2A criterion, so the format's
#: seriousness list has no value for it; it stays in the reaction's note.
FDA_CRITERIA = "2.16.840.1.113883.3.989.5.1.2.2.1.3"
FDA_INTERVENTION = "7"
ROLE = {"1": "suspect", "2": "concomitant", "3": "interacting", "4": "drug not administered"}
#: G.k.8, ICH code list 2.16.840.1.113883.3.989.2.1.1.15: (words, the format's ``action_taken``).
ACTION = {
    "1": ("drug withdrawn", "withdrawn"),
    "2": ("dose reduced", "dose_reduced"),
    "3": ("dose increased", "dose_increased"),
    "4": ("dose not changed", "unchanged"),
    "0": ("unknown", "unknown"),
    "9": ("not applicable", "not_applicable"),
}
RECURRENCE = {
    "1": "rechallenge: reaction recurred",
    "2": "rechallenge: reaction did not recur",
    "3": "rechallenge: recurrence unknown",
    "4": "no rechallenge",
}
TEST_RESULT = {"1": "positive", "2": "negative", "3": "borderline", "4": "inconclusive"}
#: G.k.7.r.2b: the MedDRA code of "Product used for unknown indication", which is no diagnosis.
UNKNOWN_INDICATION = "10057097"


def seriousness(flags: dict[str, str]) -> list[str]:
    """The ``seriousness`` list from the E.i.3.2 flags (criterion code -> BL value as written).

    A criterion marked ``true`` is met. ``not_serious`` only when all six are stated ``false``: the
    usual ``nullFlavor="NI"`` says nothing either way, so it leaves the field out."""
    met = [value for code, value in SERIOUS.items() if flags.get(code) == "true"]
    if not met and all(flags.get(code) == "false" for code in SERIOUS):
        return ["not_serious"]
    return met


def causality_scale(method: str) -> str:
    """The format's ``scale`` of a G.k.9.i.2.r.2 method as written; ``other`` for the rest (global
    introspection, company algorithms), whose name then goes in the entry's note."""
    words = method.lower()
    if "naranjo" in words:
        return "naranjo"
    if "rucam" in words or "roussel" in words:
        return "rucam"
    if "who" in words and "umc" in words:
        return "who-umc"
    return "other"


def assessor(source: str) -> str:
    """G.k.9.i.2.r.1 as the entry's ``by``: ``PRIMARY SOURCE REPORTER`` -> ``primary source reporter``."""
    text = " ".join(source.split())
    return text.lower() if text.isupper() else text


def causality_entry(drug: str, reaction: str, result: str, method: str, source: str) -> dict[str, Any]:
    """One entry of the case's ``causality`` list: result as ``value``, source as ``by``, and the
    method as ``scale`` where the format names it, else in the ``note``."""
    scale = causality_scale(method)
    entry: dict[str, Any] = {"drug": drug, "reaction": reaction, "scale": scale, "value": result}
    if source:
        entry["by"] = assessor(source)
    if method and scale == "other":
        entry["note"] = f"method: {method} (G.k.9.i.2.r.2)"
    return entry
