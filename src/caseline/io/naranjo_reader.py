"""The builder's reader of a case's ``naranjo:`` list (caseline.model.naranjo): the answers a user gives to the
Naranjo items of a drug-reaction pair, with a note. :class:`caseline.io.case_document.Builder` inherits it.

YAML reads a bare ``yes``/``no`` as true/false: both spellings are accepted; ``unknown`` (or "don't know")
is the third answer."""

from __future__ import annotations

from collections.abc import Sequence

from caseline.io.clinical_fields import pair_refs_ok
from caseline.io.located import LList, LMap
from caseline.io.value_reader import ValueReader
from caseline.model.case import Event
from caseline.model.finalize import IdHints
from caseline.model.naranjo import NARANJO_KEYS, NaranjoAnswers

NARANJO_ENTRY_KEYS = {"drug", "reaction", "answers", "note"}
#: At most this many answered pairs in one case.
MAX_NARANJO = 1_000
_WORDS = {True: "yes", False: "no", "yes": "yes", "no": "no", "unknown": "unknown", "don't know": "unknown",
          "dont know": "unknown", "not known": "unknown", "?": "unknown"}


class NaranjoReader(ValueReader):
    def naranjo(self, data: LMap, events: Sequence[Event]) -> tuple[NaranjoAnswers, ...]:
        """The case's ``naranjo:`` list; each drug and reaction must be an event of the case."""
        items = data.get("naranjo")
        if items is None:
            return ()
        example = "- {drug: ifx, reaction: weakness, answers: {previous_reports: yes, alternative_causes: no}}"
        if not isinstance(items, LList) or len(items) > MAX_NARANJO:
            self.error(data.where("naranjo"), "'naranjo' must be a list of answered drug-reaction pairs", example)
            return ()
        ids = {e.id: e for e in events}
        hints = IdHints(ids)
        out: list[NaranjoAnswers] = []
        for i, item in enumerate(items):
            entry = self.mapping(item, items.where(i), "a 'naranjo' entry")
            if entry is None:
                continue
            what = "a 'naranjo' entry"
            self.check_keys(entry, NARANJO_ENTRY_KEYS, what)
            drug, reaction = self.text(entry, "drug", True, what), self.text(entry, "reaction", True, what)
            ok = pair_refs_ok(self, entry, "naranjo", drug, reaction, ids, hints) and bool(drug and reaction)
            answers = self._answers(entry)
            if ok:
                out.append(NaranjoAnswers(drug, reaction, answers, self.text(entry, "note"), entry.pos))
        return tuple(out)

    def _answers(self, entry: LMap) -> tuple[tuple[str, str], ...]:
        raw = entry.get("answers")
        if raw is None:
            return ()
        answers = self.mapping(raw, entry.where("answers"), "'answers'")
        if answers is None:
            return ()
        self.check_keys(answers, set(NARANJO_KEYS), "'answers'")
        out = []
        for key in NARANJO_KEYS:
            if key not in answers:
                continue
            value = answers[key]
            word = _WORDS.get(value.strip().lower() if isinstance(value, str) else value) \
                if isinstance(value, str | bool) else None
            if word is None:
                self.error(answers.where(key), f"the answer to {key!r} must be yes, no or unknown",
                           f"got {value!r}")
                continue
            out.append((key, word))
        return tuple(out)
