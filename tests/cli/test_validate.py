"""`caseline validate` as a real subprocess on every file of the broken-file corpus.

tests/io/broken/expected.txt lists, for each file, the exit code and every problem it must print
(FILE:LINE:COL and a message fragment). Files that cannot be committed sensibly (binary, UTF-16,
50 MB) are generated here in tmp_path.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BROKEN = HERE.parent / "io" / "broken"
SAMPLES = HERE.parents[1] / "sample_cases"
TIMEOUT = 20  # seconds: catches hangs; each run takes well under a second


def _expected() -> dict[str, tuple[int, list[tuple[str, str]]]]:
    table: dict[str, tuple[int, list[tuple[str, str]]]] = {}
    problems: dict[str, list[tuple[str, str]]] = defaultdict(list)
    codes: dict[str, int] = {}
    for raw in (BROKEN / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        name, code, where, fragment = (part.strip() for part in raw.split(" | ", 3))
        assert codes.setdefault(name, int(code)) == int(code), f"{name}: two exit codes"
        problems[name].append((where, fragment))
    for name, code in codes.items():
        table[name] = (code, problems[name])
    return table


EXPECTED = _expected()


def run_validate(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseline", "validate", *map(str, paths)],
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )


def problem_lines(result: subprocess.CompletedProcess[str], path: Path | str) -> list[str]:
    """Printed problems about ``path`` (errors go to stdout, warnings and 'ok' to stderr)."""
    prefix = f"{path}:"
    return [line for line in (result.stdout + result.stderr).splitlines()
            if line.startswith(prefix) and not line.startswith(f"{path}: ok (")]


def check_output(result: subprocess.CompletedProcess[str], path: Path | str, code: int,
                 problems: list[tuple[str, str]]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, output
    printed = problem_lines(result, path)
    for where, fragment in problems:
        prefix = f"{path}:{where}: "
        matching = [line for line in printed if line.startswith(prefix) and fragment in line]
        assert matching, f"expected '{prefix}...{fragment}...' in:\n{output}"
    errors = [line for line in printed if ": warning: " not in line]
    expected_errors = [p for p in problems if not p[1].startswith("warning:")]
    assert len(errors) == len(expected_errors), f"expected {len(expected_errors)} errors:\n{output}"


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.name != "expected.txt"}
    assert on_disk == set(EXPECTED), "every broken file needs a line in expected.txt and vice versa"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file(name: str) -> None:
    code, problems = EXPECTED[name]
    path = BROKEN / name
    check_output(run_validate(path), path, code, problems)


def test_three_errors_are_all_printed() -> None:
    path = BROKEN / "three-errors.caseline.yaml"
    result = run_validate(path)
    assert len([line for line in result.stdout.splitlines() if line.startswith(f"{path}:")]) == 3


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.caseline.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    check_output(run_validate(path), path, 2, [("1:1", "binary file")])


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "utf16.caseline.yaml"
    path.write_text("caseline: 1\ncase: {id: u, title: U, events: []}\n", encoding="utf-16")
    check_output(run_validate(path), path, 2, [("1:1", "file is UTF-16 encoded")])


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.caseline.yaml"
    line = "    - {id: e%07d, kind: symptom, label: Filler, start: day 1}\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("caseline: 1\ncase:\n  id: huge\n  title: Huge\n  events:\n")
        size, n = 0, 0
        while size < 50 * 1024 * 1024:
            chunk = "".join(line % (n + k) for k in range(10_000))
            handle.write(chunk)
            size += len(chunk)
            n += 10_000
    result = run_validate(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}: file is 5" in result.stdout and "larger than" in result.stdout


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.caseline.yaml"
    result = run_validate(path)
    assert result.returncode == 2
    assert f"{path}: file not found" in result.stdout


@pytest.mark.parametrize("name", ["infliximab-pyoderma.caseline.yaml", "infliximab-pyoderma.events.csv"])
def test_samples_are_valid(name: str) -> None:
    path = SAMPLES / name
    result = run_validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert f"{path}: ok (1 case)" in result.stderr


def test_several_files_worst_status_wins() -> None:
    good = SAMPLES / "infliximab-pyoderma.caseline.yaml"
    errors = BROKEN / "three-errors.caseline.yaml"
    unreadable = BROKEN / "empty.caseline.yaml"
    assert run_validate(good, errors).returncode == 1
    result = run_validate(good, errors, unreadable)
    assert result.returncode == 2
    assert len(problem_lines(result, errors)) == 3
