"""Issue 11 at the command line: messages and exit statuses, never a hang or a traceback, never an input
overwritten.

``validate``, ``table``, ``export`` and the window (``open --screenshot``) run as real subprocesses on a
FIFO, a link to /dev/zero and a folder (a timeout catches a hang); each broken-file example of the issue
exits 1 from ``validate`` with FILE:LINE:COL; a reader that raises gives "internal error, please report"
and exit 2; writers report a full disk, a read-only folder and an output that is an input.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseline.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cases"
CASE = SAMPLES / "infliximab-pyoderma.caseline.yaml"
TIMEOUT = 60  # seconds: catches a hang (each run takes a second or two)


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "caseline", *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False, cwd=cwd)


def no_traceback(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


@pytest.fixture(params=["fifo", "dev-zero", "folder"])
def not_a_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "case.caseline.yaml"
    if request.param == "fifo":
        os.mkfifo(path)
        return path, "named pipe (FIFO)"
    if request.param == "dev-zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero")
        path.symlink_to("/dev/zero")
        return path, "is a device"
    path.mkdir()
    return path, "is a folder"


@pytest.mark.parametrize("command", ["validate", "table", "export"])
def test_commands_refuse_what_is_not_a_file(tmp_path: Path, not_a_file: tuple[Path, str], command: str) -> None:
    path, message = not_a_file
    extra = ["-o", str(tmp_path / "out.png")] if command == "export" else []
    result = run(command, path, *extra)
    output = no_traceback(result)
    assert result.returncode == 2, output
    assert f"{path}: " in output and message in output
    assert not (tmp_path / "out.png").exists()


def test_the_window_shows_a_message_for_what_is_not_a_file(tmp_path: Path, not_a_file: tuple[Path, str]) -> None:
    """The window loads the path, shows the problem in its tab and (here, headless) writes its picture."""
    path, _ = not_a_file
    shot = tmp_path / "window.png"
    result = run("open", "--screenshot", shot, "--size", "800x500", path)
    no_traceback(result)
    assert result.returncode == 1  # a tab without cases
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_a_case_set_listing_a_fifo_is_reported(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.caseline.yaml")
    caseset = tmp_path / "set.caseset.yaml"
    caseset.write_text("caseline: 1\ncaseset:\n  title: S\n  files: [pipe.caseline.yaml]\n", encoding="utf-8")
    result = run("export", caseset, "-o", tmp_path / "out.svg")
    output = no_traceback(result)
    assert result.returncode == 2 and "named pipe (FIFO)" in output


# --------------------------------------------------------------------------- broken files exit 1

HEAD = "caseline: 1\ncase:\n  id: c\n  title: T\n  anchor: d#1\n{extra}  events:\n" \
       "    - {{id: d, kind: drug, drug: x, schedule: {{at: [day 0, day 7]}}}}\n"
NINE = "9" * 5000
BROKEN = {
    "superscript-date.caseline.yaml": HEAD.format(extra="") + "    - {id: a, kind: symptom, label: A, "
                                                              "start: February ²}\n",
    "circled-digit.caseline.yaml": HEAD.format(extra="") + "    - {id: a, kind: symptom, label: A, start: early ①}\n",
    "float-tag.caseline.yaml": HEAD.format(extra="") + "    - {id: a, kind: drug, drug: y, dose: !!float r, "
                                                       "start: day 1}\n",
    "int-tag.caseline.yaml": HEAD.format(extra="") + "    - {id: a, kind: drug, drug: y, dose: !!int '', "
                                                     "start: day 1}\n",
    "bool-tag.caseline.yaml": HEAD.format(extra="") + "    - {id: a, kind: symptom, label: A, ongoing: !!bool r, "
                                                      "start: day 1}\n",
    "big-int.caseline.yaml": HEAD.format(extra="") + f"    - {{id: a, kind: drug, drug: y, dose: {NINE}, "
                                                     "start: day 1}\n",
    "big-index.caseline.yaml": HEAD.format(extra="") + f"    - {{id: a, kind: symptom, label: A, start: d#{NINE}}}\n",
    "nan-year.caseline.yaml": HEAD.format(extra="  citation: {year: nan}\n"),
    "inf-year.caseline.yaml": HEAD.format(extra="  citation: {year: 1e999}\n"),
    "off-calendar.caseline.yaml": HEAD.format(extra="  anchor_date: 2200-01-01\n") + "".join(
        f"    - {{id: e{i}, kind: symptom, label: B, start: 999 years after {'d' if i == 1 else f'e{i - 1}'}}}\n"
        for i in range(1, 10)),
    "ring.caseline.yaml": HEAD.format(extra="") + "".join(
        f"    - {{id: e{i}, kind: symptom, label: E, start: 1 day after e{(i + 1) % 160}}}\n" for i in range(160)),
    "big.caseline.json": '{"caseline": 1, "case": {"id": "c", "title": "T", "events": [{"id": "d", "kind": "drug", '
                         f'"drug": "x", "dose": {NINE}, "start": "day 0"}}]}}}}',
    "unicode-count.events.csv": "# caseline: 1\n# id: c\n# title: T\n# anchor: d#1\n"
                                "id,kind,drug,every,count,schedule_start\nd,drug,x,1 week,²,day 0\n",
    "big-count.events.csv": "# caseline: 1\n# id: c\n# title: T\n# anchor: d#1\n"
                            f"id,kind,drug,every,count,schedule_start\nd,drug,x,1 week,{NINE},day 0\n",
    "mac.events.csv": "# caseline: 1\r# id: c\r# title: T\r# anchor: a\rid,kind,label,start\ra,symptom,A,day 0\r"
                      "b,symptom,B,after zz\r",
}


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    for name, text in BROKEN.items():
        (folder / name).write_bytes(text.encode())
    return folder


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_example_exits_1_with_a_positioned_message(
        broken_files: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = broken_files / name
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    lines = [line for line in out.out.splitlines() if line.startswith(f"{path}:")]
    assert lines, out
    for line in lines:
        line_no, col = line[len(str(path)) + 1:].split(":")[:2]
        assert line_no.isdecimal() and col.isdecimal(), line


def test_validate_as_a_subprocess_prints_no_traceback(broken_files: Path) -> None:
    result = run("validate", *sorted(broken_files.iterdir()))
    no_traceback(result)
    assert result.returncode == 1


# --------------------------------------------------------------------------- the last-resort guard

@pytest.fixture
def broken_reader(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from caseline.io import registry

    found = registry.find_reader(str(CASE))
    assert found is not None

    def raises(_path: str) -> Any:
        raise RuntimeError("a bug in a reader")

    monkeypatch.setitem(registry._READERS, found.name, found.__class__(
        found.name, found.label, found.patterns, raises, found.identify, found.priority, found.accepts_directories))
    yield


@pytest.mark.parametrize("command", ["validate", "table", "export"])
def test_an_internal_error_exits_2_with_please_report(
        broken_reader: None, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["-o", str(tmp_path / "out.svg")] if command == "export" else []
    assert main([command, str(CASE), *extra]) == 2
    out = capsys.readouterr()
    assert f"{CASE}: internal error, please report" in out.out + out.err
    assert "a bug in a reader" in out.out + out.err
    assert not (tmp_path / "out.svg").exists()


# --------------------------------------------------------------------------- writers

def test_table_on_a_full_disk_reports_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import caseline.io.atomic_write as atomic_write

    out = tmp_path / "table.csv"
    out.write_text("old\n", encoding="utf-8")

    class FullDisk:
        def __init__(self, fd: int, mode: str) -> None:
            self.fd = fd

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            os.close(self.fd)

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_write.os, "fdopen", FullDisk)
    assert main(["table", str(CASE), "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert f"cannot write {out}: No space left on device" in err
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]  # no temporary file left


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_table_to_dev_full_is_refused_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", str(CASE), "-o", "/dev/full"]) == 3
    assert "cannot write /dev/full" in capsys.readouterr().err


def test_table_refuses_to_overwrite_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.caseline.yaml"
    case.write_bytes(CASE.read_bytes())
    link = tmp_path / "link.csv"
    link.symlink_to(case)
    for output in (case, link):
        assert main(["table", str(case), "-o", str(output)]) == 2
        assert "it is the input file" in capsys.readouterr().err
    assert case.read_bytes() == CASE.read_bytes()


def test_export_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    case = tmp_path / "case.caseline.yaml"
    case.write_bytes(CASE.read_bytes())
    result = run("export", case, "-o", case, "--format", "svg")
    output = no_traceback(result)
    assert result.returncode == 2 and "it is the input file" in output
    assert case.read_bytes() == CASE.read_bytes()


def test_table_to_a_symlink_writes_its_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["table", str(CASE), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("case_id,")


def test_atomic_write_syncs_the_file_and_the_folder_before_and_after_the_rename(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import caseline.io.atomic_write as atomic_write

    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    def replace(a: str, b: str) -> None:
        calls.append("rename")
        real_replace(a, b)

    monkeypatch.setattr(atomic_write.os, "fsync", fsync)
    monkeypatch.setattr(atomic_write.os, "replace", replace)
    atomic_write.atomic_write_bytes(tmp_path / "x.csv", b"data")
    assert calls == ["file", "rename", "folder"]


def test_a_screenshot_into_a_read_only_folder_reports(tmp_path: Path) -> None:
    folder = "/sys/kernel" if os.path.isdir("/sys/kernel") and os.getuid() == 0 else None
    if folder is None:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        folder = str(ro)
    shot = Path(folder) / "window.png"
    result = run("open", "--screenshot", shot, "--size", "800x500", CASE)
    output = no_traceback(result)
    assert result.returncode == 3, output
    assert f"cannot write {shot}" in output
    assert not shot.exists()


def test_a_screenshot_over_an_input_is_refused(tmp_path: Path) -> None:
    case = tmp_path / "case.caseline.yaml"
    case.write_bytes(CASE.read_bytes())
    result = run("open", "--screenshot", case, case)
    output = no_traceback(result)
    assert result.returncode == 2 and "it is the input file" in output
    assert case.read_bytes() == CASE.read_bytes()


# --------------------------------------------------------------------------- the window

def _window_tab(qtbot: Any, tmp_path: Path, path: Path) -> Any:
    from PySide6.QtCore import QSettings

    from caseline.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    tab = window.open_files([str(path)])[0]
    qtbot.waitUntil(lambda: tab.stack.currentWidget() is tab.error_page, timeout=10000)
    return tab


def test_the_window_shows_a_fifo_as_an_error(qtbot: Any, tmp_path: Path, not_a_file: tuple[Path, str]) -> None:
    path, message = not_a_file
    tab = _window_tab(qtbot, tmp_path, path)
    assert message in tab.error_page.toPlainText()


def test_the_window_shows_an_internal_error_as_an_error(qtbot: Any, tmp_path: Path, broken_reader: None) -> None:
    tab = _window_tab(qtbot, tmp_path, CASE)
    text = tab.error_page.toPlainText()
    assert "internal error, please report" in text and "Traceback" not in text


def test_the_window_shows_a_fifo_named_like_an_events_table(qtbot: Any, tmp_path: Path) -> None:
    """Named .csv, a FIFO once left the tab 'Loading...' for ever (the worker blocked in open())."""
    path = tmp_path / "events.csv"
    os.mkfifo(path)
    tab = _window_tab(qtbot, tmp_path, path)
    assert "named pipe (FIFO)" in tab.error_page.toPlainText()
