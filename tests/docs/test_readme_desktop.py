"""README.md says what a new user needs on a desktop, and says it truly (pure: no Qt)."""

from __future__ import annotations

import argparse
import re

from caseline.ui.desktop import XCB_LIBRARIES
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_first_two_commands_are_make_run_and_make_test():
    block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands[:2] == ["make run", "make test"]


def test_readme_names_every_package_a_linux_desktop_needs():
    for _soname, package in XCB_LIBRARIES:
        assert package in README, package


def test_readme_lists_the_export_options_a_researcher_needs():
    from caseline.cli import export

    command = export.add_parser(argparse.ArgumentParser().add_subparsers())
    options = {option for action in command._actions for option in action.option_strings if option.startswith("--")}
    wanted = {"--preset", "--range", "--align", "--sort", "--caption", "--title", "--dpi", "--reveal-steps",
              "--deidentified", "--hold-back", "--theme", "--axis", "--font", "--format", "--no-settings-file"}
    assert wanted <= options  # the README must not promise an option the command lacks
    for option in wanted:
        assert re.search(rf"{re.escape(option)}\b", README), option


def test_readme_documents_the_window_features():
    for words in ("dragging pans", "F5", "Teaching", "De-identified", "Ctrl+E", "Table…", "Save set…",
                  "Reset settings", "Ctrl+L"):
        assert words in README, words
