"""Findings: what every check (dataset audit, report audit, risk rule) returns.

Shaped after ``sifund audit`` in interchange.md; each finding quotes the evidence it rests on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sifund.core.model import Source

Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


class Finding(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    severity: Severity
    fund: str | None = None
    item: str | None = None
    measure: str | None = None
    stated: float | None = None
    expected_range: list[float] | None = None
    message: str
    evidence: list[Source] = Field(default_factory=list)
    recomputation: str | None = None  # "1590/1308×100"


def audit_json(findings: list[Finding]) -> dict:
    """The ``sifund.audit/1`` object of interchange.md."""
    return {
        "schema": "sifund.audit/1",
        "findings": [f.model_dump(mode="json", exclude_none=True) for f in findings],
    }
