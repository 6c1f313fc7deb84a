"""Files that ship with caseline (the JSON Schema of the case format, the .desktop file), found one way:
through the package, whether it runs from a checkout, an editable install or a wheel."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

SCHEMA = "caseline.schema.json"


def resource(name: str) -> Traversable:
    """A file of ``resources/`` (shipped as the package's ``caseline/resources`` data)."""
    return resources.files("caseline") / "resources" / name


def schema_text() -> str:
    """The JSON Schema of the case format."""
    return resource(SCHEMA).read_text(encoding="utf-8")
