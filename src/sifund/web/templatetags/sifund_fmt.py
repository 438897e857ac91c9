"""Numbers, dates and codes the Chinese finance way, for every page (``{% load sifund_fmt %}``).

Money in 万元 with two decimals and thousands separators (44,140.50万元), rates as percent numbers
with two decimals (101.89%), months of payment capacity with two decimals (3.14个月), people as
whole numbers (1,234人); times in Beijing time as ``2026年12月1日 21:05``. Codes (fund, item,
measure, status, risk level, severity) become their Chinese names from the code list. A missing
value is "—", never 0.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils.html import format_html

from sifund.core.codes import codebook
from sifund.core.numbers import format_number
from sifund.render.audit_xlsx import FINDING_NAMES, SEVERITY_NAMES
from sifund.web.models import ACTION_NAMES, STATUS_NAMES

register = template.Library()

DASH = "—"
SHANGHAI = ZoneInfo("Asia/Shanghai")
RISK_CLASSES = {"高": "lv-high", "中": "lv-medium", "低": "lv-low", "high": "lv-high", "medium": "lv-medium",
                "low": "lv-low"}  # fmt: skip
RISK_NAMES = {"high": "高", "medium": "中", "low": "低"}
JUDGEMENTS = {
    "met": ("达成", "sev-ok"),
    "partly_met": ("部分达成", "sev-warning"),
    "not_met": ("未达成", "sev-error"),
    "unknown": ("无法判断", "sev-info"),
}


def _number(v: Any) -> float | None:
    if v is None or isinstance(v, bool) or v == "":
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


@register.filter
def num(v: Any, decimals: int = 2) -> str:
    """30813.69 → 30,813.69 (``decimals`` places, half-up)."""
    f = _number(v)
    return DASH if f is None else format_number(f, int(decimals), thousands=True)


@register.filter
def wan(v: Any) -> str:
    """Money: 44140.5 → 44,140.50万元."""
    f = _number(v)
    return DASH if f is None else f"{format_number(f, 2, thousands=True)}万元"


@register.filter
def pct(v: Any) -> str:
    """A rate already in percent: 101.894 → 101.89%."""
    f = _number(v)
    return DASH if f is None else f"{format_number(f, 2)}%"


@register.filter
def months(v: Any) -> str:
    """Months of payment capacity: 3.140625 → 3.14个月."""
    f = _number(v)
    return DASH if f is None else f"{format_number(f, 2)}个月"


@register.filter
def people(v: Any) -> str:
    f = _number(v)
    return DASH if f is None else f"{format_number(f, 0, thousands=True)}人"


@register.filter
def score(v: Any) -> str:
    """A score with two decimals (94.76); "—" when there is none."""
    f = _number(v)
    return DASH if f is None else format_number(f, 2)


@register.filter
def value(v: Any, unit: str = "") -> str:
    """A computed metric with its unit, as the report prints it (by the metric's ``unit``)."""
    f = _number(v)
    if f is None:
        return DASH
    unit = unit or ""
    if unit == "%":
        return pct(f)
    if unit == "万元":
        return wan(f)
    if unit == "个月":
        return months(f)
    if unit in ("人", "人次"):
        return f"{format_number(f, 0, thousands=True)}{unit}"
    return f"{format_number(f, 2, thousands=True)}{unit}"


@register.filter
def plain(v: Any) -> str:
    """A stated number as typed, without trailing zeros (121.4, 44140.5)."""
    f = _number(v)
    if f is None:
        return DASH if v is None else str(v)
    text = f"{f:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _local(v: Any) -> datetime | None:
    if isinstance(v, str):
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            return None
    if not isinstance(v, datetime):
        return None
    return v.astimezone(SHANGHAI) if v.tzinfo else v


@register.filter
def cn_datetime(v: Any) -> str:
    """Beijing time: 2026年12月1日 21:05."""
    t = _local(v)
    return DASH if t is None else f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


@register.filter
def cn_date(v: Any) -> str:
    if isinstance(v, date) and not isinstance(v, datetime):
        return f"{v.year}年{v.month}月{v.day}日"
    t = _local(v)
    return DASH if t is None else f"{t.year}年{t.month}月{t.day}日"


@register.filter
def status_badge(status: str) -> str:
    """The workflow status as a coloured badge (草稿 / 已提交 / 已退回 / 已通过)."""
    return format_html('<span class="badge st-{}">{}</span>', status, STATUS_NAMES.get(status, status))


@register.filter
def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status or "")


@register.filter
def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action or "")


@register.filter
def risk_badge(level: str) -> str:
    """A risk level (高/中/低, or high/medium/low) as a badge."""
    if not level:
        return format_html('<span class="badge lv-low">{}</span>', DASH)
    name = RISK_NAMES.get(level, level)
    return format_html('<span class="badge {}">{}风险</span>', RISK_CLASSES.get(level, "lv-low"), name)


@register.filter
def severity_badge(severity: str) -> str:
    return format_html(
        '<span class="badge sev-{}">{}</span>', severity, SEVERITY_NAMES.get(severity, severity or "")
    )


@register.filter
def judgement_badge(status: str) -> str:
    name, cls = JUDGEMENTS.get(status, (status or DASH, "sev-info"))
    return format_html('<span class="badge {}">{}</span>', cls, name)


@register.filter
def finding_name(code: str) -> str:
    return FINDING_NAMES.get(code, code or "")


@register.filter
def fund_name(code: str | None) -> str:
    if not code:
        return ""
    f = codebook().funds.get(code)
    return f.name if f else code


@register.filter
def fund_short(code: str | None) -> str:
    if not code:
        return ""
    f = codebook().funds.get(code)
    return f.short if f else code


@register.filter
def item_name(code: str | None) -> str:
    it = codebook().items.get(code or "")
    return it.name if it else (code or "")


@register.filter
def measure_name(code: str | None) -> str:
    m = codebook().measures.get(code or "")
    return m.name if m else (code or "")


@register.filter
def get(d: Any, key: Any) -> Any:
    """``d|get:key`` — a dict lookup by a variable key."""
    try:
        return d.get(key)
    except AttributeError:
        return None


@register.filter
def shown(v: Any) -> str:
    """A before/after value of the history: numbers plain, text as is, objects as compact JSON."""
    if v is None:
        return "（无）"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int | float):
        return plain(v)
    if isinstance(v, str):
        return v if v else "（空）"
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))[:2000]
