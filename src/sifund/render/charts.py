"""Charts for the report (matplotlib, PNG bytes): flows by fund, completion vs the band, balances.

Uses the object API (no pyplot global state) and a CJK font found by name, failing loudly when
it is missing rather than drawing tofu. Values come from the same Facts as the text.
"""

from __future__ import annotations

import io
from functools import cache

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.engine.evaluation import Evaluation
from sifund.render.phrases import Facts
from sifund.render.wording import load, report

COLORS = ("#2f5597", "#c55a11", "#548235", "#7f6000")


@cache
def cjk_family() -> str:
    """The first configured CJK font that is installed (fonts.yaml ``chart``), found even when
    matplotlib's font cache predates the font's installation (see ``fonts.chart_family``)."""
    from sifund.render.fonts import chart_family

    family = chart_family(list(load("fonts")["chart"]))
    if family is None:
        raise SifundError("未找到中文字体 no CJK font (install fonts-noto-cjk) — charts would show boxes")
    return family


def _figure(width: float = 7.0, height: float = 3.6) -> Figure:
    fig = Figure(figsize=(width, height), dpi=150, layout="constrained")
    fig.set_facecolor("white")
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def _style(ax) -> None:  # type: ignore[no-untyped-def]
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _funds(f: Facts) -> list[str]:
    return f.funds() or ["all"]


def _labels(funds: list[str]) -> list[str]:
    return [codebook().funds[x].short for x in funds]


def _bars(
    ax,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],  # type: ignore[no-untyped-def]
    fmt: str = "{:.2f}",
) -> None:
    n = len(series)
    width = 0.8 / n
    for k, (name, values) in enumerate(series):
        xs = [i + (k - (n - 1) / 2) * width for i in range(len(labels))]
        bars = ax.bar(xs, [v or 0.0 for v in values], width, label=name, color=COLORS[k % len(COLORS)])
        texts = [fmt.format(v) if v is not None else "" for v in values]
        ax.bar_label(bars, labels=texts, fontsize=6, padding=1)
    ax.set_xticks(range(len(labels)), labels)


def income_expenditure(f: Facts) -> bytes | None:
    funds = _funds(f)
    income = [f.fig(x, "income_total") for x in funds]
    spend = [f.fig(x, "expenditure_total") for x in funds]
    if all(v is None for v in income + spend):
        return None
    fig = _figure()
    ax = fig.add_subplot()
    _bars(ax, _labels(funds), [("基金收入", income), ("基金支出", spend)])
    ax.set_ylabel("万元")
    ax.set_title(report()["charts"]["income_expenditure"], fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    _style(ax)
    return _png(fig)


def completion(f: Facts) -> bytes | None:
    funds = _funds(f)
    inc = [f.value(x, "income_completion") for x in funds]
    exp = [f.value(x, "expenditure_completion") for x in funds]
    if all(v is None for v in inc + exp):
        return None
    lo, hi = report()["band"]
    fig = _figure()
    ax = fig.add_subplot()
    ax.axhspan(lo, hi, color="#e2efda", zorder=0, label=f"合理区间 {lo}%~{hi}%")
    _bars(ax, _labels(funds), [("收入完成率", inc), ("支出完成率", exp)], fmt="{:.2f}%")
    top = max([hi, *(v for v in inc + exp if v is not None)])
    ax.set_ylim(0, top * 1.15)
    ax.set_ylabel("%")
    ax.set_title(report()["charts"]["completion"], fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3)
    _style(ax)
    return _png(fig)


def balance(f: Facts) -> bytes | None:
    funds = _funds(f)
    rolling = [f.fig(x, "balance_rolling") for x in funds]
    rolling = [
        r if r is not None else f.value(x, "balance_rolling") for r, x in zip(rolling, funds, strict=True)
    ]
    months = [f.value(x, "payable_months") for x in funds]
    if all(v is None for v in rolling):
        return None
    fig = _figure()
    ax = fig.add_subplot()
    _bars(ax, _labels(funds), [("年末滚存结余（万元）", rolling)])
    ax.set_ylabel("万元")
    top = max((abs(r) for r in rolling if r is not None), default=1.0)
    ax.set_ylim(min(0.0, *(r for r in rolling if r is not None)) * 1.2, top * 1.3 or 1)
    if any(m is not None for m in months):
        ax2 = ax.twinx()
        xs = [i for i, m in enumerate(months) if m is not None]
        ys = [m for m in months if m is not None]
        ax2.plot(xs, ys, "o-", color=COLORS[1], label="累计结余可支付月数")
        for x, y in zip(xs, ys, strict=True):
            ax2.annotate(
                f"{y:.2f}个月",
                (x, y),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7,
                color=COLORS[1],
            )
        ax2.set_ylabel("个月")
        ax2.set_ylim(min(0.0, *ys) * 1.2, max(ys) * 1.3 if max(ys) > 0 else 1)
        ax2.spines[["top"]].set_visible(False)
        ax2.legend(fontsize=8, frameon=False, loc="upper right")
    ax.set_title(report()["charts"]["balance"], fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    _style(ax)
    return _png(fig)


def build_charts(ev: Evaluation) -> list[tuple[str, str, bytes]]:
    """(key, title, png) for every chart the data supports, in report order."""
    rc = {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_family(), "DejaVu Sans"],
        "axes.unicode_minus": False,
    }
    f = Facts(ev)
    out = []
    with matplotlib.rc_context(rc):
        for key, fn in (
            ("income_expenditure", income_expenditure),
            ("completion", completion),
            ("balance", balance),
        ):
            png = fn(f)
            if png is not None:
                out.append((key, report()["charts"][key], png))
    return out
