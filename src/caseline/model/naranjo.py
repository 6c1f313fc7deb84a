"""A user's answers to the Naranjo items of one drug-reaction pair, stored in the case file (``naranjo:``).

The timeline answers the temporal items itself (caseline.analysis.causality); the others (previous reports,
alternative causes, placebo, drug levels, a previous similar reaction) only a reader of the literature can
answer. A user's answer to a derived item overrides it (the aid shows both). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseline.model.diagnostics import SourcePos

#: The answer keys, in the order of the items of Naranjo et al. (1981).
NARANJO_KEYS = (
    "previous_reports", "reaction_after_drug", "improved_on_stopping", "reappeared_on_readministration",
    "alternative_causes", "placebo", "drug_levels", "dose_response", "previous_similar_reaction",
    "confirmed_by_objective_evidence",
)
#: The answers a key may take ("unknown": don't know).
NARANJO_ANSWERS = ("yes", "no", "unknown")


@dataclass(frozen=True, slots=True)
class NaranjoAnswers:
    """``naranjo: [{drug, reaction, answers: {previous_reports: yes, ...}, note}]``: one pair's answers."""

    drug: str  # event id of the drug
    reaction: str  # event id of the reaction
    answers: tuple[tuple[str, str], ...]  # (key, 'yes' | 'no' | 'unknown'), keys of NARANJO_KEYS
    note: str = ""
    pos: SourcePos | None = None

    def answer(self, key: str) -> str:
        return dict(self.answers).get(key, "")
