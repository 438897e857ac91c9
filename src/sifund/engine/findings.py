"""Findings: what every check (dataset audit, report audit, risk rule) returns, and their catalogue.

Shaped after ``sifund audit`` in interchange.md; each finding quotes the evidence it rests on.

The catalogue (data/engine/findings.yaml) names every code a check can emit: its Chinese name (the
审核结果 workbook's 类别, the web's finding label), what it means, and an example that produces it
(a report text or a dataset); the severity of each code is audit.yaml's. Why data with examples:
a reviewer reading a finding, and a developer adding a check, both need one place saying what a
code is for, and an example that is run by the tests cannot drift from what the code does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from sifund.core.errors import Problem, SifundError
from sifund.core.model import Source
from sifund.core.packaged import data_text, parse_validated
from sifund.util import yaml_line

Severity = Literal["info", "warning", "error"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
CATALOGUE = "sifund/data/engine/findings.yaml"
CODE_RE = re.compile(r"[a-z][a-z0-9_]*")


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


# ---- validated packaged YAML ---------------------------------------------------------------

# The loader is core/packaged's; these names stay importable from here for engine/audit.py and
# tests/review/test_finding_catalogue.py, which still import them from this module.


# ---- the catalogue ---------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Example(_Strict):
    """What produces the code: a report ``text`` (extracted, then ``audit_report``) or an interchange
    ``dataset`` (``region``/``year`` may be left out; ``audit_dataset`` and ``sifund.api.check``)."""

    text: str | None = Field(None, min_length=1)
    dataset: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one(self) -> Example:
        if (self.text is None) == (self.dataset is None):
            raise ValueError("example 须且只须给出 text 或 dataset 之一 (exactly one of text, dataset)")
        if self.dataset is not None and not isinstance(self.dataset.get("figures", []), list):
            raise ValueError("example.dataset.figures 应为列表 (a list of figures)")
        return self


class Entry(_Strict):
    name: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    example: Example


class _Catalogue(RootModel[dict[str, Entry]]):
    @field_validator("root")
    @classmethod
    def _codes(cls, v: dict[str, Entry]) -> dict[str, Entry]:
        bad = [c for c in v if not CODE_RE.fullmatch(c)]
        if bad:
            raise ValueError(f"代码只能由小写字母、数字和下划线组成 bad code: {', '.join(bad)}")
        return v


@dataclass(frozen=True)
class CatalogueEntry:
    """One finding code: name, meaning, its severity (audit.yaml's) and an executable example."""

    code: str
    name: str
    meaning: str
    severity: Severity
    example: Example


def parse_catalogue(
    text: str, severities: dict[str, Severity], file: str = CATALOGUE
) -> dict[str, CatalogueEntry]:
    """Validate a catalogue text; every code must have a severity in ``severities`` (audit.yaml)."""
    model, root = parse_validated(_Catalogue, text, file)
    missing = [c for c in model.root if c not in severities]
    if missing:
        raise SifundError([Problem(file, f"line {yaml_line(root, (c,))}, {c}",
                                   "audit.yaml severity 中没有此代码 (no severity for this code)")
                           for c in missing])  # fmt: skip
    extra = [c for c in severities if c not in model.root]
    if extra:
        raise SifundError(
            [
                Problem(
                    "sifund/data/engine/audit.yaml",
                    f"severity.{c}",
                    f"{file} 中没有此代码 (code not in the catalogue)",
                )
                for c in extra
            ]
        )
    return {c: CatalogueEntry(c, e.name, e.meaning, severities[c], e.example) for c, e in model.root.items()}


@cache
def catalogue() -> dict[str, CatalogueEntry]:
    """The packaged catalogue, code → entry, in file order (parsed once)."""
    from sifund.engine.audit import audit_rules  # audit imports this module

    return parse_catalogue(data_text("engine", "findings.yaml"), audit_rules().severity)


def finding_name(code: str) -> str:
    """The Chinese name of a finding code (the code itself when it is not catalogued)."""
    entry = catalogue().get(code)
    return entry.name if entry is not None else code
