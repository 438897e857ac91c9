"""How the words before a number name an item: the alias that ends a label ("…基金支出"), the
alias right after a count ("8420名离退休人员"), and percentages written in words.

Item and fund names are the aliases of data/codes.yaml; the words that qualify them are the
patterns of data/review/extract.yaml. Shared by the clause and the table parsers.
"""

from __future__ import annotations

import re
from functools import cache

from sifund.core.codes import codebook
from sifund.core.numbers import Match, NumberError, parse_chinese_quantity
from sifund.review.funds import fund_mentions, report_memo
from sifund.review.rules import extract_rules

_BLANKS = re.compile(r"\s+")


def label_item(label: str) -> tuple[str | None, str]:
    """The item whose alias ends the label, and the rest of the label (the subject words). Asked
    again for the same label while a report is read, the answer is the report memo's."""
    memo = report_memo()
    if memo is None:
        return _label_item(label)
    hit = memo.get(("label_item", label))
    if hit is None:
        hit = memo[("label_item", label)] = _label_item(label)
    return hit  # type: ignore[return-value]


# Item aliases that begin with the last word of a fund's name, and that word (restored to the rest).
_FUND_NAME_ENDS = (("基金", "基金"), ("保险补助", "保险"))


def _label_item(label: str) -> tuple[str | None, str]:
    cb = codebook()
    t = _BLANKS.sub("", label)
    hit = longest_item_alias(t, at_end=True)
    if hit is None:
        return None, t
    alias, code = hit
    rest = t[: -len(alias)]
    if extract_rules().re("generic_item_suffix").match(alias):  # "失业保险金支出": the item before 支出
        inner, inner_rest = label_item(rest)
        if inner is not None and cb.items[inner].group == cb.items[code].group:
            return inner, inner_rest
        if not extract_rules().re("generic_item_before").search(without_funds(rest)):
            return None, t  # "集体补助收入": an item not in the code list, not the total
    # "各项社会保险基金收入": the 基金 of "基金收入" also ends the fund's name, and the 保险 of
    # "保险补助资金" that of "城乡居民基本养老保险补助资金" (not so "保险费": "失业保险费" stays as read)
    return code, rest + next((end for lead, end in _FUND_NAME_ENDS if alias.startswith(lead)), "")


@cache
def _item_alias_lengths() -> tuple[list[int], dict[str, str]]:
    """Item alias lengths (longest first) and alias → code, for ``longest_item_alias``."""
    codes: dict[str, str] = {}
    for alias, code in codebook().item_aliases():
        codes.setdefault(alias, code)
    return sorted({len(a) for a in codes}, reverse=True), codes


def longest_item_alias(t: str, at_end: bool) -> tuple[str, str] | None:
    """The longest item alias that ends (or starts) ``t``, with its code: the first hit of a scan of
    ``item_aliases()`` (longest first), found with one dict lookup per alias length."""
    lengths, codes = _item_alias_lengths()
    for n in lengths:
        if n <= len(t):
            part = t[-n:] if at_end else t[:n]
            if part in codes:
                return part, codes[part]
    return None


def alias_kind(label: str, item: str) -> str:
    """"alias" when one of the item's own aliases ends the label, "generic" when only a group word
    ("基金支出") named it (asked again while a report is read, the report memo's answer)."""
    memo = report_memo()
    if memo is None:
        return _alias_kind(label, item)
    key = ("alias_kind", f"{item}\n{label}")
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _alias_kind(label, item)
    return hit  # type: ignore[return-value]


def _alias_kind(label: str, item: str) -> str:
    t = _BLANKS.sub("", label)
    return "alias" if t.endswith(_own_aliases().get(item, ())) else "generic"  # a tuple: any of them


@cache
def _own_aliases() -> dict[str, tuple[str, ...]]:
    """Each item's aliases that are not only a group word, for ``alias_kind`` (which scanned every
    alias of every item for every figure)."""
    generic = extract_rules().re("generic_item_suffix")
    out: dict[str, list[str]] = {}
    for a, code in codebook().item_aliases():
        if not generic.match(a):
            out.setdefault(code, []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def word_percents(sent: str) -> list[Match]:
    """Percentages written in words ("百分之九十八点五" is 98.5%); "一成/两成" are not figures."""
    out = []
    for m in extract_rules().re("word_percent").finditer(sent):
        try:
            out.append(Match(m.start(), m.end(), parse_chinese_quantity(m.group())))
        except NumberError:
            continue
    return out


def without_funds(text: str) -> str:
    for m in reversed(fund_mentions(text)):
        text = text[: m.start] + text[m.end :]
    return text


def item_after(text: str) -> str | None:
    """Count-first phrasing ("8420名离退休人员"): the item named right after the number."""
    hit = longest_item_alias(_BLANKS.sub("", text)[:16], at_end=False)
    return hit[1] if hit is not None else None


def kind_ok(item: str, kind: str) -> bool:
    return codebook().items[item].kind == kind
