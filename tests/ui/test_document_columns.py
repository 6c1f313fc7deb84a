"""A document's loading thread makes the layout columns of its cases (issue 18: a live reload only composes on
the GUI thread); a reload or closing the document lets go of the old ones."""

from __future__ import annotations

import shutil

from caseline.layout.case_columns import PREPARED
from caseline.ui.documents import Document
from support import INFLIXIMAB


def test_a_reload_makes_the_new_columns_and_lets_the_old_go(qtbot, tmp_path) -> None:
    path = tmp_path / INFLIXIMAB.name
    shutil.copy(INFLIXIMAB, path)
    document = Document(str(path))
    with qtbot.waitSignal(document.loaded, timeout=10000):
        document.reload()
    first = list(document.cases)
    assert first and all(PREPARED.take(case, None) is not None for case in first)
    with qtbot.waitSignal(document.loaded, timeout=10000):
        document.reload()
    second = list(document.cases)
    assert all(a is not b for a, b in zip(first, second, strict=True))  # new case objects
    assert all(PREPARED.take(case, None) is not None for case in second)
    assert all(PREPARED.take(case, None) is None for case in first)
    document.close()
    assert all(PREPARED.take(case, None) is None for case in second)
