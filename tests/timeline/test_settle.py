"""What a load leaves for the collector (issue 18): resolved cases hold no reference cycles, so moving them out
of the cyclic collector's sight after a load (``settle_loaded``, the window's loading thread) frees them as
ever when their document closes, and the collector no longer walks them again on the GUI thread."""

from __future__ import annotations

import gc

import pytest

from caseline.layout.case_columns import PREPARED, prepare_columns
from caseline.timeline.load import load_file, settle_loaded
from support import SAMPLES

FILES = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".yaml", ".csv") and ".caseset." not in p.name)


@pytest.mark.parametrize("name", FILES)
def test_resolved_cases_and_their_columns_hold_no_reference_cycles(name) -> None:
    result = load_file(SAMPLES / name)
    assert result.ok and result.cases
    prepare_columns(result.cases)  # the columns hold their case, and their numeric tracks
    gc.collect()  # the reader's own garbage cycles (PyYAML's composer leaves some)
    gc.disable()
    try:
        PREPARED.forget(result.cases)
        del result
        assert gc.collect() == 0, "dropping the resolved cases left cycles only the collector frees"
    finally:
        gc.enable()


def test_settling_a_load_freezes_what_it_made_and_frees_the_readers_garbage() -> None:
    gc.collect()
    frozen = gc.get_freeze_count()
    gc.disable()  # nothing collects before settling: the reader's garbage is still there
    result = load_file(SAMPLES / "bortezomib-myeloma.caseline.yaml")
    prepare_columns(result.cases)
    try:
        settle_loaded()
        assert gc.get_freeze_count() > frozen
        case = result.cases[0]
        assert gc.is_tracked(case.items[0]) and not any(o is case.items[0] for o in gc.get_objects())
        gc.enable()
        gc.unfreeze()
        assert gc.collect() == 0, "settling froze garbage cycles (they would never be freed)"
    finally:
        gc.enable()
        gc.unfreeze()
        PREPARED.forget(result.cases)


@pytest.mark.parametrize(("environment", "advised"), [(None, False), ("1", True)])
def test_numpy_does_not_advise_huge_pages_unless_the_environment_asks(environment, advised) -> None:
    """Huge-page advice stalled a fresh million-event layout 0.3-0.7 s in page faults (numpy/numpy#31590):
    importing caseline turns it off before numpy is imported, and a user's own setting wins."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if environment is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = environment
    code = "import caseline, numpy; print(numpy._core.multiarray._get_madvise_hugepage())"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    if sys.platform.startswith("linux"):
        assert out.stdout.strip() == str(advised)
    else:  # numpy advises huge pages on Linux only
        assert out.stdout.strip() == "False"
