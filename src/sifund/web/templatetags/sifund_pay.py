"""Template filters of the 疑点 pages (``{% load sifund_pay %}``): money in 元 with two decimals
and thousands separators (3,420.00元), the verification status as a badge, an evidence table's
Chinese name."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from sifund.core.numbers import format_number
from sifund.web.payment_models import VERIFY_NAMES

register = template.Library()

# the workflow's colours: 待核查 grey, 核查中 blue, 确认违规 red, 已排除 green
VERIFY_CLASSES = {
    "pending": "st-draft",
    "checking": "st-submitted",
    "confirmed": "lv-high",
    "excluded": "st-approved",
}


@register.filter
def yuan(v: Any) -> str:
    """Money in 元: 3420 → 3,420.00元; "—" when there is none."""
    if v is None or v == "":
        return "—"
    try:
        return f"{format_number(float(v), 2, thousands=True)}元"
    except (TypeError, ValueError):
        return str(v)


@register.filter
def verify_badge(status: str) -> str:
    cls = VERIFY_CLASSES.get(status, "st-draft")
    return format_html('<span class="badge {}">{}</span>', cls, VERIFY_NAMES.get(status, status))


@register.filter
def periods_text(periods: Any) -> str:
    """["2024-05", "2024-06", "2024-07"] → 2024-05～2024-07（3个月）."""
    ps = list(periods or [])
    if not ps:
        return "—"
    if len(ps) == 1:
        return ps[0]
    return f"{ps[0]}～{ps[-1]}（{len(ps)}个月）"
