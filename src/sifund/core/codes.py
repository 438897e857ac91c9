"""Codes for funds, items and measures, loaded once from ``data/codes.yaml``.

The code list is data: the names and aliases real reports use live in the YAML, so a new
alias is a one-line change there and never a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from sifund.core.packaged import data_yaml

Group = Literal["income", "expenditure", "balance", "people", "other"]

# The measures that are rates (percent of something), not amounts of an item's kind.
RATE_MEASURES: tuple[str, ...] = ("completion_rate", "yoy_rate")
# The unit an item's kind is written in (codes.yaml ``kind``); money is 万元 throughout sifund.
KIND_UNITS: dict[str, str] = {
    "money": "万元", "people": "人", "count": "人次", "yuan": "元", "months": "个月",
}  # fmt: skip


def unit_of_kind(kind: str | None) -> str:
    """The unit a value of ``kind`` is written in (万元 for money and for an unknown kind)."""
    return KIND_UNITS.get(kind or "money", "万元")


@dataclass(frozen=True)
class Fund:
    code: str
    name: str
    short: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    group: Group
    kind: str = "money"
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeBook:
    funds: dict[str, Fund]
    items: dict[str, Item]
    measures: dict[str, Measure]
    _fund_aliases: list[tuple[str, str]] = field(repr=False, default_factory=list)
    _item_aliases: list[tuple[str, str]] = field(repr=False, default_factory=list)

    def children(self, parent: str) -> list[str]:
        """Direct components of a total (``其中`` parts), in code-list order."""
        return [c for c, it in self.items.items() if it.parent == parent]

    def ancestors(self, code: str) -> list[str]:
        out, cur = [], self.items[code].parent
        while cur:
            out.append(cur)
            cur = self.items[cur].parent
        return out

    def fund_aliases(self) -> list[tuple[str, str]]:
        """(alias, code) pairs, longest alias first, for greedy matching in text."""
        return self._fund_aliases

    def item_aliases(self) -> list[tuple[str, str]]:
        return self._item_aliases

    def match_fund(self, text: str) -> str | None:
        """The fund whose longest alias occurs in ``text`` (whitespace ignored)."""
        t = _without_spaces(text)
        for alias, code in self._fund_aliases:
            if alias in t:
                return code
        return None

    def match_item_suffix(self, label: str) -> str | None:
        """The item whose longest alias ends ``label`` — labels read "<基金><项目>"."""
        t = _without_spaces(label)
        for alias, code in self._item_aliases:
            if t.endswith(alias):
                return code
        return None

    def is_money(self, item: str) -> bool:
        return self.items[item].kind == "money"


def _without_spaces(s: str) -> str:
    """Aliases and the text searched for them are compared without white space (a spaced label matches)."""
    return re.sub(r"\s+", "", s)


def _names(code: str, entry: dict) -> tuple[str, ...]:
    names = [entry["name"], *entry.get("aliases", [])]
    if "short" in entry:
        names.append(entry["short"])
    return tuple(dict.fromkeys(_without_spaces(n) for n in names))


@cache
def codebook() -> CodeBook:
    """The packaged code list (loaded once per process)."""
    raw = data_yaml("codes.yaml")
    funds = {c: Fund(c, e["name"], e.get("short", e["name"]), _names(c, e)) for c, e in raw["funds"].items()}
    items = {
        c: Item(c, e["name"], e["group"], e.get("kind", "money"), e.get("parent"), _names(c, e))
        for c, e in raw["items"].items()
    }
    measures = {c: Measure(c, e["name"], tuple(e.get("aliases", []))) for c, e in raw["measures"].items()}
    for it in items.values():
        if it.parent and it.parent not in items:
            raise ValueError(f"codes.yaml: item {it.code} has unknown parent {it.parent}")
    fa = sorted(((a, f.code) for f in funds.values() for a in f.aliases), key=lambda p: -len(p[0]))
    ia = sorted(((a, i.code) for i in items.values() for a in i.aliases), key=lambda p: -len(p[0]))
    return CodeBook(funds, items, measures, fa, ia)


def __getattr__(name: str) -> tuple[str, ...]:
    """``FUND_ORDER``: the funds in the order of data/codes.yaml — one place to add a fund."""
    if name == "FUND_ORDER":
        return tuple(codebook().funds)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
