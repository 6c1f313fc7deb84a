"""YAML as the JSON Schema sees it: safe_load, with dates kept as the text caseline reads."""

from __future__ import annotations

from typing import Any

import yaml


class DatesAsTextLoader(yaml.SafeLoader):
    """safe_load, but 2010-02-14 stays the text caseline reads (not a datetime.date)."""


DatesAsTextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_text(text: str) -> Any:
    return yaml.load(text, Loader=DatesAsTextLoader)
