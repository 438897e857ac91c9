"""The extraction rules of ``data/review/extract.yaml``, loaded and compiled once per process.

Cue words, heading patterns and clause patterns are data so that a new report style is a YAML
edit; this module only compiles them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sifund.core.packaged import data_yaml


@dataclass(frozen=True, eq=False)
class Rules:
    raw: dict[str, Any]
    headings: list[tuple[int, re.Pattern[str]]]
    measures: list[tuple[str, re.Pattern[str]]]
    share_refs: list[tuple[re.Pattern[str], str]]
    plans: dict[str, tuple[int, int]]

    def re(self, key: str) -> re.Pattern[str]:
        """A compiled top-level or dotted ("header.region") pattern."""
        return _compile(key)


@cache
def _compile(key: str) -> re.Pattern[str]:
    node: Any = rules().raw
    for part in key.split("."):
        node = node[part]
    return re.compile(node)


@cache
def rules() -> Rules:
    raw = data_yaml("review", "extract.yaml")
    return Rules(
        raw=raw,
        headings=[(int(h["level"]), re.compile(h["re"])) for h in raw["headings"]],
        measures=[(m, re.compile(p)) for m, p in raw["measures"].items()],
        share_refs=[(re.compile(s["re"]), s["of"]) for s in raw["share_refs"]],
        plans={k: (int(v[0]), int(v[1])) for k, v in raw["plans"].items()},
    )
