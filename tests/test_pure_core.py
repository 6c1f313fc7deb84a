"""The core (model, io, timeline: resolution, table, layout) must never import Qt."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"

SCRIPT = textwrap.dedent("""
    import importlib, pkgutil, sys
    import caseline, caseline.model, caseline.io, caseline.timeline.resolver, caseline.analysis.tables
    import caseline.timeline
    names = []
    for package in (caseline.model, caseline.io, caseline.timeline):
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    names += ["caseline.cli"]
    for name in names:
        importlib.import_module(name)
    from caseline.timeline.load import load_file
    from caseline.analysis.tables import timeline_table
    for path in sys.argv[1:]:
        result = load_file(path)
        assert result.ok, result.diagnostics
        timeline_table(result.cases)
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6"))
    print("MODULES", len(names))
    print("QT", qt)
""")


def test_core_does_not_import_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SAMPLES / "infliximab-pyoderma.caseline.yaml"),
         str(SAMPLES / "infliximab-pyoderma.events.csv")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "QT []" in result.stdout, result.stdout
    assert int(result.stdout.split("MODULES")[1].split()[0]) >= 8


def test_validate_and_table_commands_do_not_import_qt(tmp_path) -> None:
    script = ("import sys, runpy\n"
              "from caseline.cli import main\n"
              "main(['validate', '-q', sys.argv[1]])\n"
              "main(['table', '-o', sys.argv[2], sys.argv[1]])\n"
              "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))\n")
    result = subprocess.run(
        [sys.executable, "-c", script, str(SAMPLES / "infliximab-pyoderma.caseline.yaml"), str(tmp_path / "table.csv")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]"), result.stdout
