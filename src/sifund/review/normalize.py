"""The matching view of a report: hard wraps joined, stray spaces removed, every char traced back.

Reports arrive hard-wrapped mid-phrase ("…其中:社会保险费收入29303万元，财政\\n\\n补贴收入14221万元") and
with odd spacing ("平 衡、略有结余", "增加   16663万元"). Patterns must see one line per paragraph or
table row, so ``build_view`` joins wrapped lines and drops spaces that carry no meaning, while keeping
the separators that do: between table columns ("≥9203人 9175人", TAB-separated DOCX rows) and
between paragraphs. Each view char is a char of the text (``view_map``), so a match in the view
maps back to exact offsets in the text. The rules (punctuation, heading starts, widths) live in
``data/normalize.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sifund.core.numbers import WIDE_COMPARATORS, WIDE_DIGITS, WIDE_POINT
from sifund.core.packaged import data_yaml

INLINE_WS = frozenset(" \t\u3000\u00a0\f\v\r\u2002\u2003\u2009\u200b")
# Punctuation that ends a token for the "both sides are numbers" test: "，较上年增加   16663万元" has
# a left token "较上年增加" (no digit), so the gap goes; "≥9203人 9175人" keeps its separator.
TOKEN_BREAK = frozenset("，。；：、！？,;:（）()《》“”‘’【】[]「」")
CJK_EXTRA = frozenset("“”‘’…—·")
NUMERIC_TAIL = frozenset("%‰％℃")
COMPARATORS = frozenset("≥≤<>=") | frozenset(WIDE_COMPARATORS)  # a column starting with one is a target value


@lru_cache(maxsize=1)
def normalize_rules() -> dict[str, Any]:
    """The reading/view rules from ``data/normalize.yaml`` (loaded once)."""
    return data_yaml("normalize.yaml")


@dataclass(frozen=True)
class _ViewRules:
    final: re.Pattern[str]
    heading: tuple[re.Pattern[str], ...]
    any_heading: re.Pattern[str] | None  # the heading patterns as one alternation, when they allow it
    mid_end: re.Pattern[str]
    percentile: float
    min_share: float
    mid_share: float
    heading_share: float
    heading_final: re.Pattern[str]
    min_lines: int
    split_number: re.Pattern[str]
    number_end: re.Pattern[str]
    unit_next: re.Pattern[str]
    bracket_number_end: re.Pattern[str]
    number_next: re.Pattern[str]
    punct_start_next: re.Pattern[str]
    page_footer: re.Pattern[str]
    running_header_min: int
    titled_footer: re.Pattern[str]
    cell_stack_share: float
    cell_stack_percentile: float


@lru_cache(maxsize=1)
def _view_rules() -> _ViewRules:
    v = normalize_rules()["view"]
    return _ViewRules(
        final=re.compile(v["sentence_final"]),
        heading=tuple(re.compile(p) for p in v["heading_start"]),
        any_heading=_alternation(v["heading_start"]),
        mid_end=re.compile(v["mid_sentence_end"]),
        percentile=float(v["width_percentile"]),
        min_share=float(v["wrap_min_share"]),
        mid_share=float(v["mid_sentence_min_share"]),
        heading_share=float(v["heading_min_share"]),
        heading_final=re.compile(v["heading_final"]),
        min_lines=int(v["min_lines"]),
        split_number=re.compile(v["split_number_next"]),
        number_end=re.compile(v["number_end"]),
        unit_next=re.compile(v["unit_next"]),
        bracket_number_end=re.compile(v["bracket_number_end"]),
        number_next=re.compile(v["number_next"]),
        punct_start_next=re.compile(v["punct_start_next"]),
        page_footer=re.compile(v["page_footer"]),
        running_header_min=int(v["running_header_min"]),
        titled_footer=re.compile(v["titled_footer"]),
        cell_stack_share=float(v["cell_stack_max_share"]),
        cell_stack_percentile=float(v["cell_stack_percentile"]),
    )


class _WideChars(dict[str, bool]):
    """``is_cjk`` per char, looked up once: the view asks it of every char of a report (the display
    width of every line), and ``unicodedata.east_asian_width`` per char was a tenth of the time of
    extracting a report. Only the Basic Multilingual Plane is kept (65,536 entries at most,
    whatever the input), other planes are asked each time."""

    def __missing__(self, ch: str) -> bool:
        wide = (
            ch not in INLINE_WS
            and ch != "\n"
            and (ch in CJK_EXTRA or unicodedata.east_asian_width(ch) in ("W", "F"))
        )
        if ord(ch) < 0x10000:
            self[ch] = wide
        return wide


_WIDE = _WideChars()
# Blocks of which every char is wide (East Asian Width W or F in every Unicode version Python has
# shipped): CJK ideographs, CJK punctuation 、。〈〉【】 (not U+3000, a space, nor U+303F), full-width
# forms. Almost every char of a report is ASCII or in them, so a line's width is counted from these
# and only the few other chars are looked up (tests/review/test_scaling.py checks every char).
WIDE_BLOCKS = ((0x4E00, 0x9FFF), (0x3001, 0x303E), (0xFF01, 0xFF60), (0xFFE0, 0xFFE6))
_OTHER_CHARS = re.compile(
    "[^\x00-\x7f" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in WIDE_BLOCKS) + "]"
)


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    """The patterns as one regex that matches where any of them does (one call instead of one per
    pattern on every line), or None when that cannot be told safely from their text: a
    back-reference would count the groups of the other alternatives, and inline flags would apply
    to all of them."""
    if any(re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]", p) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None


def is_cjk(ch: str) -> bool:
    """Wide/full-width chars (ideographs, CJK and full-width punctuation) plus Chinese quotes."""
    return _WIDE[ch]


def _is_alnum_ascii(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def display_width(s: str) -> int:
    """Width as printed: CJK counts 2, everything else 1 (a line of digits is narrower than of 汉字).

    Counted, not summed per char (the view asks it of every line of a report): ASCII is narrow,
    ``WIDE_BLOCKS`` are wide, and only the other chars are looked up."""
    others = _OTHER_CHARS.findall(s)
    in_blocks = len(s) - len(s.encode("ascii", "ignore")) - len(others)
    return len(s) + in_blocks + sum(map(_WIDE.__getitem__, others))


def is_heading_start(line: str) -> bool:
    """True when ``line`` starts a heading or list item (一、 （一） 1、 附件 …)."""
    s = line.strip()
    r = _view_rules()
    if r.any_heading is not None:
        return r.any_heading.match(s) is not None
    return any(p.match(s) for p in r.heading)


# --------------------------------------------------------------------------- gaps inside a line


@dataclass(frozen=True, slots=True)
class _Gap:
    start: int  # first whitespace index
    end: int  # one past the last whitespace index


_WS_RUN = re.compile("[" + re.escape("".join(sorted(INLINE_WS))) + "]+")


def _gaps(text: str, s: int, e: int) -> list[_Gap]:
    """Whitespace runs strictly inside text[s:e] (s, e already exclude leading/trailing space)."""
    return [_Gap(m.start(), m.end()) for m in _WS_RUN.finditer(text, s, e)]


def _token_has_digit(text: str, i: int, step: int, lo: int, hi: int) -> bool:
    """Does the token running from ``i`` in direction ``step`` (stopping at space/punct) hold a digit?"""
    while lo <= i < hi:
        ch = text[i]
        if ch in INLINE_WS or ch in TOKEN_BREAK:
            return False
        if ch.isdigit():
            return True
        i += step
    return False


def _wide_gap(text: str, g: _Gap, s: int, e: int) -> bool:
    """Both whitespace-delimited neighbours have ≥2 chars (unlike "平 衡" or "2021 年 8 月")."""
    a, b = g.start - 1, g.end
    return (
        s <= a - 1
        and a < e
        and text[a] not in INLINE_WS
        and text[a - 1] not in INLINE_WS
        and s <= b
        and b + 1 < e
        and text[b] not in INLINE_WS
        and text[b + 1] not in INLINE_WS
    )


def _wide_cjk_gap(text: str, g: _Gap, s: int, e: int) -> bool:
    """A CJK|CJK gap between two words of ≥2 chars: a column boundary if the line has several."""
    a, b = text[g.start - 1], text[g.end]
    if not (is_cjk(a) and is_cjk(b)):
        return False
    return _wide_gap(text, g, s, e)


def _protected(text: str, g: _Gap, s: int, e: int) -> bool:
    """Both neighbouring tokens hold digits: two values of a table row ("≥99% 100%")."""
    return _token_has_digit(text, g.start - 1, -1, s, e) and _token_has_digit(text, g.end, 1, s, e)


def _keep_gap(text: str, g: _Gap, s: int, e: int, tabular: bool) -> bool:
    run = text[g.start : g.end]
    if "\t" in run:
        return True
    if _protected(text, g, s, e):
        return True
    a, b = text[g.start - 1], text[g.end]
    ca, cb = is_cjk(a), is_cjk(b)
    if tabular and _wide_gap(text, g, s, e):
        return True  # a column boundary of a table row
    if ca and cb:
        return False
    if (ca and (_is_alnum_ascii(b) or b in NUMERIC_TAIL)) or (cb and _is_alnum_ascii(a)):
        return False
    return not (a.isdigit() and b in NUMERIC_TAIL)


def _separator_index(text: str, g: _Gap) -> int:
    """Which whitespace char of a kept run stands for it in the view: a TAB, else a space, else the first."""
    run = text[g.start : g.end]
    for ch in ("\t", " "):
        k = run.find(ch)
        if k >= 0:
            return g.start + k
    return g.start


def line_is_tabular(text: str, s: int, e: int, gaps: list[_Gap] | None = None) -> bool:
    """A table row flattened to text: a TAB, two values side by side ("≥99% 100%"), or several
    column-like gaps between words, at least one of them between two Chinese words (autospaced
    prose such as "总收入 133590 万元" has gaps only between Chinese and digits). ``gaps``: the
    line's ``_gaps`` when the caller has them."""
    if gaps is None:
        gaps = _gaps(text, s, e)
    if not gaps:
        return False
    if any("\t" in text[g.start : g.end] for g in gaps):
        return True
    wide_cjk = sum(_wide_cjk_gap(text, g, s, e) for g in gaps)
    wide = sum(_wide_gap(text, g, s, e) for g in gaps)
    if wide_cjk >= 2 or (wide_cjk >= 1 and wide >= 3):
        return True
    return any(_protected(text, g, s, e) or text[g.end] in COMPARATORS for g in gaps)


# --------------------------------------------------------------------------- lines and wraps


@dataclass(slots=True)
class _Line:
    start: int  # index of first char of the line
    end: int  # index of the terminating "\n" (or len(text))
    cs: int  # first non-space char
    ce: int  # one past the last non-space char

    @property
    def blank(self) -> bool:
        return self.cs >= self.ce


_WS_CHARS = "".join(sorted(INLINE_WS))


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        body = line.lstrip(_WS_CHARS)
        cs = end - len(body)
        ce = cs + len(body.rstrip(_WS_CHARS))
        out.append(_Line(pos, end, cs, ce))
        if nl < 0:
            break
        pos = nl + 1
    return out


def typical_width(text: str, lines: list[_Line] | None = None, widths: list[int] | None = None) -> float:
    """A high percentile of the display widths of non-blank lines: the width a wrapped line reaches.
    ``widths``: those widths when the caller has them."""
    if widths is None:
        lines = _lines(text) if lines is None else lines
        widths = [display_width(text[ln.cs : ln.ce]) for ln in lines if not ln.blank]
    widths = sorted(widths)
    if not widths:
        return 0.0
    k = min(len(widths) - 1, int(len(widths) * _view_rules().percentile))
    return float(widths[k])


def _percentile(widths: list[int], share: float) -> float:
    """The ``share`` percentile of ``widths`` (0.0 for none)."""
    ordered = sorted(widths)
    return float(ordered[min(len(ordered) - 1, int(len(ordered) * share))]) if ordered else 0.0


def typical_length(text: str, lines: list[_Line]) -> float:
    """The same percentile of line lengths in characters: a report wrapped every N characters (digits
    as wide as ideographs) has wrapped lines that are narrow in display width but full in length."""
    lengths = sorted(ln.ce - ln.cs for ln in lines if not ln.blank)
    if not lengths:
        return 0.0
    return float(lengths[min(len(lengths) - 1, int(len(lengths) * _view_rules().percentile))])


def _joins(
    text: str,
    cur: _Line,
    nxt: _Line,
    width: float,
    tab_cur: bool,
    tab_nxt: bool,
    length: float = float("inf"),
    cur_width: int | None = None,
    full: float | None = None,
) -> bool:
    """Is the break after ``cur`` a hard wrap inside a paragraph (rather than a paragraph end)?
    ``cur_width``: the display width of ``cur`` when the caller has it; ``full``: the width of the
    widest lines (``cell_stack_percentile``), against which a line is short."""
    r = _view_rules()
    body = text[cur.cs : cur.ce]
    if not (tab_cur or tab_nxt):
        nxt_body = text[nxt.cs : nxt.ce]
        if r.bracket_number_end.search(body) and r.number_next.match(nxt_body):
            return True  # "基金收入（万元）：" / "23,518.40，…": the number of a bracketed unit
        if r.punct_start_next.match(nxt_body):
            return True  # "…10,250.12" / "；利息收入…": no paragraph starts with a clause mark
    if r.final.search(body) or tab_cur or tab_nxt:
        return False
    if is_heading_start(text[nxt.cs : nxt.ce]):
        return False
    a, b = text[cur.ce - 1], text[nxt.cs]
    w = display_width(body) if cur_width is None else cur_width
    if r.number_end.search(body) and r.unit_next.match(text[nxt.cs : nxt.ce]):
        return True  # "…预算505,000万" / "元的101.51%": an amount and its unit split by the wrap
    if _cell_stack(text, cur, nxt, w, width if full is None else full):
        return False  # "职工医保参保人数" / "≥60万人" / "61.25万人": one table cell per line
    if r.split_number.match(text[nxt.cs : nxt.ce]) and not _is_alnum_ascii(a):
        return True  # "…完成年初预算31200万元的" / "102.07%，…": a paragraph never starts with an amount
    if _is_alnum_ascii(a) and _is_alnum_ascii(b) and not r.split_number.match(text[nxt.cs : nxt.ce]):
        # "…40673\n2020年" would fuse two numbers; only a wrap inside an amount ("稳岗补贴57\n1万元")
        # is joined, when the next line goes on with digits and a unit.
        return False
    if is_heading_start(body):
        if r.heading_final.search(body):
            return False  # "（一）…运行情况分析": a complete title, however wide
        share = r.heading_share
    elif r.mid_end.search(body):
        share = r.mid_share
    else:
        share = r.min_share
    if not is_heading_start(body) and cur.ce - cur.cs >= length:
        return True  # a full line by character count ("…6,919.42；年末" / "滚存结余…")
    return w >= share * width


def _cell_stack(text: str, cur: _Line, nxt: _Line, w: int, width: float) -> bool:
    """Are ``cur`` (width ``w``) and ``nxt`` both short lines of one cell each? A hard wrap fills
    the line it breaks, so two short single cells in a row are cells of a table flattened to one
    cell per line, never one sentence wrapped, however the second starts ("61.25万人", "100%"); a
    second line with clause marks goes on a sentence ("万元，同比增长1.67%。"), and one with spaces or
    pipes is a row of several cells."""
    limit = _view_rules().cell_stack_share * width
    nxt_body = text[nxt.cs : nxt.ce]
    return (w < limit and display_width(nxt_body) < limit and not _CLAUSE_MARK.search(nxt_body)
            and not _NOT_ONE_CELL.search(text[cur.cs : cur.ce]) and not _NOT_ONE_CELL.search(nxt_body))


# a line with one of these goes on a sentence ("万元，同比增长1.67%。"), not a table cell
_CLAUSE_MARK = re.compile("[，。；：,;:]")
# a line with one of these holds several cells (or words apart), not one cell
_NOT_ONE_CELL = re.compile("[" + re.escape("".join(sorted(INLINE_WS))) + "|｜]")


def _page_furniture(text: str, real: list[_Line]) -> set[int]:
    """Indices into ``real`` of page furniture in a text copied out of a PDF: footer lines ("— 2 —")
    and the running header right after them, a line whose text follows at least
    ``running_header_min`` footers. Why: the page break otherwise stands inside the sentence it cut
    ("…年初支出预算B万元，预" / "— 1 —" / "…绩效自评报告" / "算执行率R%")."""
    r = _view_rules()
    footers = [k for k, ln in enumerate(real) if r.page_footer.match(text[ln.cs : ln.ce])]
    footers += _titled_footers(text, real, r.titled_footer, r.running_header_min)
    if not footers:
        return set()
    after: dict[str, list[int]] = {}
    for k in footers:
        if k + 1 < len(real) and k + 1 not in footers:
            after.setdefault(text[real[k + 1].cs : real[k + 1].ce], []).append(k + 1)
    drop = set(footers)
    for ks in after.values():
        if len(ks) >= r.running_header_min:
            drop.update(ks)
    return drop


def _titled_footers(text: str, real: list[_Line], rx: re.Pattern[str], least: int) -> list[int]:
    """Indices of footer lines that carry a title before the page number ("…自评报告 第2页"): those
    whose title stands so on at least ``least`` lines (a sentence ending in 第N页 is not repeated)."""
    by_title: dict[str, list[int]] = {}
    for k, ln in enumerate(real):
        line = text[ln.cs : ln.ce]
        if "页" in line and (m := rx.match(line.strip())) is not None:
            by_title.setdefault(m.group("t").strip(), []).append(k)
    return sorted(k for ks in by_title.values() if len(ks) >= least for k in ks)


def build_view(text: str) -> tuple[str, list[int]]:
    """Join hard-wrapped lines and drop meaningless spaces; return (view, view_map).

    ``view_char(text, view_map[i]) == view[i]`` for every i (the text's char, full-width digits and
    ％ read as ASCII), and ``view_map[-1] == len(text)``. Paragraphs and table rows end with a single
    "\\n"; blank lines between them are dropped, as are leading and trailing spaces of lines.
    """
    lines = _lines(text)
    real = [ln for ln in lines if not ln.blank]
    furniture = _page_furniture(text, real)
    if furniture:
        real = [ln for k, ln in enumerate(real) if k not in furniture]
    # With too few lines the typical width means nothing: then no line counts as wrapped.
    enough = len(real) >= _view_rules().min_lines
    widths = [display_width(text[ln.cs : ln.ce]) for ln in real]
    width = typical_width(text, widths=widths) if enough else float("inf")
    # a 自评表 of one cell a line may be most of a report's lines: "short" is measured against the
    # widest lines, not the typical one, which such a table pulls down
    full = _percentile(widths, _view_rules().cell_stack_percentile) if enough else float("inf")
    length = typical_length(text, lines) if enough else float("inf")
    gaps = [_gaps(text, ln.cs, ln.ce) for ln in real]
    tab = [line_is_tabular(text, ln.cs, ln.ce, g) for ln, g in zip(real, gaps, strict=True)]
    pieces: list[str] = []  # runs of view chars, joined at the end
    idx: list[int] = []
    for k, ln in enumerate(real):
        _emit_line(text, ln, tab[k], pieces, idx, gaps[k])
        if k + 1 == len(real):
            break
        if not _joins(text, ln, real[k + 1], width, tab[k], tab[k + 1], length, widths[k], full):
            pieces.append("\n")
            idx.append(ln.end)
    idx.append(len(text))
    return "".join(pieces), idx


# Full-width digits and ％ are read as ASCII in the view ("（２０２０年度）", "９７．９６％"), one char for
# one, so every pattern sees "2020年度" and offsets still map back to the text as written. The view
# leaves full-width signs as they are, and reads the full-width point only between digits.
_WIDE_DIGITS = str.maketrans(WIDE_DIGITS)
_WIDE_POINT = frozenset(WIDE_POINT)


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "\uff10" <= ch <= "\uff19"


def view_char(text: str, i: int) -> str:
    """The view's reading of ``text[i]``: a full-width digit or ％ as ASCII, and a full-width point
    between digits ("９７．９６") as "."; any other char as it is."""
    ch = text[i]
    if ch in _WIDE_POINT:
        if 0 < i < len(text) - 1 and _is_digit(text[i - 1]) and _is_digit(text[i + 1]):
            return "."
        return ch
    return ch.translate(_WIDE_DIGITS)


# the chars ``view_char`` reads otherwise than as written; a run of the text without any is its own
# view, copied as one slice (per-char reading was a fifth of the time of extracting a report)
_READ_OTHERWISE = re.compile("[" + re.escape("".join(sorted(set(WIDE_DIGITS) | _WIDE_POINT))) + "]")


def _emit_run(text: str, a: int, b: int, pieces: list[str], idx: list[int]) -> None:
    """The view of text[a:b] (no gap inside): ``view_char`` of each char, one char for one."""
    if a >= b:
        return
    pos = a
    # only the chars read otherwise are looked at (``str.translate`` of a Chinese run costs ~80 ns
    # a char); the text between them is copied as slices
    for m in _READ_OTHERWISE.finditer(text, a, b):
        i = m.start()
        if i > pos:
            pieces.append(text[pos:i])
        pieces.append(view_char(text, i))
        pos = i + 1
    if pos < b:
        pieces.append(text[pos:b])
    idx.extend(range(a, b))


def _emit_line(
    text: str, ln: _Line, tabular: bool, pieces: list[str], idx: list[int], gaps: list[_Gap] | None = None
) -> None:
    pos = ln.cs
    for g in _gaps(text, ln.cs, ln.ce) if gaps is None else gaps:
        _emit_run(text, pos, g.start, pieces, idx)
        run = text[g.start : g.end]
        if run.count("\t") > 1:  # empty table cells: every TAB keeps its column
            tabs = [i for i in range(g.start, g.end) if text[i] == "\t"]
            pieces.append("\t" * len(tabs))
            idx.extend(tabs)
        elif _keep_gap(text, g, ln.cs, ln.ce, tabular):
            j = _separator_index(text, g)
            pieces.append(text[j])
            idx.append(j)
        pos = g.end
    _emit_run(text, pos, ln.ce, pieces, idx)
