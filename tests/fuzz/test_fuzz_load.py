"""Structure-aware fuzzing of the readers in the normal suite (issue 11): a few hundred mutants of the
sample files, each through ``load_file`` and ``caseline.load``.

Any input gets diagnostics with its file's position, never an exception and never the last-resort
"internal error" diagnostic. Speed is measured by ``make fuzz`` (tests/fuzz/run.py), not asserted here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caseline
from caseline.model.diagnostics import CaseFileError
from caseline.timeline.load import load_file
from fuzz.mutate import mutant, samples


def _load_checked(path: Path) -> None:
    result = load_file(path)
    assert not result.internal_error, [str(d) for d in result.diagnostics]
    for diagnostic in result.diagnostics:
        assert diagnostic.pos.file == str(path), str(diagnostic)
    if result.ok:
        assert caseline.load(path) is not None
    else:
        with pytest.raises(CaseFileError):
            caseline.load(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_mutants_of_the_samples_load_with_diagnostics(tmp_path: Path, seed: int) -> None:
    item = mutant(random.Random(seed))
    path = tmp_path / item.name
    path.write_text(item.text, encoding="utf-8", errors="surrogatepass", newline="")
    _load_checked(path)


def test_the_mutator_covers_every_sample() -> None:
    names = {name for name, _ in samples()}
    assert {"infliximab-pyoderma.events.csv", "bortezomib-myeloma.caseline.yaml"} <= names
    seen = {mutant(random.Random(seed)).steps[0] for seed in range(60)}
    assert seen == names
