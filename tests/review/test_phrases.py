"""Phrase tests as data: every case of ``tests/review/phrases/*.yaml`` is one test, ``<file>::<id>``.

Why data: a phrasing of the genre (较上年增加…, 完成预算…的…%, 其中：…) is pinned by a short made-up
text and what must be read from it, grouped by the concept it exercises rather than by the blind
round that first showed it. A rule change is then checked against every phrasing of its concept, a
failure reads as "expected / extracted / from this source text", and the grammar productions to come
can point at their examples (``production:``).

A phrase file is ``about:`` (one line: the concept), ``head:`` (the report head put before each
text: ``report`` = a title and （2021年度）, ``title`` = a title naming 2021年度, ``none``) and ``cases:``.
A case has ``id``, ``why`` (one line: the behaviour pinned), ``text`` (made up, never corpus text),
optional ``head``, ``production`` (the grammar production or table reading the case exemplifies:
some figure or unresolved number of the case is its), ``xfail: "reason"`` (a known miss; strict, so a
fix fails until the mark is removed) and at least one expectation:

- ``figures: {fund/item/measure: [values]}``: the values of that key, exactly and in order. A segment
  may be a glob (``"*/*/completion_rate"``): then the values of every matching figure.
- ``only: {key: [values]}``: as ``figures``, and no other key is extracted (``only: {}``: no figure).
- ``contains: {key: [values]}``: these values are among the key's values.
- ``absent: [key pattern]`` / ``absent_values: {key pattern: [values]}``: nothing matches.
- ``details:``: the one figure picked by ``value`` / ``pick`` (key pattern) / ``index`` has the
  given ``key``, ``basis``, ``precision``, ``unit``, ``role``, ``production``, ``scope_at`` (the text
  offset where the scope frame telling its fund starts), ``qualifier`` (the part of the fund it is
  of: an account, a funding source), ``attribution`` (the entries given),
  ``source_has`` (substrings of its quoted source).
- ``unresolved: [{value, reason, text_has}]``: each matches an unresolved entry.
- ``targets: [{value, unit, fund, index}]``: text targets (parsed.targets), ``notes: [kind]`` exactly.
- ``header: {year, region}``; ``indicators: [{level1, name, target, actual}]`` and ``indicator_count``.
- ``findings: [matcher]`` (each matches at least one finding, or exactly ``count``), ``no_findings:
  [matcher]`` (none matches) and ``serious: [codes]`` (the codes of the warnings and errors, exactly;
  ``serious: []`` is "no serious finding"). A matcher is a conjunction of ``code``, ``severity`` (one or
  a list), ``measure``, ``fund``, ``item``, ``serious`` (warning/error), ``message_has``,
  ``message_lacks``, ``evidence_has``.

Every case also checks that each figure has a source quoting the text at its offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sifund.core.codes import codebook
from sifund.core.model import Figure
from sifund.engine.findings import Finding
from sifund.review.audit import audit_report
from sifund.review.extract import ExtractResult, extract_text
from sifund.util import yaml_line

PHRASES = Path(__file__).parent / "phrases"
HEADS = {
    "report": "示例县社会保险基金支出预算绩效自评报告\n（2021年度）\n",
    "title": "示例县2021年度社会保险基金支出预算绩效自评报告\n\n",
    "none": "",
}
SERIOUS = ("warning", "error")
_ID = r"^[a-z0-9_]+$"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ------------------------------------------------------------------------------------------------
# The schema: unknown keys fail (a typo would silently drop an expectation), key codes must exist.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _check_pattern(pattern: str) -> str:
    """A ``fund/item/measure`` key whose segments are codes of data/codes.yaml or globs."""
    parts = pattern.split("/")
    if len(parts) != 3:
        raise ValueError(f"key {pattern!r} is not fund/item/measure")
    book = codebook()
    for part, known, what in zip(
        parts, (book.funds, book.items, book.measures), ("fund", "item", "measure"), strict=True
    ):
        if not any(c in part for c in "*?[") and part not in known:
            raise ValueError(f"unknown {what} code {part!r} in {pattern!r}")
    return pattern


def _check_exact_key(key: str) -> str:
    if any(c in key for c in "*?["):
        raise ValueError(f"{key!r}: a glob is not allowed here")
    return _check_pattern(key)


def _patterns(v: dict[str, list[float]] | list[str]) -> Any:
    for k in v:
        _check_pattern(k)
    return v


Values = list[float]


class Detail(_Strict):
    """The one figure picked by ``value``/``pick``/``index`` and what must hold of it."""

    value: float | None = None
    pick: str | None = None
    index: int | None = None
    key: str | None = None
    basis: str | None = None
    precision: float | None = None
    unit: str | None = None
    role: str | None = None
    production: str | None = Field(None, pattern=r"^[A-Z][A-Z0-9_]*$")
    scope_at: int | None = None
    qualifier: str | None = None
    attribution: dict[Literal["fund", "item"], str] | None = None
    source_has: list[str] = Field(default_factory=list)

    @field_validator("pick")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        return v if v is None else _check_pattern(v)

    @field_validator("key")
    @classmethod
    def _exact(cls, v: str | None) -> str | None:
        return v if v is None else _check_exact_key(v)

    @model_validator(mode="after")
    def _picks_a_figure(self) -> Detail:
        """Picked and nothing else checked still says something: exactly one figure is so picked."""
        if self.value is None and self.pick is None and self.index is None:
            raise ValueError("a detail picks its figure by value, pick or index")
        return self


class UnresolvedCheck(_Strict):
    value: float | None = None
    reason: str | None = None
    text_has: str | None = None


class TargetCheck(_Strict):
    value: float
    index: int | None = None
    unit: str | None = None
    fund: str | None = None


class HeaderCheck(_Strict):
    year: int | None = None
    region: str | None = None


class IndicatorCheck(_Strict):
    level1: str | None = None
    name: str
    target: str
    actual: str


class FindingMatch(_Strict):
    """A conjunction: a finding matches when every given field holds."""

    code: str | None = None
    severity: Literal["info", "warning", "error"] | list[Literal["info", "warning", "error"]] | None = None
    measure: str | None = None
    fund: str | None = None
    item: str | None = None
    serious: bool | None = None
    message_has: list[str] = Field(default_factory=list)
    message_lacks: list[str] = Field(default_factory=list)
    evidence_has: list[str] = Field(default_factory=list)
    count: int | None = Field(None, ge=0)

    def matches(self, f: Finding) -> bool:
        sev = [self.severity] if isinstance(self.severity, str) else self.severity
        return (
            (self.code is None or f.code == self.code)
            and (sev is None or f.severity in sev)
            and all(
                getattr(self, a) is None or getattr(f, a) == getattr(self, a)
                for a in ("measure", "fund", "item")
            )
            and (self.serious is None or (f.severity in SERIOUS) == self.serious)
            and all(s in f.message for s in self.message_has)
            and not any(s in f.message for s in self.message_lacks)
            and all(any(s in e.text for e in f.evidence) for s in self.evidence_has)
        )

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude_defaults=True).items())


class Case(_Strict):
    id: str = Field(pattern=_ID)
    why: str = Field(min_length=1)
    text: str = Field(min_length=1)
    head: Literal["report", "title", "none"] | None = None
    production: str | None = Field(None, pattern=r"^[A-Z][A-Z0-9_]*$")
    xfail: str | None = Field(None, min_length=1)
    header: HeaderCheck | None = None
    figures: dict[str, Values] | None = None
    only: dict[str, Values] | None = None
    contains: dict[str, Values] | None = None
    absent: list[str] | None = None
    absent_values: dict[str, Values] | None = None
    details: list[Detail] | None = None
    unresolved: list[UnresolvedCheck] | None = None
    targets: list[TargetCheck] | None = None
    notes: list[str] | None = None
    indicators: list[IndicatorCheck] | None = None
    indicator_count: int | None = None
    findings: list[FindingMatch] | None = None
    no_findings: list[FindingMatch] | None = None
    serious: list[str] | None = None

    @field_validator("figures", "contains", "absent", "absent_values")
    @classmethod
    def _key_patterns(cls, v: Any) -> Any:
        return v if v is None else _patterns(v)

    @field_validator("why")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if "\n" in v.strip():
            raise ValueError("why is one line")
        return v

    @field_validator("only")
    @classmethod
    def _exact_keys(cls, v: dict[str, Values] | None) -> dict[str, Values] | None:
        for k in v or {}:
            _check_exact_key(k)
        return v

    @model_validator(mode="after")
    def _expects_something(self) -> Case:
        if not any(getattr(self, name) is not None for name in EXPECTATIONS):
            raise ValueError("a case states at least one expectation")
        return self

    @property
    def audited(self) -> bool:
        return any(x is not None for x in (self.findings, self.no_findings, self.serious))


EXPECTATIONS = tuple(
    n for n in Case.model_fields if n not in ("id", "why", "text", "head", "production", "xfail")
)


class PhraseFile(_Strict):
    about: str = Field(min_length=1)
    head: Literal["report", "title", "none"]
    cases: list[dict[str, Any]] = Field(min_length=1)


# ------------------------------------------------------------------------------------------------
# Loading, with the errors naming the file, the case and the line.


@dataclass
class Loaded:
    name: str  # file name, e.g. completion.yaml
    head: str  # the file's default head
    raw: list[dict[str, Any]]  # the cases as written (validated one by one, so one bad case is one failure)
    lines: list[int]  # line of each case
    errors: list[str]  # file-level errors (YAML, schema, duplicate keys or ids)


def _duplicate_keys(node: yaml.Node, name: str, out: list[str]) -> None:
    """PyYAML keeps the last of two equal keys: a second ``figures:`` would silently drop the first."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if k.value in seen:
                out.append(f"{name}:{k.start_mark.line + 1}: duplicate key {k.value!r}")
            seen.add(k.value)
            _duplicate_keys(v, name, out)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _duplicate_keys(v, name, out)


def load_text(name: str, text: str) -> Loaded:
    """A phrase file's cases and the errors of its shape (each naming the file and the line)."""
    errors: list[str] = []
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        return Loaded(name, "none", [], [], [f"{name}: not YAML: {e}"])
    if root is not None:
        _duplicate_keys(root, name, errors)
    try:
        pf = PhraseFile.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            line = yaml_line(root, err["loc"])
            errors.append(f"{name}:{line}: {'.'.join(map(str, err['loc']))}: {err['msg']}")
        return Loaded(name, "none", [], [], errors)
    case_nodes = next(v for k, v in root.value if k.value == "cases").value
    lines = [n.start_mark.line + 1 for n in case_nodes]
    ids = [c.get("id") for c in pf.cases]
    errors += [f"{name}: duplicate case id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    return Loaded(name, pf.head, pf.cases, lines, errors)


def validate(loaded: Loaded, index: int) -> tuple[Case | None, list[str]]:
    """Case ``index`` of a loaded file, or the schema errors naming the file, the case id and the line."""
    raw = loaded.raw[index]
    cid = raw.get("id", f"#{index + 1}")
    try:
        return Case.model_validate(raw), []
    except ValidationError as e:
        out = []
        for err in e.errors():
            where = ".".join(map(str, err["loc"])) or "case"
            out.append(f"{loaded.name}::{cid} (line {loaded.lines[index]}): {where}: {err['msg']}")
        return None, out


@cache
def phrase_files() -> tuple[Loaded, ...]:
    return tuple(load_text(p.name, p.read_text("utf-8")) for p in sorted(PHRASES.glob("*.yaml")))


def _params() -> list[Any]:
    out = []
    for f in phrase_files():
        for i, raw in enumerate(f.raw):
            cid = f"{f.name}::{raw.get('id', f'#{i + 1}')}"
            reason = raw.get("xfail")
            marks = [pytest.mark.xfail(reason=str(reason), strict=True)] if reason else []
            out.append(pytest.param(f, i, id=cid, marks=marks))
    return out


# ------------------------------------------------------------------------------------------------
# Running a case: every failed expectation, then what was extracted.


def _match(pattern: str, key: tuple[str, str, str]) -> bool:
    return all(fnmatchcase(k, p) for k, p in zip(key, pattern.split("/"), strict=True))


def _values(figs: list[Figure], pattern: str) -> list[float]:
    return [f.value for f in figs if _match(pattern, f.key)]


def _num(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e15 else repr(v)


def _nums(vs: list[float]) -> str:
    return "[" + ", ".join(_num(v) for v in vs) + "]"


def _fig(i: int, f: Figure) -> str:
    ex = f.model_extra or {}
    att = ex.get("attribution") or {}
    bits = [f"role {ex.get('role')}"] if ex.get("role") else []
    bits += [f"fund by {att['fund']}"] if "fund" in att else []
    bits += [f"item by {att['item']}"] if "item" in att else []
    bits += [f"basis {f.basis}"] if f.basis else []
    src = f.source.text.replace("\n", "⏎") if f.source else "—"
    return f"  [{i}] {'/'.join(f.key)} = {_num(f.value)} {f.unit or ''} ({', '.join(bits)}) «{src}»"


def _finding(f: Finding) -> str:
    where = "/".join(x or "·" for x in (f.fund, f.item, f.measure))
    ev = " | ".join(e.text.replace("\n", "⏎") for e in f.evidence)
    return f"  {f.severity} {f.code} ({where}): {f.message} «{ev}»"


def report(case: Case, res: ExtractResult, findings: list[Finding] | None) -> str:
    """What was extracted, with each figure's source text: the part of a failure one reads first."""
    figs = res.dataset.figures
    lines = ["extracted figures:"] + ([_fig(i, f) for i, f in enumerate(figs)] or ["  (none)"])
    if res.unresolved:
        lines.append("unresolved:")
        lines += [f"  {_num(u['value'])} {u['unit']} — {u['reason']} «{u['text']}»" for u in res.unresolved]
    if case.targets is not None or case.notes is not None:
        lines.append(
            "text targets: " + ", ".join(f"{t.label}={_num(t.value)}{t.unit}" for t in res.parsed.targets)
        )
        lines.append("notes: " + ", ".join(n["kind"] for n in res.parsed.notes))
    if case.indicators is not None or case.indicator_count is not None:
        lines.append("indicators:")
        lines += [f"  {i.level1} | {i.name} | {i.target} | {i.actual}" for i in res.dataset.indicators]
    if findings is not None:
        lines.append("findings:")
        lines += [_finding(f) for f in findings] or ["  (none)"]
    return "\n".join(lines)


def check(case: Case, res: ExtractResult, findings: list[Finding] | None) -> list[str]:
    """Every expectation of ``case`` that ``res`` (and the audit ``findings``) does not meet."""
    figs = res.dataset.figures
    bad: list[str] = []
    for f in figs:
        if f.source is None:
            bad.append(f"{'/'.join(f.key)} = {_num(f.value)} has no source")
        elif res.text[f.source.start : f.source.end] != f.source.text:
            bad.append(
                f"source of {'/'.join(f.key)} = {_num(f.value)} does not quote the text at its offsets"
            )
    if case.header:
        for a, got in (("year", res.header.year), ("region", res.dataset.region)):
            want = getattr(case.header, a)
            if want is not None and got != want:
                bad.append(f"header {a}: expected {want}, read {got}")
    for pattern, want in (case.figures or {}).items():
        got = _values(figs, pattern)
        if got != want:
            bad.append(f"figures {pattern}: expected {_nums(want)}, extracted {_nums(got)}")
    if case.only is not None:
        for key, want in case.only.items():
            got = _values(figs, key)
            if got != want:
                bad.append(f"only {key}: expected {_nums(want)}, extracted {_nums(got)}")
        extra = sorted({"/".join(f.key) for f in figs} - set(case.only))
        if extra:
            bad.append(f"only: keys not expected: {', '.join(extra)}")
    for pattern, want in (case.contains or {}).items():
        got = _values(figs, pattern)
        missing = [v for v in want if v not in got]
        if missing:
            bad.append(f"contains {pattern}: {_nums(missing)} missing, extracted {_nums(got)}")
    for pattern in case.absent or []:
        got = [f for f in figs if _match(pattern, f.key)]
        if got:
            bad.append(f"absent {pattern}: extracted {', '.join('/'.join(f.key) for f in got)}")
    for pattern, never in (case.absent_values or {}).items():
        got = [v for v in _values(figs, pattern) if v in never]
        if got:
            bad.append(f"absent_values {pattern}: extracted {_nums(got)}")
    for d in case.details or []:
        bad += _detail(d, figs)
    made = [(f.model_extra or {}).get("production") for f in figs]
    made += [u.get("production") for u in res.unresolved]
    if case.production is not None and case.production not in made:
        bad.append(f"production {case.production}: made no figure and left no number unresolved here")
    for u in case.unresolved or []:
        if not any(
            (u.value is None or e["value"] == u.value)
            and (u.reason is None or e["reason"] == u.reason)
            and (u.text_has is None or u.text_has in e["text"])
            for e in res.unresolved
        ):
            bad.append(f"unresolved: no entry with {u.model_dump(exclude_none=True)}")
    for t in case.targets or []:
        pool = res.parsed.targets if t.index is None else res.parsed.targets[t.index : t.index + 1]
        if not any(
            x.value == t.value and t.unit in (None, x.unit) and t.fund in (None, x.fund) for x in pool
        ):
            bad.append(f"targets: no text target {t.model_dump(exclude_none=True)}")
    if case.notes is not None and [n["kind"] for n in res.parsed.notes] != case.notes:
        bad.append(f"notes: expected {case.notes}, got {[n['kind'] for n in res.parsed.notes]}")
    inds = res.dataset.indicators
    for want in case.indicators or []:
        if not any(
            (want.level1 is None or i.level1 == want.level1)
            and (i.name, i.target, i.actual) == (want.name, want.target, want.actual)
            for i in inds
        ):
            bad.append(f"indicators: no row {want.model_dump(exclude_none=True)}")
    if case.indicator_count is not None and len(inds) != case.indicator_count:
        bad.append(f"indicator_count: expected {case.indicator_count}, read {len(inds)}")
    if findings is not None:
        bad += _findings(case, findings)
    return bad


def _detail(d: Detail, figs: list[Figure]) -> list[str]:
    sel = [
        (i, f)
        for i, f in enumerate(figs)
        if (d.value is None or f.value == d.value)
        and (d.pick is None or _match(d.pick, f.key))
        and (d.index is None or i == d.index)
    ]
    what = ", ".join(
        f"{k} {v}" for k, v in (("value", d.value), ("pick", d.pick), ("index", d.index)) if v is not None
    )
    if len(sel) != 1:
        return [f"details: {len(sel)} figures with {what}, expected exactly one"]
    i, f = sel[0]
    ex = f.model_extra or {}
    bad = []
    if d.key is not None and "/".join(f.key) != d.key:
        bad.append(f"details [{i}] ({what}): key {'/'.join(f.key)}, expected {d.key}")
    for a, got in (
        ("basis", f.basis),
        ("unit", f.unit),
        ("role", ex.get("role")),
        ("production", ex.get("production")),
        ("scope_at", ex.get("scope_at")),
        ("qualifier", ex.get("qualifier")),
    ):
        if getattr(d, a) is not None and got != getattr(d, a):
            bad.append(f"details [{i}] ({what}): {a} {got}, expected {getattr(d, a)}")
    if d.precision is not None and (
        f.precision is None or abs(f.precision - d.precision) > 1e-9 * d.precision
    ):
        bad.append(f"details [{i}] ({what}): precision {f.precision}, expected {d.precision}")
    att = ex.get("attribution") or {}
    for k, v in (d.attribution or {}).items():
        if att.get(k) != v:
            bad.append(f"details [{i}] ({what}): attribution {k} by {att.get(k)}, expected {v}")
    src = f.source.text if f.source else ""
    bad += [f"details [{i}] ({what}): source «{src}» lacks {s!r}" for s in d.source_has if s not in src]
    return bad


def _findings(case: Case, findings: list[Finding]) -> list[str]:
    bad = []
    for m in case.findings or []:
        n = sum(m.matches(f) for f in findings)
        if (m.count is None and n == 0) or (m.count is not None and n != m.count):
            want = "at least one" if m.count is None else f"exactly {m.count}"
            bad.append(f"findings: {want} finding with {m}, found {n}")
    for m in case.no_findings or []:
        if any(m.matches(f) for f in findings):
            bad.append(f"no_findings: a finding with {m}")
    if case.serious is not None:
        got = [f.code for f in findings if f.severity in SERIOUS]
        if got != case.serious:
            bad.append(f"serious: expected {case.serious}, found {got}")
    return bad


def run(case: Case, head: str) -> tuple[list[str], str]:
    """The failed expectations of ``case`` and the report of what was extracted."""
    res = extract_text(HEADS[case.head or head] + case.text)
    findings = audit_report(res) if case.audited else None
    return check(case, res, findings), report(case, res, findings)


@pytest.mark.parametrize(("loaded", "index"), _params())
def test_phrase(loaded: Loaded, index: int) -> None:
    """One phrase case: its text extracts (and audits) as its expectations say."""
    case, errors = validate(loaded, index)
    if case is None:
        pytest.fail("\n".join(errors), pytrace=False)
    failed, extracted = run(case, loaded.head)
    if failed:
        text = "\n".join("  " + line for line in case.text.rstrip("\n").split("\n"))
        pytest.fail(
            f"{loaded.name}::{case.id} — {case.why}\ntext:\n{text}\nfailed:\n"
            + "\n".join(f"  - {b}" for b in failed)
            + f"\n{extracted}",
            pytrace=False,
        )


# ------------------------------------------------------------------------------------------------
# Meta-tests: the files themselves, and the runner's own checks.


def test_phrase_files_exist_and_follow_the_schema() -> None:
    """Every phrase file is YAML of the schema with cases, and every case validates: an unknown key, a
    misspelt code or a duplicate key names the file, the case and the line."""
    files = phrase_files()
    assert len(files) >= 10, "tests/review/phrases/ lost its files"
    errors = [e for f in files for e in f.errors]
    errors += [e for f in files for i in range(len(f.raw)) for e in validate(f, i)[1]]
    assert not errors, "\n".join(errors)


def test_every_case_says_why_and_every_file_has_cases() -> None:
    """A case without its one-line ``why`` pins a behaviour nobody can name; an empty file pins nothing."""
    for f in phrase_files():
        assert f.raw, f"{f.name} has no cases"
        for i, raw in enumerate(f.raw):
            why = str(raw.get("why") or "").strip()
            assert why and "\n" not in why, f"{f.name}::{raw.get('id', i)}: why must be one non-empty line"


def test_finding_codes_named_in_cases_are_catalogued() -> None:
    """A misspelt code in ``no_findings`` would make the case pass whatever the audit says: every code a
    case names is one of the finding catalogue (data/engine/findings.yaml)."""
    from sifund.engine.findings import catalogue

    known = set(catalogue())
    bad = []
    for f in phrase_files():
        for i in range(len(f.raw)):
            case = validate(f, i)[0]
            if case is None:
                continue
            named = [m.code for m in (case.findings or []) + (case.no_findings or []) if m.code]
            bad += [f"{f.name}::{case.id}: {c}" for c in [*named, *(case.serious or [])] if c not in known]
    assert not bad, "unknown finding codes:\n" + "\n".join(bad)


def cases_by_production(files: tuple[Loaded, ...] | None = None) -> dict[str, list[str]]:
    """Production name → the cases that exemplify it (``file::id``): tests/review/test_grammar.py holds
    every production of the grammar to at least one case here."""
    out: dict[str, list[str]] = {}
    for f in phrase_files() if files is None else files:
        for raw in f.raw:
            if raw.get("production"):
                out.setdefault(str(raw["production"]), []).append(f"{f.name}::{raw.get('id')}")
    return out


def test_cases_name_their_production() -> None:
    """A case may name the grammar production it exemplifies (UPPER_SNAKE); the hook lists them."""
    text = (
        "about: x\nhead: report\ncases:\n"
        "  - id: a\n    why: w\n    text: t\n    production: YOY_CHANGE\n    only: {}\n"
        "  - id: b\n    why: w\n    text: t\n    production: yoy change\n    only: {}\n"
    )
    loaded = load_text("demo.yaml", text)
    assert cases_by_production((loaded,)) == {"YOY_CHANGE": ["demo.yaml::a"], "yoy change": ["demo.yaml::b"]}
    assert validate(loaded, 0)[1] == []
    (bad,) = validate(loaded, 1)[1]
    assert bad.startswith("demo.yaml::b (line 9): production:")


def test_schema_rejects_unknown_keys_and_codes_naming_file_case_and_line() -> None:
    """The schema check itself can fail: a misspelt expectation or code is reported where it is."""
    text = (
        "about: x\nhead: report\ncases:\n"
        "  - id: good\n    why: w\n    text: t\n    figures: {work_injury/income_total/actual: [1]}\n"
        "  - id: typo\n    why: w\n    text: t\n    figurs: {work_injury/income_total/actual: [1]}\n"
        "  - id: code\n    why: w\n    text: t\n    figures: {work_injury/income_totl/actual: [1]}\n"
        "  - id: none\n    why: w\n    text: t\n"
    )
    loaded = load_text("demo.yaml", text)
    assert loaded.errors == []
    assert validate(loaded, 0)[1] == []
    (typo,) = validate(loaded, 1)[1]
    assert typo.startswith("demo.yaml::typo (line 8): figurs:") and "Extra inputs" in typo
    (code,) = validate(loaded, 2)[1]
    assert "demo.yaml::code (line 12)" in code and "income_totl" in code
    assert "at least one expectation" in validate(loaded, 3)[1][0]
    dup = load_text("dup.yaml", text.replace("  - id: none", "  - id: good"))
    assert dup.errors == ["dup.yaml: duplicate case id 'good'"]
    twice = load_text(
        "twice.yaml",
        text.replace("    why: w\n    text: t\n    figurs", "    why: w\n    why: v\n    figurs"),
    )
    assert twice.errors == ["twice.yaml:10: duplicate key 'why'"]
    assert (
        load_text("bad.yaml", "about: x\nhead: report\ncases: []\n").errors[0].startswith("bad.yaml:3: cases")
    )


def test_runner_reports_what_was_expected_and_what_was_extracted() -> None:
    """A wrong expectation fails with the expected and the extracted values and the figure's source."""
    case = Case.model_validate(
        {
            "id": "demo",
            "why": "w",
            "text": "失业保险基金支出1590万元，较上年减少75万元。\n",
            "production": "FROM_TO",
            "figures": {"unemployment/expenditure_total/actual": [1591]},
            "only": {"unemployment/expenditure_total/actual": [1590]},
            "absent": ["*/*/yoy_change"],
            "details": [{"value": 1590, "attribution": {"fund": "heading"}}],
            "serious": ["restatement_conflict"],
        }
    )
    failed, extracted = run(case, "report")
    assert "figures unemployment/expenditure_total/actual: expected [1591], extracted [1590]" in failed
    assert "only: keys not expected: unemployment/expenditure_total/yoy_change" in failed
    assert "absent */*/yoy_change: extracted unemployment/expenditure_total/yoy_change" in failed
    assert any("attribution fund by clause, expected heading" in b for b in failed)
    assert "serious: expected ['restatement_conflict'], found []" in failed
    assert "production FROM_TO: made no figure and left no number unresolved here" in failed
    assert "«失业保险基金支出1590万元»" in extracted and "«较上年减少75万元»" in extracted
    right = case.model_copy(
        update={
            "figures": {"unemployment/expenditure_total/actual": [1590], "*/*/yoy_change": [-75]},
            "only": None,
            "absent": None,
            "details": None,
            "serious": [],
            "production": "YOY_CHANGE",
        }
    )
    assert run(right, "report")[0] == []
