"""Header facts of a report: the region (统筹地区), the year evaluated and the 填报时间.

The title names both ("某市社会保险基金支出预算绩效自评报告（2020年度）"); reports without a
title page name the region in the body ("某县社会保险工作…") and the year as the dominant "20XX年".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sifund.core.numbers import parse_chinese_integer
from sifund.review.rules import extract_rules

_LEVELS = {
    "省": "province",
    "自治区": "province",
    "市": "city",
    "州": "prefecture",
    "自治州": "prefecture",
    "盟": "prefecture",
    "县": "county",
    "自治县": "county",
    "区": "county",
    "旗": "county",
    "自治旗": "county",
}
_LEVELS_LONGEST_FIRST = sorted(_LEVELS.items(), key=lambda kv: -len(kv[0]))  # 自治县 before 县


@dataclass(frozen=True)
class Header:
    region: str
    region_level: str
    year: int | None
    title_year: int | None  # year printed in the title ("（2020年度）")
    dominant_year: int | None  # the most frequent "20XX年" in the body
    filled: tuple[int, int, int | None] | None  # 填报时间 (y, m, d)
    filled_span: tuple[int, int] | None  # offsets of the 填报时间 in the view


def read_header(view: str) -> Header:
    r = extract_rules()
    region = ""
    for chunk in (view[:600], view):
        region = _region(chunk)
        if region:
            break
    level = next((v for k, v in _LEVELS_LONGEST_FIRST if region.endswith(k)), "other")
    t = r.re("header.year_title").search(view[:800])
    title_year = year_of(t.group("y")) if t else None
    years = Counter(year_of(m.group("y")) for m in r.re("header.year_any").finditer(view))
    dominant = years.most_common(1)[0][0] if years else None
    f = r.re("header.filled").search(view)
    filled = None
    if f:
        filled = (int(f.group("y")), int(f.group("m")), int(f.group("d")) if f.group("d") else None)
    first = r.re("header.year_any").search(view[:300])
    in_title = first is not None and "年度" in view[first.start() : first.end() + 2]
    year = title_year or (year_of(first.group("y")) if first and in_title else None) or dominant
    return Header(region, level, year, title_year, dominant, filled, f.span() if f else None)


def year_of(s: str) -> int:
    """ "2020" or "二〇二〇" (digit by digit, as years are written) → 2020."""
    return int(s) if s.isascii() else parse_chinese_integer(s.replace("O", "〇"))


def _region(text: str) -> str:
    r = extract_rules()
    strip, stop = r.re("header.region_strip"), r.re("header.region_stop")
    counts: Counter[str] = Counter()
    for m in r.re("header.region").finditer(text):
        name = strip.sub("", m.group("r"))
        if len(name) >= 2 and not stop.match(name):
            counts[name] += 1
    return counts.most_common(1)[0][0] if counts else ""
