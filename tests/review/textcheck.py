"""Helpers shared by the rule tests: the figures and the serious findings of a made-up text."""

from __future__ import annotations

from sifund.engine.findings import Finding
from sifund.review.audit import audit_report
from sifund.review.extract import extract_text


def figs(text: str) -> dict[tuple[str, str, str], list[float]]:
    """Every extracted value by (fund, item, measure)."""
    out: dict[tuple[str, str, str], list[float]] = {}
    for f in extract_text(text).dataset.figures:
        out.setdefault(f.key, []).append(f.value)
    return out


def serious(text: str) -> list[Finding]:
    """The warnings and errors the report audit raises on ``text``."""
    return [f for f in audit_report(extract_text(text)) if f.severity in ("warning", "error")]
