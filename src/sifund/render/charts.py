"""Charts for the report (Pillow, PNG bytes): flows by fund, completion vs the band, balances.

Drawn with Pillow's ImageDraw and a CJK font file found by family name (render/fonts.py), failing
loudly when there is none rather than drawing tofu. Values come from the same PrintFacts as the text
and are printed the way the text prints them (half-up: 24357.20, 101.49%, 8.54个月).

Layout choices, each from a reviewer's complaint: every chart is horizontal bars, one row per
fund, so fund names and value labels never overlap however many funds there are; nothing joins
two funds with a line (funds are separate accounts and cannot subsidise each other); 可支付月数 is
drawn per fund, never pooled. Figures are laid out at print size (15 cm wide, 4.5–9 cm high), so
font sizes are the printed sizes and a chart never takes a half page; pixels are 2× a 96-dpi
screen (192 dpi) for sharp print and HiDPI screens.

Why not matplotlib: importing it cost ≈ 1 s of the 2.5 s ``sifund report`` took, drawing the
three charts another 0.4–0.6 s; the charts are plain bars, which Pillow draws and encodes in
about 30 ms each. Pillow's drawing modules are imported only when a chart is drawn. Each chart
carries its name on top (the caption under it, 图1 …, comes from the same report.yaml entry), a
legend when it has two series, axis titles with the unit, and its values at the bar ends.
Which charts exist, and their numbers (图1 …), are known without drawing (:func:`chart_refs`),
so the text can refer to them.

Every text, bar and line drawn is also recorded on the :class:`Canvas` (``items``), so tests can
check the layout (nothing overlaps, one bar per fund, no lines joining funds) without reading
pixels.
"""

from __future__ import annotations

import io
import math
import re
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.core.numbers import format_number, format_percent
from sifund.engine.results import Evaluation
from sifund.render.phrases import PrintFacts
from sifund.render.wording import load, report

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

    from sifund.render.fonts import Face

COLORS = ("#2f5597", "#c55a11", "#548235", "#7f6000")
BAND_COLOR = "#e2efda"
GRID_COLOR = "#d9d9d9"
AXIS_COLOR = "#595959"
TEXT_COLOR = "#262626"
WIDTH_CM = 15.0  # the printed width (DOCX picture width); the text column is 15.6 cm
SCALE = 2  # pixels: 2× a 96-dpi screen
DPI = 96 * SCALE  # 15 cm at 192 dpi is 1134 px
FONT = 8  # points, at print size: fund names, ticks, legend, axis titles
VALUE_FONT = 7  # points: the value printed at the end of each bar
TITLE_FONT = 9  # points, bold
KEYS = ("income_expenditure", "completion", "balance")
PALETTE = 64  # colours of the PNG
MAX_LABEL_SHARE = 0.22  # of the width, at most, for the fund names; longer names wrap
Box = tuple[float, float, float, float]
# The fonts are shared (cached) and a FreeType face must not be used by two threads at once
# (Pillow #9497; the GIL happens to serialise it today): the web service draws one set at a time.
_DRAWING = threading.Lock()


def px_cm(cm: float) -> float:
    return cm / 2.54 * DPI


def px_pt(pt: float) -> float:
    return pt / 72 * DPI


# -- fonts ---------------------------------------------------------------------------------------


@cache
def cjk_face(bold: bool = False) -> Face:
    """The first configured CJK font that is installed (fonts.yaml ``chart``); the bold face of
    the same family when there is one, else the regular face."""
    from sifund.render.fonts import find_face

    families = list(load("fonts")["chart"])
    regular = find_face(families)
    if regular is None:
        raise SifundError(
            "未找到中文字体 no CJK font (install fonts-noto-cjk) — charts would show boxes; "
            f"looked for: {', '.join(families)}"
        )
    if not bold:
        return regular
    return find_face([regular.family], bold=True) or regular


def cjk_family() -> str:
    """The family the charts are drawn with ("Noto Sans CJK SC")."""
    return cjk_face().family


@cache
def font(points: float, bold: bool = False) -> FreeTypeFont:
    """The CJK font at ``points`` (print size), in pixels of the chart."""
    from PIL import ImageFont

    face = cjk_face(bold)
    size = max(6, round(px_pt(points)))
    return ImageFont.FreeTypeFont(face.path, size, index=face.index, layout_engine=ImageFont.Layout.BASIC)


@cache
def _glyph(f: FreeTypeFont, ch: str) -> tuple[tuple[int, int], bytes]:
    mask = f.getmask(ch)
    return mask.size, bytes(mask)


def missing_glyphs(f: FreeTypeFont, text: str) -> set[str]:
    """Characters of ``text`` the font has no glyph for: they would print as tofu boxes.

    A missing glyph draws the font's .notdef box, so a character whose bitmap is the .notdef
    bitmap is missing (U+FFFF is a noncharacter: no font maps it)."""
    notdef = _glyph(f, "\uffff")
    return {ch for ch in set(text) if not ch.isspace() and _glyph(f, ch) == notdef}


# -- drawing -------------------------------------------------------------------------------------


@dataclass
class Item:
    """One thing drawn: ``kind`` is text, bar, band, grid, axis, tick or swatch; ``box`` is
    (left, top, right, bottom) in pixels; bars carry their panel, row (fund), series and value."""

    kind: str
    box: Box
    text: str = ""
    panel: int = -1
    row: int = -1
    series: int = -1
    value: float | None = None


class Canvas:
    """A white image and the record of what was drawn on it."""

    def __init__(self, width: int, height: int) -> None:
        from PIL import Image, ImageDraw

        self.width, self.height = width, height
        self.image = Image.new("RGB", (width, height), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.items: list[Item] = []
        self.missing: set[str] = set()

    def text(self, xy: tuple[float, float], text: str, f: FreeTypeFont, anchor: str, **meta: Any) -> Box:
        fill = meta.pop("fill", TEXT_COLOR)
        self.draw.text(xy, text, font=f, anchor=anchor, fill=fill)
        box = tuple(float(v) for v in self.draw.textbbox(xy, text, font=f, anchor=anchor))
        self.items.append(Item("text", box, text, **meta))  # type: ignore[arg-type]
        self.missing |= missing_glyphs(f, text)
        return box  # type: ignore[return-value]

    def rect(self, box: Box, fill: str, kind: str = "bar", **meta: Any) -> None:
        x0, y0, x1, y1 = (round(v) for v in box)
        if x1 > x0 and y1 > y0:  # a zero value has no bar, only its label
            self.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill)
        self.items.append(Item(kind, box, **meta))

    def line(self, xy: Box, fill: str, width: int, kind: str) -> None:
        self.draw.line(xy, fill=fill, width=width)
        self.items.append(Item(kind, xy))

    def png(self) -> bytes:
        """The PNG, as 64 colours: the bars' flat colours and the text's anti-aliasing need no
        more, and the file is a third of the RGB one (and quicker to encode)."""
        from PIL import Image

        image = self.image.quantize(PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        image.putpalette(_snapped(image.getpalette() or []))
        buf = io.BytesIO()
        image.save(buf, format="PNG", dpi=(DPI, DPI), compress_level=6)
        return buf.getvalue()


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


EXACT = tuple(_rgb(c) for c in ("#ffffff", *COLORS, BAND_COLOR, GRID_COLOR, AXIS_COLOR, TEXT_COLOR))


def _snapped(palette: list[int]) -> list[int]:
    """The quantized palette with its entries near a colour of the chart set to that colour
    exactly: the octree averages a bucket, so white came out as (254, 254, 254)."""
    out = list(palette)
    for k in range(0, len(out) - 2, 3):
        entry = out[k : k + 3]
        near = min(EXACT, key=lambda c: sum((a - b) ** 2 for a, b in zip(c, entry, strict=True)))
        if max(abs(a - b) for a, b in zip(near, entry, strict=True)) <= 6:
            out[k : k + 3] = near
    return out


@dataclass
class Series:
    name: str
    values: list[float | None]
    color: str


@dataclass
class Panel:
    """One plot area: bars of one or two series per fund row, on one value axis."""

    series: list[Series]
    label: Callable[[float], str]  # the value printed at a bar's end
    tick: Callable[[float], str]  # an axis tick
    title: str | None = None  # above the panel (two-panel charts)
    axis_title: str | None = None  # under the ticks
    band: tuple[float, float] | None = None  # a shaded interval (the completion band)
    nticks: int = 5


@dataclass
class Spec:
    title: str | None
    rows: list[str]  # fund names, top to bottom
    panels: list[Panel]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (name, colour)


def height_cm(nfunds: int, series: int = 2, legend: bool = True) -> float:
    """Printed height: a fixed part (title, legend, axis) and a row per fund, 4.5–9 cm."""
    fixed = 1.55 + (0.8 if legend else 0.45)
    per_row = 0.55 + 0.4 * series
    return max(4.5, min(9.0, fixed + per_row * nfunds))


def _nice_step(span: float, n: int) -> float:
    """The round step (1, 2, 2.5 or 5 × 10^k) that cuts ``span`` into the nearest to ``n`` parts."""
    mag = 10 ** math.floor(math.log10(span / n))
    steps = [m * mag * f for f in (0.1, 1, 10) for m in (1, 2, 2.5, 5)]
    return min(steps, key=lambda step: (abs(span / step - n), -step))


def _ticks(lo: float, hi: float, n: int) -> list[float]:
    """Round ticks inside [lo, hi], about ``n`` intervals apart; 0 is one when it is inside."""
    step = _nice_step(hi - lo, n)
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


NO_LINE_START = "）)」』】，、。：；！？"
NO_LINE_END = "（(「『【"


def _balanced(text: str, f: FreeTypeFont, width: float, nlines: int) -> list[str] | None:
    """``text`` in ``nlines`` lines of about equal length, none starting with a closing bracket or
    ending with an opening one, each no wider than ``width``; None when they do not fit."""
    per = math.ceil(len(text) / nlines)
    lines, start = [], 0
    while start < len(text):
        end = min(len(text), start + per)
        while start + 1 < end < len(text) and (text[end] in NO_LINE_START or text[end - 1] in NO_LINE_END):
            end -= 1
        lines.append(text[start:end])
        start = end
    if len(lines) > nlines or any(f.getlength(line) > width for line in lines):
        return None
    return lines


def wrap(text: str, f: FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """``text`` in at most ``max_lines`` balanced lines no wider than ``width`` (a CJK name may
    break between any two characters). A name too long even so loses its 基金 (every row is a
    fund), then is cut with …"""
    candidates = [text, text[:-2]] if text.endswith("基金") and len(text) > 2 else [text]
    for candidate in candidates:
        for n in range(1, max_lines + 1):
            if (lines := _balanced(candidate, f, width, n)) is not None:
                return lines
    short = candidates[-1]
    lines, start = [], 0
    for _ in range(max_lines):  # full lines, the last one cut
        end = start
        while end < len(short) and f.getlength(short[start : end + 1] + "…") <= width:
            end += 1
        lines.append(short[start:end])
        start = end
    return [*lines[:-1], lines[-1] + "…"]


class Axis:
    """Value → x pixel for one panel: from 0 (or the lowest value) to just past the longest bar
    plus its value label, so every label fits inside the plot; round ticks within that range."""

    def __init__(self, panel: Panel, left: float, right: float, f: FreeTypeFont, pad: float) -> None:
        self.left, self.right = left, right
        width = right - left
        bars = [
            (v, pad + f.getlength(panel.label(v))) for s in panel.series for v in s.values if v is not None
        ]
        values = [v for v, _ in bars]
        lo = min([0.0, *values, *(panel.band or ())])
        hi = max([0.0, *values, *(panel.band or ())])
        if panel.band:
            hi += 0.05 * (hi - lo)  # the band's end is not the plot's edge
        if hi == lo:
            hi = lo + 1.0
        # value labels take width/(width - label) more room: grow each end until every label fits
        for _ in range(50):
            room = [(v, width / max(width - w, width * 0.2)) for v, w in bars]
            need_hi = max([hi, *(lo + (v - lo) * r for v, r in room if v >= 0)])
            need_lo = min([lo, *(hi - (hi - v) * r for v, r in room if v < 0)])
            if need_hi <= hi * (1 + 1e-9) + 1e-12 and need_lo >= lo - abs(lo) * 1e-9 - 1e-12:
                break
            lo, hi = need_lo, need_hi
        span = hi - lo
        self.lo, self.hi = (lo - 0.02 * span if lo < 0 else lo), hi + 0.02 * span
        tick_font = font(FONT)
        nticks = panel.nticks
        while True:
            self.ticks = _ticks(self.lo, self.hi, nticks)
            widest = max(tick_font.getlength(panel.tick(t)) for t in self.ticks)
            step_px = (
                (self.ticks[1] - self.ticks[0]) * width / (self.hi - self.lo)
                if len(self.ticks) > 1
                else width
            )
            if widest + px_cm(0.3) <= step_px or nticks <= 1:
                break
            nticks -= 1  # tick labels would touch: fewer, rounder ticks

    def x(self, v: float) -> float:
        return self.left + (v - self.lo) / (self.hi - self.lo) * (self.right - self.left)


def draw(spec: Spec, height: float) -> Canvas:
    """The chart described by ``spec``, ``height`` cm high, 15 cm wide."""
    c = Canvas(round(px_cm(WIDTH_CM)), round(px_cm(height)))
    f_title, f_text, f_value = font(TITLE_FONT, bold=True), font(FONT), font(VALUE_FONT)
    line_h = f_text.size * 1.25
    pad = px_cm(0.2)

    # top to bottom: title, legend, panel titles, plot, ticks, axis titles
    y = pad
    if spec.title:
        c.text((c.width / 2, y), spec.title, f_title, "mt")
        y += f_title.size * 1.5
    if spec.legend:
        _legend(c, spec.legend, y + line_h / 2, f_text)
        y += line_h * 1.5
    has_panel_titles = any(p.title for p in spec.panels)
    if has_panel_titles:
        y += line_h * 1.2  # drawn once the panels' x extents are known
    plot_top = y + px_cm(0.1)
    bottom = c.height - pad
    if any(p.axis_title for p in spec.panels):
        bottom -= line_h * 1.2
    plot_bottom = bottom - line_h * 1.35

    # left to right: fund names, then the panels
    nrows = len(spec.rows)
    row_h = (plot_bottom - plot_top) / nrows
    max_label_w = c.width * MAX_LABEL_SHARE
    name_h = f_text.size * 1.12  # line pitch of a wrapped fund name
    max_lines = max(1, int(row_h * 0.95 // name_h))
    names = [wrap(r, f_text, max_label_w, max_lines) for r in spec.rows]
    label_w = max(f_text.getlength(line) for lines in names for line in lines)
    x0 = pad + label_w + px_cm(0.25)
    right = c.width - px_cm(0.45)
    gap = px_cm(1.0)
    npanels = len(spec.panels)
    panel_w = (right - x0 - gap * (npanels - 1)) / npanels

    for i, lines in enumerate(names):
        yc = plot_top + (i + 0.5) * row_h
        for j, line in enumerate(lines):
            ly = yc + (j - (len(lines) - 1) / 2) * name_h
            c.text((x0 - px_cm(0.15), ly), line, f_text, "rm", row=i)

    for p, panel in enumerate(spec.panels):
        left = x0 + p * (panel_w + gap)
        _panel(c, panel, p, left, left + panel_w, plot_top, plot_bottom, row_h, nrows, f_text, f_value)
    if c.missing:
        warnings.warn(
            f"图表字体缺字 glyphs missing from {cjk_family()}: {''.join(sorted(c.missing))}",
            stacklevel=2,
        )
    return c


def _legend(c: Canvas, entries: list[tuple[str, str]], yc: float, f: FreeTypeFont) -> None:
    sw, gap, between = px_cm(0.3), px_cm(0.12), px_cm(0.55)
    widths = [sw + gap + f.getlength(name) for name, _ in entries]
    x = (c.width - sum(widths) - between * (len(entries) - 1)) / 2
    for (name, color), w in zip(entries, widths, strict=True):
        c.rect((x, yc - sw / 2, x + sw, yc + sw / 2), color, kind="swatch")
        c.text((x + sw + gap, yc), name, f, "lm")
        x += w + between


def _panel(
    c: Canvas,
    panel: Panel,
    p: int,
    left: float,
    right: float,
    top: float,
    bottom: float,
    row_h: float,
    nrows: int,
    f_text: FreeTypeFont,
    f_value: FreeTypeFont,
) -> None:
    nseries = len(panel.series)
    pitch = min(row_h * 0.8 / nseries, px_cm(0.5))  # centre to centre of a row's bars
    bar_h = pitch * 0.86
    if f_value.size > pitch * 0.85:  # crowded rows: smaller value labels, never overlapping ones
        f_value = font(VALUE_FONT * pitch * 0.85 / f_value.size)
    pad = px_cm(0.08)
    axis = Axis(panel, left, right, f_value, pad)
    line_w = max(1, SCALE)

    if panel.title:
        c.text(((left + right) / 2, top - px_cm(0.1) - f_text.size * 0.35), panel.title, f_text, "md")
    if panel.band:
        lo, hi = panel.band
        c.rect((axis.x(lo), top, axis.x(hi), bottom), BAND_COLOR, kind="band")
    for t in axis.ticks:
        x = axis.x(t)
        if abs(t) > 1e-12:
            c.line((x, top, x, bottom), GRID_COLOR, line_w, "grid")
        c.line((x, bottom, x, bottom + px_cm(0.08)), AXIS_COLOR, line_w, "tick")
        c.text((x, bottom + px_cm(0.12)), panel.tick(t), f_text, "mt", panel=p)
    if panel.axis_title:
        c.text(((left + right) / 2, bottom + f_text.size * 1.55), panel.axis_title, f_text, "mt", panel=p)

    for i in range(nrows):
        yc = top + (i + 0.5) * row_h
        for k, s in enumerate(panel.series):
            v = s.values[i]
            if v is None:
                continue
            by = yc + (k - (nseries - 1) / 2) * pitch
            x0, x1 = sorted((axis.x(0.0), axis.x(v)))
            c.rect((x0, by - bar_h / 2, x1, by + bar_h / 2), s.color, panel=p, row=i, series=k, value=v)
            if v >= 0:
                c.text((x1 + pad, by), panel.label(v), f_value, "lm", panel=p, row=i, series=k)
            else:
                c.text((x0 - pad, by), panel.label(v), f_value, "rm", panel=p, row=i, series=k)
    zero = axis.x(0.0)
    c.line((zero, top, zero, bottom), AXIS_COLOR, line_w, "axis")  # the value axis' zero
    c.line((left, bottom, right, bottom), AXIS_COLOR, line_w, "axis")


# -- the three charts ----------------------------------------------------------------------------


def _funds(f: PrintFacts) -> list[str]:
    """Funds with their own section; ``all`` only when there are none (a one-total report)."""
    return f.funds() or ["all"]


def _labels(funds: list[str]) -> list[str]:
    return [codebook().funds[x].short for x in funds]


def _has(values: Sequence[float | None]) -> bool:
    return any(v is not None for v in values)


def _flows(f: PrintFacts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    return [f.fig(x, "income_total") for x in funds], [f.fig(x, "expenditure_total") for x in funds]


def _rates(f: PrintFacts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    return (
        [f.value(x, "income_completion") for x in funds],
        [f.value(x, "expenditure_completion") for x in funds],
    )


def _balances(f: PrintFacts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    rolling = [f.fig(x, "balance_rolling") for x in funds]
    rolling = [
        r if r is not None else f.value(x, "balance_rolling") for r, x in zip(rolling, funds, strict=True)
    ]
    return rolling, [f.value(x, "payable_months") for x in funds]


def _money(v: float) -> str:
    return format_number(v, 2)


def _plain(v: float) -> str:
    return format_number(v, 0) if abs(v - round(v)) < 1e-9 else f"{v:g}"


def _png(canvas: Canvas) -> bytes:
    return canvas.png()


def income_expenditure(f: PrintFacts) -> bytes | None:
    income, spend = _flows(f)
    if not _has(income + spend):
        return None
    funds = _funds(f)
    series = [Series("基金收入", income, COLORS[0]), Series("基金支出", spend, COLORS[1])]
    panel = Panel(series, _money, _plain, axis_title="金额（万元）")
    spec = Spec(_name("income_expenditure"), _labels(funds), [panel], [(s.name, s.color) for s in series])
    return _png(draw(spec, height_cm(len(funds))))


def completion(f: PrintFacts) -> bytes | None:
    inc, exp = _rates(f)
    if not _has(inc + exp):
        return None
    funds = _funds(f)
    lo, hi = report()["band"]
    series = [Series("收入完成率", inc, COLORS[0]), Series("支出完成率", exp, COLORS[1])]
    panel = Panel(
        series, format_percent, lambda v: f"{_plain(v)}%", axis_title="预算完成率（%）", band=(lo, hi)
    )
    legend = [(f"合理区间 {lo}%~{hi}%", BAND_COLOR), *((s.name, s.color) for s in series)]
    spec = Spec(_name("completion"), _labels(funds), [panel], legend)
    return _png(draw(spec, height_cm(len(funds))))


def balance(f: PrintFacts) -> bytes | None:
    """Two panels side by side, one row per fund: the rolling balance, and the months it pays."""
    rolling, months = _balances(f)
    if not _has(rolling):
        return None
    funds = _funds(f)
    panels = [
        Panel([Series("年末滚存结余", rolling, COLORS[0])], _money, _plain, title="年末滚存结余（万元）")
    ]
    if _has(months):
        panels[0].nticks = 3
        panels.append(
            Panel(
                [Series("累计结余可支付月数", months, COLORS[1])],
                lambda v: f"{format_number(v, 2)}个月",
                _plain,
                title="累计结余可支付月数（个月）",
                nticks=3,
            )
        )
    spec = Spec(_name("balance"), _labels(funds), panels)
    return _png(draw(spec, height_cm(len(funds), series=1, legend=False)))


DRAW: dict[str, Callable[[PrintFacts], bytes | None]] = {
    "income_expenditure": income_expenditure,
    "completion": completion,
    "balance": balance,
}
AVAILABLE: dict[str, Callable[[PrintFacts], bool]] = {
    "income_expenditure": lambda f: _has([*_flows(f)[0], *_flows(f)[1]]),
    "completion": lambda f: _has([*_rates(f)[0], *_rates(f)[1]]),
    "balance": lambda f: _has(_balances(f)[0]),
}


def _name(key: str) -> str:
    """The chart's name from report.yaml without any number written there ("图1 各项…" → "各项…")."""
    return re.sub(r"^图\s*\d+\s*", "", str(report()["charts"][key])).strip()


def chart_refs(ev: Evaluation) -> dict[str, str]:
    """{key: "图1", …} for the charts the data supports, in report order — without drawing.

    The numbers are the order of the charts that exist, so a report without budgets (no chart 2)
    calls the balance chart 图2, and the text's "（见图2）" and the caption agree.
    """
    f = PrintFacts(ev)
    keys = [k for k in KEYS if AVAILABLE[k](f)]
    return {k: f"图{i}" for i, k in enumerate(keys, 1)}


def chart_captions(ev: Evaluation) -> dict[str, str]:
    """{key: "图1 各项基金收入与支出", …}: the caption printed under each chart."""
    return {k: f"{ref} {_name(k)}" for k, ref in chart_refs(ev).items()}


def build_charts(ev: Evaluation) -> list[tuple[str, str, bytes]]:
    """(key, caption, png) for every chart the data supports, in report order."""
    cjk_face()  # no font: one clear error before anything is drawn
    f = PrintFacts(ev)
    captions = chart_captions(ev)
    out = []
    with _DRAWING:
        for key in KEYS:
            if key not in captions:
                continue
            png = DRAW[key](f)
            if png is not None:
                out.append((key, captions[key], png))
    return out
