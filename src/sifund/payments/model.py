"""The result of a payment audit: exactly the JSON of ``../shared/spec/payments.md`` (fields may be added).

Why pydantic models rather than dicts: the CLI's JSON, the workbook, the web app's 疑点 list and the
tests all read one shape, and a field renamed here is a type error everywhere at once.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

RISKS = ("high", "medium", "low")
RISK_NAMES = {"high": "高", "medium": "中", "low": "低"}


class RowRef(BaseModel):
    """One record a hit rests on: the table and its 1-based record number (header not counted)."""

    model_config = ConfigDict(frozen=True)
    table: str
    row: int


class Hit(BaseModel):
    """One rule's finding for one person (``person_id`` as printed in the payments table)."""

    rule: str
    risk: str
    person_id: str
    name: str
    periods: list[str]
    amount: float = Field(description="money at risk, 元, two decimals")
    reason: str
    rows: list[RowRef]
    other_ids: list[str] | None = None  # same_person_two_ids only


class RuleSummary(BaseModel):
    """``summary.by_rule[code]``: hits (people), distinct evidence rows and their money."""

    people: int = 0
    rows: int = 0
    amount: float = 0.0
    name: str = ""
    category: str = ""
    risk: str = ""
    skipped: str | None = None  # why the rule did not run (a table it needs is absent)


class Summary(BaseModel):
    payments: int
    people: int
    periods: list[str]
    by_rule: dict[str, RuleSummary]


class AuditResult(BaseModel):
    summary: Summary
    hits: list[Hit]

    def as_json(self) -> dict:
        """The contract JSON (``other_ids`` only on hits that have it, ``skipped`` only when set)."""
        return self.model_dump(exclude_none=True)
