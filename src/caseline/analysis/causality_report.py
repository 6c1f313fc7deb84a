"""The causality aid in words, rows and JSON: one wording for ``caseline causality``, the window's Causality
panel and the comparison table's causality columns. Pure Python (pandas only for the table)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from caseline.analysis.causality import ANSWER_WORDS, NARANJO_ITEMS, Assessment, Challenge, assess
from caseline.analysis.metrics import interval_text
from caseline.timeline.resolved import Interval, ResolvedCase

if TYPE_CHECKING:
    import pandas as pd

AID_NOTE = ("An aid to a clinician's judgement, not a verdict: items the timeline cannot answer count 0 until "
            "answered (naranjo: in the case file). Naranjo et al., Clin Pharmacol Ther 1981;30:239-45; "
            "WHO-UMC system for standardised case causality assessment.")
ITEM_COLUMNS = [f"Q{item.number} {item.key}" for item in NARANJO_ITEMS]
TABLE_COLUMNS = [
    "case", "drug", "reaction",
    "latency from first dose", "latency min (days)", "latency best (days)", "latency max (days)",
    "latency from last dose", "last-dose latency min (days)", "last-dose latency best (days)",
    "last-dose latency max (days)",
    "dechallenge", "dechallenge rests on", "rechallenge", "rechallenge rests on",
    *ITEM_COLUMNS,
    "Naranjo total", "Naranjo category", "WHO-UMC", "WHO-UMC criteria met", "reported", "difference",
]
#: The columns the comparison table takes from the aid (one pair per case: the suspected drug's).
COMPARISON_COLUMNS = ["dechallenge", "rechallenge", "Naranjo (computed)", "WHO-UMC (computed)",
                      "causality reported"]


def _num(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


def numbers(value: Interval | None) -> tuple[float | None, float | None, float | None]:
    """(lo, best, hi) in days; an open side is empty, and so is the best of an interval open on a side."""
    if value is None:
        return None, None, None
    return _num(value.lo), _num(value.best) if value.is_bounded else None, _num(value.hi)


def evidence_words(assessment: Assessment, ids: Sequence[str]) -> str:
    return "; ".join(assessment.labels.get(i, i) for i in ids)


def challenge_words(assessment: Assessment, challenge: Challenge) -> str:
    rests = evidence_words(assessment, challenge.evidence)
    return f"{challenge.outcome}: {challenge.reason}" + (f" [rests on: {rests}]" if rests else "")


def reported_words(assessment: Assessment) -> str:
    return "; ".join(r.text for r in assessment.reported) or "none reported"


def rescue_words(assessment: Assessment) -> str:
    return "; ".join(r.text() for r in assessment.rescues) or "none recorded"


def text_lines(assessment: Assessment) -> list[str]:
    """The assessment of one pair as the lines ``caseline causality`` prints."""
    a = assessment
    lines = [f"{a.case_id}: {a.drug_name} - {a.reaction_name} ({a.drug} - {a.reaction})",
             f"  Latency from the first dose: {interval_text(a.latency)}; from the last dose before onset: "
             f"{interval_text(a.latency_last)}",
             f"  Dechallenge: {challenge_words(a, a.dechallenge)}",
             f"  Rechallenge: {challenge_words(a, a.rechallenge)}",
             f"  Rescue therapies (time from the start to the first improvement): {rescue_words(a)}",
             "  Naranjo items (answer, score, how it is answered):"]
    for answer in a.answers:
        by = "user" if answer.by_user else "timeline" if answer.item.derived else "-"
        lines.append(f"  {answer.item.number:>3}. {answer.item.question}")
        lines.append(f"       {ANSWER_WORDS[answer.answer]} ({answer.score:+d}) [{by}] {answer.reason}")
        if answer.evidence:
            lines.append(f"       rests on: {evidence_words(a, answer.evidence)}")
    lines.append(f"  Naranjo total: {a.total} ({a.category})")
    lines.append(f"  WHO-UMC: {a.who_umc}; criteria met: {'; '.join(a.who_criteria) or 'none'}")
    if a.who_missing:
        lines.append(f"    not met or not known: {'; '.join(a.who_missing)}")
    lines.append(f"  Reported: {reported_words(a)} | computed: Naranjo {a.total} ({a.category}), WHO-UMC {a.who_umc}")
    lines += [f"  DIFFERENCE: {d}" for d in a.differences]
    if a.note:
        lines.append(f"  Note on the answers: {a.note}")
    return lines


def report_text(cases: Sequence[ResolvedCase]) -> str:
    out = []
    for case in cases:
        found = assess(case)
        if not found:
            out.append(f"{case.id}: no suspected drug - reaction pair (suspect: drug and reaction_event)")
        for assessment in found:
            out += text_lines(assessment)
        out.append("")
    out.append(AID_NOTE)
    return "\n".join(out) + "\n"


def row(a: Assessment) -> dict[str, Any]:
    first, last = numbers(a.latency), numbers(a.latency_last)
    out: dict[str, Any] = {
        "case": a.case_id, "drug": a.drug_name, "reaction": a.reaction_name,
        "latency from first dose": interval_text(a.latency),
        "latency min (days)": first[0], "latency best (days)": first[1], "latency max (days)": first[2],
        "latency from last dose": interval_text(a.latency_last),
        "last-dose latency min (days)": last[0], "last-dose latency best (days)": last[1],
        "last-dose latency max (days)": last[2],
        "dechallenge": a.dechallenge.outcome, "dechallenge rests on": evidence_words(a, a.dechallenge.evidence),
        "rechallenge": a.rechallenge.outcome, "rechallenge rests on": evidence_words(a, a.rechallenge.evidence),
        "Naranjo total": a.total, "Naranjo category": a.category, "WHO-UMC": a.who_umc,
        "WHO-UMC criteria met": "; ".join(a.who_criteria), "reported": reported_words(a),
        "difference": "; ".join(a.differences),
    }
    for column, answer in zip(ITEM_COLUMNS, a.answers, strict=True):
        out[column] = f"{ANSWER_WORDS[answer.answer]} ({answer.score:+d})"
    return out


def causality_table(cases: Sequence[ResolvedCase]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame([row(a) for case in cases for a in assess(case)], columns=TABLE_COLUMNS)
    for column in TABLE_COLUMNS:
        if column.endswith("(days)"):
            frame[column] = frame[column].astype("Float64")
    frame["Naranjo total"] = frame["Naranjo total"].astype("Int64")
    return frame


def as_json(cases: Sequence[ResolvedCase]) -> dict[str, Any]:
    def interval(value: Interval | None) -> dict[str, Any] | None:
        lo, best, hi = numbers(value)
        return None if value is None else {"min": lo, "best": best, "max": hi, "text": interval_text(value)}

    def challenge(a: Assessment, c: Challenge) -> dict[str, Any]:
        return {"outcome": c.outcome, "reason": c.reason,
                "evidence": [{"id": i, "text": a.labels.get(i, i)} for i in c.evidence]}

    pairs = []
    for case in cases:
        for a in assess(case):
            pairs.append({
                "case": a.case_id, "drug": a.drug, "drug_name": a.drug_name, "reaction": a.reaction,
                "reaction_name": a.reaction_name, "latency_first_dose": interval(a.latency),
                "latency_last_dose": interval(a.latency_last),
                "dechallenge": challenge(a, a.dechallenge), "rechallenge": challenge(a, a.rechallenge),
                "naranjo": {
                    "items": [{"number": x.item.number, "key": x.item.key, "question": x.item.question,
                               "answer": x.answer, "score": x.score, "answered_by": "user" if x.by_user else
                               "timeline" if x.item.derived else "nobody", "reason": x.reason,
                               "timeline_answer": x.timeline_answer or None,
                               "evidence": [{"id": i, "text": a.labels.get(i, i)} for i in x.evidence]}
                              for x in a.answers],
                    "total": a.total, "category": a.category, "note": a.note},
                "who_umc": {"category": a.who_umc, "criteria_met": list(a.who_criteria),
                            "not_met": list(a.who_missing)},
                "reported": [{"scale": r.scale, "value": r.value, "text": r.text} for r in a.reported],
                "differences": list(a.differences),
            })
    return {"pairs": pairs, "note": AID_NOTE}


def comparison_cells(case: ResolvedCase) -> dict[str, str]:
    """The comparison table's causality cells of one case: its suspected drug - reaction pair (the first)."""
    found = assess(case, limit=1)
    if not found:
        return dict.fromkeys(COMPARISON_COLUMNS, "")
    a = found[0]
    return {"dechallenge": a.dechallenge.outcome, "rechallenge": a.rechallenge.outcome,
            "Naranjo (computed)": f"{a.total} ({a.category})", "WHO-UMC (computed)": a.who_umc,
            "causality reported": reported_words(a) if a.reported else ""}
