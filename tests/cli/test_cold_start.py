"""Cold start (issue 18): what the window imports before its first paint, checked on a real run.

``caseline --exit-after-paint CASE`` runs as a subprocess (offscreen, its own settings folder) and quits right
after the first paint of the laid-out timeline; the modules loaded by then are written out at exit. The
importers' pandas, the other commands and the export libraries must not be among them: they cost start-up
time and nothing on screen needs them. ``--exit-after-paint`` quits with no file and with several; the command
line still lists and parses every command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cases"
CASE = SAMPLES / "infliximab-pyoderma.caseline.yaml"
TIMEOUT = 60

#: Loaded later, by what needs them (a CSV table, an import, an export, a table dialog), never for a first paint.
NOT_BEFORE_FIRST_PAINT = (
    "pandas", "matplotlib", "scipy", "pyarrow", "jsonschema", "dateutil", "pyreadstat", "PIL",
    "caseline.cli.import_", "caseline.cli.export", "caseline.cli.table", "caseline.cli.validate",
    "caseline.cli.causality", "caseline.cli.slides", "caseline.render.exporters", "caseline.analysis.tables",
    "caseline.analysis.onset_summary", "caseline.ui.dialogs",
)

WRAPPER = """
import atexit, json, sys
out, case = sys.argv[1], sys.argv[2]
atexit.register(lambda: open(out, "w", encoding="utf-8").write(json.dumps(sorted(sys.modules))))
sys.argv = ["caseline", "--exit-after-paint", case]
from caseline.cli import main
sys.exit(main())
"""


def run_caseline(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=TIMEOUT, env=env,
                          check=False)


def test_first_paint_imports_no_pandas_nor_other_commands(tmp_path: Path) -> None:
    out = tmp_path / "modules.json"
    result = run_caseline(["-c", WRAPPER, str(out), str(CASE)], tmp_path)
    assert result.returncode == 0, result.stderr  # 0: quit after painting the loaded timeline (1: never painted)
    assert "Traceback" not in result.stderr
    modules = set(json.loads(out.read_text(encoding="utf-8")))
    # a real run: the case file was read and its timeline drawn
    assert {"caseline.io.case_document", "caseline.render.timeline_plot", "caseline.ui.main_window"} <= modules
    loaded = sorted(m for m in modules for name in NOT_BEFORE_FIRST_PAINT if m == name or m.startswith(name + "."))
    assert loaded == [], f"imported before the first paint: {loaded}"


def test_exit_after_paint_quits_with_no_file_and_with_tabs_behind_the_current_one(tmp_path: Path) -> None:
    empty = run_caseline(["-m", "caseline", "--exit-after-paint"], tmp_path)  # the empty page paints: no hang
    assert empty.returncode == 0, empty.stderr
    several = run_caseline(["-m", "caseline", "--exit-after-paint", str(CASE),
                            str(SAMPLES / "bortezomib-myeloma.caseline.yaml")], tmp_path)
    assert several.returncode == 0, several.stderr  # the shown tab painted once both timelines were laid out
    assert "Traceback" not in empty.stderr + several.stderr


def test_every_command_is_still_listed_and_parsed(tmp_path: Path) -> None:
    listed = run_caseline(["-m", "caseline", "--help"], tmp_path)
    assert listed.returncode == 0
    for command in ("open", "validate", "table", "export", "import", "causality"):
        assert f"    {command}" in listed.stdout, listed.stdout
    imported = run_caseline(["-m", "caseline", "import", "--help"], tmp_path)
    assert imported.returncode == 0 and "--labs {" in imported.stdout
    wrong = run_caseline(["-m", "caseline", str(CASE), "--no-such-option"], tmp_path)
    assert wrong.returncode == 2 and "unrecognized arguments: --no-such-option" in wrong.stderr
