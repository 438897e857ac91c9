"""Charts for the report (matplotlib, PNG bytes): flows by fund, completion vs the band, balances.

Uses the object API (no pyplot global state) and a CJK font found by name, failing loudly when
it is missing rather than drawing tofu. Values come from the same Facts as the text.

Layout choices, each from a reviewer's complaint: every chart is horizontal bars, one row per
fund, so fund names and value labels never overlap however many funds there are; nothing joins
two funds with a line (funds are separate accounts and cannot subsidise each other); 可支付月数 is
drawn per fund, never pooled. Figures are drawn at print size (15 cm wide, 5–9 cm high), so font
sizes are the printed sizes and a chart never takes a half page.

matplotlib is imported only inside the drawing functions: ``sifund report -f xlsx`` and every
other command never pay for it. Which charts exist, and their numbers (图1 …), are known without
drawing (:func:`chart_refs`), so the text can refer to them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.engine.evaluation import Evaluation
from sifund.render.phrases import Facts
from sifund.render.wording import load, report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLORS = ("#2f5597", "#c55a11", "#548235", "#7f6000")
WIDTH_CM = 15.0  # the printed width (DOCX picture width); the text column is 15.6 cm
CM = 1 / 2.54
DPI = 130  # 15 cm at 130 dpi is 770 px: sharp in print, a third fewer pixels to encode than 150
FONT = 8  # points, at print size
KEYS = ("income_expenditure", "completion", "balance")


@cache
def cjk_family() -> str:
    """The first configured CJK font that is installed (fonts.yaml ``chart``), found even when
    matplotlib's font cache predates the font's installation (see ``fonts.chart_family``)."""
    from sifund.render.fonts import chart_family

    family = chart_family(list(load("fonts")["chart"]))
    if family is None:
        raise SifundError("未找到中文字体 no CJK font (install fonts-noto-cjk) — charts would show boxes")
    return family


def height_cm(nfunds: int) -> float:
    """Printed height: 5 cm for one or two funds, growing with the rows, at most 9 cm."""
    return max(5.0, min(9.0, 2.6 + 0.9 * nfunds))


def _figure(nfunds: int, titled: bool = False, legend: bool = True) -> Figure:
    from matplotlib.figure import Figure

    w, h = WIDTH_CM * CM, height_cm(nfunds) * CM
    fig = Figure(figsize=(w, h), dpi=DPI)
    fig.set_facecolor("white")
    # fixed margins (inches → fractions) instead of constrained layout, which re-measures every
    # text several times and made each chart cost half a second
    top = 0.3 if titled else 0.1
    bottom = 0.62 if legend else 0.3
    fig.subplots_adjust(left=0.75 / w, right=1 - 0.2 / w, top=1 - top / h, bottom=bottom / h, wspace=0.3)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _style(ax: Any) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=FONT)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5 if len(ax.figure.axes) == 1 else 3))


def _funds(f: Facts) -> list[str]:
    """Funds with their own section; ``all`` only when there are none (a one-total report)."""
    return f.funds() or ["all"]


def _labels(funds: list[str]) -> list[str]:
    return [codebook().funds[x].short for x in funds]


def _hbars(
    ax: Any,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    fmt: str = "{:.2f}",
    color0: int = 0,
) -> None:
    """Horizontal grouped bars, first fund on top, each bar labelled with its value at its end."""
    n = len(series)
    height = 0.8 / n
    values_all = [v for _, vs in series for v in vs if v is not None]
    for k, (name, values) in enumerate(series):
        ys = [i + (k - (n - 1) / 2) * height for i in range(len(labels))]
        bars = ax.barh(
            ys,
            [v or 0.0 for v in values],
            height * 0.92,
            label=name,
            color=COLORS[(color0 + k) % len(COLORS)],
        )
        texts = [fmt.format(v) if v is not None else "" for v in values]
        ax.bar_label(bars, labels=texts, fontsize=FONT - 1, padding=2)
    ax.set_yticks(range(len(labels)), labels)
    if not ax.yaxis_inverted():  # a shared y axis is inverted once, not once per panel
        ax.invert_yaxis()
    lo = min([0.0, *values_all])
    hi = max([0.0, *values_all])
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - (0.25 * span if lo < 0 else 0), hi + 0.25 * span)  # room for the value labels


def _legend(ax: Any, ncol: int) -> None:
    ax.legend(fontsize=FONT, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=ncol)


def _has(values: list[float | None]) -> bool:
    return any(v is not None for v in values)


def _flows(f: Facts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    return [f.fig(x, "income_total") for x in funds], [f.fig(x, "expenditure_total") for x in funds]


def _rates(f: Facts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    return (
        [f.value(x, "income_completion") for x in funds],
        [f.value(x, "expenditure_completion") for x in funds],
    )


def _balances(f: Facts) -> tuple[list[float | None], list[float | None]]:
    funds = _funds(f)
    rolling = [f.fig(x, "balance_rolling") for x in funds]
    rolling = [
        r if r is not None else f.value(x, "balance_rolling") for r, x in zip(rolling, funds, strict=True)
    ]
    return rolling, [f.value(x, "payable_months") for x in funds]


def income_expenditure(f: Facts) -> bytes | None:
    income, spend = _flows(f)
    if not _has(income + spend):
        return None
    funds = _funds(f)
    fig = _figure(len(funds))
    ax = fig.add_subplot()
    _hbars(ax, _labels(funds), [("基金收入", income), ("基金支出", spend)])
    ax.set_xlabel("万元", fontsize=FONT, loc="right")
    _legend(ax, 2)
    _style(ax)
    return _png(fig)


def completion(f: Facts) -> bytes | None:
    inc, exp = _rates(f)
    if not _has(inc + exp):
        return None
    funds = _funds(f)
    lo, hi = report()["band"]
    fig = _figure(len(funds))
    ax = fig.add_subplot()
    ax.axvspan(lo, hi, color="#e2efda", zorder=0, label=f"合理区间 {lo}%~{hi}%")
    _hbars(ax, _labels(funds), [("收入完成率", inc), ("支出完成率", exp)], fmt="{:.2f}%")
    top = max([hi, *(v for v in inc + exp if v is not None)])
    ax.set_xlim(0, top * 1.22)
    ax.set_xlabel("%", fontsize=FONT, loc="right")
    _legend(ax, 3)
    _style(ax)
    return _png(fig)


def balance(f: Facts) -> bytes | None:
    """Two panels side by side, one row per fund: the rolling balance, and the months it pays."""
    rolling, months = _balances(f)
    if not _has(rolling):
        return None
    funds = _funds(f)
    labels = _labels(funds)
    fig = _figure(len(funds), titled=True, legend=False)
    if _has(months):
        ax, ax2 = fig.subplots(1, 2, sharey=True)
    else:
        ax, ax2 = fig.add_subplot(), None
    _hbars(ax, labels, [("年末滚存结余（万元）", rolling)])
    ax.set_title("年末滚存结余（万元）", fontsize=FONT)
    _style(ax)
    if ax2 is not None:
        _hbars(ax2, labels, [("累计结余可支付月数（个月）", months)], fmt="{:.2f}个月", color0=1)
        ax2.set_title("累计结余可支付月数（个月）", fontsize=FONT)
        ax2.tick_params(labelleft=False)
        _style(ax2)
    return _png(fig)


DRAW: dict[str, Callable[[Facts], bytes | None]] = {
    "income_expenditure": income_expenditure,
    "completion": completion,
    "balance": balance,
}
AVAILABLE: dict[str, Callable[[Facts], bool]] = {
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
    f = Facts(ev)
    keys = [k for k in KEYS if AVAILABLE[k](f)]
    return {k: f"图{i}" for i, k in enumerate(keys, 1)}


def chart_captions(ev: Evaluation) -> dict[str, str]:
    """{key: "图1 各项基金收入与支出", …}: the caption printed under each chart."""
    return {k: f"{ref} {_name(k)}" for k, ref in chart_refs(ev).items()}


def build_charts(ev: Evaluation) -> list[tuple[str, str, bytes]]:
    """(key, caption, png) for every chart the data supports, in report order."""
    import matplotlib

    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "font.size": FONT,
    }
    f = Facts(ev)
    captions = chart_captions(ev)
    out = []
    with matplotlib.rc_context(rc):
        for key in KEYS:
            if key not in captions:
                continue
            png = DRAW[key](f)
            if png is not None:
                out.append((key, captions[key], png))
    return out
