"""The public API of sifund: load → check → evaluate → render, for the CLI and the web app alike.

Why one small module: the command line and a web front end must show the same warnings, apply
the same corrections and write the same files; each of them calling these four functions (and
nothing deeper) keeps a second copy of that logic from growing anywhere.

Stated vs computed. A figure the agency states — a total, a 较上年增减额, a rate, a budget, an
all-funds total — is kept in the Dataset exactly as stated (``Loaded.dataset``). :func:`check`
compares every stated figure with its recomputation within printed precision (the engine's
``audit_dataset``) and returns each disagreement with the place the figure was typed
(``基金收支!H12``, ``line 14``), both values and the recomputation. :func:`evaluate` then evaluates
a copy in which each disagreeing *derived* figure (a rate, change, balance, payable months, an
``all`` total) is left out, so the engine recomputes it and the report prints the computed value,
never the contradiction; the disagreements are on ``Evaluation.corrections`` for the report's
数据审核 appendix. Disagreements that name no single wrong figure (其中 parts above their total,
one figure stated twice with two values) are warned about but not corrected.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from sifund.core.model import Dataset, Figure
from sifund.engine.findings import SEVERITY_ORDER
from sifund.engine.findings import Finding as AuditFinding
from sifund.engine.results import Evaluation

__all__ = [
    "CORRECTED_CODES",
    "Finding",
    "Loaded",
    "audit",
    "audit_xlsx",
    "check",
    "evaluate",
    "evaluation_json",
    "explain",
    "extract",
    "load",
    "parse",
    "render",
    "review",
    "summary",
    "template",
    "validate",
    "warning_lines",
]

# Findings whose stated figure is derived from others: the recomputation is what the report prints.
CORRECTED_CODES = frozenset(
    {
        "rate_mismatch",
        "yoy_rate_mismatch",
        "yoy_change_mismatch",
        "balance_mismatch",
        "rolling_mismatch",
        "months_mismatch",
        "fund_total_mismatch",
    }
)


class Finding(BaseModel):
    """One stated figure that disagrees with its recomputation (severity warning or error).

    ``place`` is where the figure was typed (``基金收支!H12`` for a template, ``line 14`` for
    YAML/JSON, ``@812`` for a report text); ``computed`` is the value the report prints when
    ``corrected`` (None when the disagreement names no single figure to correct)."""

    model_config = ConfigDict(extra="allow")
    code: str  # the audit finding code: yoy_change_mismatch, fund_total_mismatch …
    severity: str  # of the audit finding: warning | error (both are shown as warnings)
    file: str = ""
    place: str = ""
    fund: str | None = None
    item: str | None = None
    measure: str | None = None
    label: str = ""  # 企业职工基本养老保险基金支出较上年增减额
    stated: float | None = None
    stated_text: str = ""  # as printed: 120万元
    computed: float | None = None
    computed_text: str = ""  # 200.00万元
    expected_range: list[float] | None = None
    recomputation: str = ""  # 12000−11800
    corrected: bool = False  # the report prints ``computed`` instead of the stated figure
    message: str  # one Chinese sentence: what was stated, how it recomputes, what it should be

    def line(self) -> str:
        """The CLI's warning line: ``警告 warning: FILE: PLACE: message``."""
        where = ": ".join(x for x in (self.file, self.place) if x)
        return f"警告 warning: {where}: {self.message}" if where else f"警告 warning: {self.message}"


@dataclass
class Loaded:
    """A dataset as stated in its file, and every disagreement :func:`check` found in it."""

    dataset: Dataset
    warnings: list[Finding] = field(default_factory=list)
    file: str = ""


def load(path: str | Path) -> Loaded:
    """Read a dataset (.yaml/.yml/.json/.xlsx) and check its stated figures.

    Raises :class:`sifund.core.errors.SifundError` (one problem per bad place) when the file
    cannot be a dataset; disagreements between figures are warnings, never errors: the agency
    decides what it publishes."""
    from sifund.ingest import load_dataset

    ds = load_dataset(path)
    return Loaded(ds, check(ds, file=str(path)), str(path))


def validate(path: str | Path) -> Loaded:
    """:func:`load` under the name the commands use: a SifundError for a file that cannot be a
    dataset, the disagreements as ``Loaded.warnings``."""
    return load(path)


def parse(data: Any, file: str = "dataset") -> Loaded:
    """A dataset from its interchange object (a JSON body, a web form, a stored submission), with
    the same validation as a file: problems are placed by field path (``figures[2].value``)."""
    from sifund.ingest.datafile import parse_dataset

    ds = parse_dataset(data, file, lines=False, allow_repeats=False)
    return Loaded(ds, check(ds, file=file), file)


def check(dataset: Dataset, file: str = "") -> list[Finding]:
    """Every stated figure that disagrees with the others beyond rounding, with its place.

    The engine's audit (completion and YoY rates, YoY changes, balances, payable months, 其中
    sums, fund totals, repeated figures) at severity warning or above; ``info`` findings (within
    rounding slack, an unlisted 其中 remainder) are not disagreements."""
    from sifund.engine.audit import audit_dataset

    found = [
        _finding(dataset, f, file)
        for f in audit_dataset(dataset)
        if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER["warning"]
    ]
    return found + indicator_warnings(dataset, file)


def indicator_warnings(dataset: Dataset, file: str = "") -> list[Finding]:
    """Indicators whose text needs fixing: a target without a unit (≥95: percent? people?), and a
    stated 实际完成值 that the bound metric contradicts (the 自评表 prints the computed one).

    Why here and not only in ``evaluate``: the officer sees them at ``validate``, next to the
    other disagreements, with the row they typed them in."""
    from sifund.engine.audit import severity_of
    from sifund.engine.evaluation import evaluate as run_evaluation

    ev = run_evaluation(dataset)
    _memo["last"] = (dataset, ev)  # evaluate() of the same dataset reuses it (one atomic store)
    out: list[Finding] = []
    for i, r in enumerate(ev.indicators):
        ind = r.indicator
        place = (ind.source.place if ind.source is not None else None) or f"indicators[{i}]"
        extra = r.model_extra or {}
        row: dict[str, Any] = {"file": file, "place": place, "label": ind.name}  # the row it was typed in
        if extra.get("warning"):
            message = f"绩效指标“{ind.name}”：{extra['warning']}"
            sev = severity_of("target_without_unit")
            out.append(Finding(code="target_without_unit", severity=sev, message=message, **row))
        if r.actual_from.startswith("metric:") and "不一致" in str(extra.get("note", "")):
            shown = next((n for n in str(extra["note"]).split("；") if n.startswith("实际值取自")), "")
            stated = ind.actual.strip()
            message = (f"绩效指标“{ind.name}”实际完成值写作{stated}，"
                       f"{shown or '按计算指标'}（自评表采用计算值）")  # fmt: skip
            sev = severity_of("indicator_actual_mismatch")
            out.append(Finding(code="indicator_actual_mismatch", severity=sev, message=message,
                               stated_text=stated, corrected=True, **row))  # fmt: skip
    return out


# The last dataset check() evaluated and its Evaluation (one entry; the dataset object itself is
# the key, held here, so a new dataset at the same address can never match).
_memo: dict[str, Any] = {}


def corrected_dataset(dataset: Dataset, findings: Iterable[Finding]) -> Dataset:
    """A copy without the stated figures that ``findings`` correct, so the engine recomputes them."""
    drop = {id(f) for f in (_stated_figure(dataset, x) for x in findings if x.corrected) if f is not None}
    if not drop:
        return dataset
    return dataset.model_copy(update={"figures": [f for f in dataset.figures if id(f) not in drop]})


def evaluate(dataset: Dataset, config: Any = None, findings: Sequence[Finding] | None = None) -> Evaluation:
    """Evaluate with every disagreeing derived figure replaced by its recomputation.

    ``config``: an EngineConfig, a path to a config YAML, or None (the packaged one).
    ``findings``: the result of :func:`check` when the caller has it (else it is computed).
    The Evaluation's ``dataset`` is the corrected copy (what the report prints), ``findings``
    are the audit findings of the dataset *as stated*, and ``corrections`` (an extra field, a
    list of :class:`Finding`) says what was stated, where, and what is printed instead."""
    from sifund.engine.audit import audit_dataset
    from sifund.engine.config import default_config, load_config
    from sifund.engine.evaluation import evaluate as run_evaluation

    cfg = load_config(Path(config)) if isinstance(config, str | Path) else config
    found = list(findings) if findings is not None else check(dataset)
    target = corrected_dataset(dataset, found)
    last = _memo.get("last")  # read once: another thread may store its own meanwhile
    same_config = cfg is None or cfg is default_config()
    if target is dataset and same_config and last is not None and last[0] is dataset:
        ev = last[1].model_copy()  # check() evaluated this very dataset with this config
    else:
        ev = run_evaluation(target, cfg)
    ev.findings = audit_dataset(dataset) if any(f.corrected for f in found) else ev.findings
    ev.corrections = found  # type: ignore[attr-defined]  # extra field (Evaluation allows extras)
    return ev


def corrections(ev: Evaluation) -> list[Finding]:
    """The disagreements of an Evaluation made by :func:`evaluate` (empty for one made otherwise)."""
    return list(getattr(ev, "corrections", None) or [])


def render(
    dataset: Dataset,
    evaluation: Evaluation,
    outdir: str | Path,
    formats: Sequence[str],
    audit_appendix: bool = False,
) -> list[Path]:
    """Write the report and the 自评表 in ``formats`` into ``outdir``, all or nothing (file names
    from ``dataset``; contents from ``evaluation``, made by :func:`evaluate`).

    ``audit_appendix`` adds 六、数据审核情况, listing the stated figures that were corrected. It is
    off by default: the appendix quotes the agency's wrong figures on purpose, so a report meant
    for submission (and for review by ``sifund audit``) leaves it out; the warnings are printed."""
    from sifund.render.report import write_outputs

    return write_outputs(dataset, evaluation, Path(outdir), list(formats), audit_appendix)


def warning_lines(findings: Iterable[Finding]) -> list[str]:
    return [f.line() for f in findings]


def template(path: str | Path, funds: Sequence[str] | None = None) -> Path:
    """Write the blank XLSX input template (``sifund template``) to ``path``."""
    from sifund.render.template import write_template

    return write_template(Path(path), list(funds) if funds else None)


def audit_xlsx(evaluation: dict[str, Any], region: str = "", year: Any = None) -> bytes:
    """The 审核结果 workbook (findings and corrections) of an evaluation as :func:`evaluation_json`
    gives it."""
    from sifund.render.audit_xlsx import audit_xlsx_bytes

    return audit_xlsx_bytes(evaluation, region, year)


def evaluation_json(ev: Evaluation) -> dict[str, Any]:
    """The evaluation as ``sifund evaluate --format json`` prints it (with ``corrections``)."""
    obj = ev.to_json()
    obj["corrections"] = [c.model_dump(mode="json", exclude_none=True) for c in corrections(ev)]
    return obj


RISK_LEVELS = {"高": "high", "中": "medium", "低": "low"}


def summary(ev: Evaluation) -> dict[str, Any]:
    """The few figures a dashboard shows for one region-year: score and grade, expenditure
    completion (all funds; else the first fund that has it), months of payment capacity (all funds;
    else the lowest fund: the binding one), and risk counts by level (high/medium/low)."""

    def pick(code: str, lowest: bool = False) -> float | None:
        whole = ev.metric_value("all", code)
        if whole is not None:
            return whole
        vals = [m.value for m in ev.metrics if m.code == code and m.fund != "all" and m.value is not None]
        if not vals:
            return None
        return min(vals) if lowest else vals[0]

    risks = {"high": 0, "medium": 0, "low": 0}
    for r in ev.risks:
        risks[RISK_LEVELS.get(r.level, "low")] += 1
    return {
        "score": ev.score.total,
        "grade": ev.score.grade,
        "expenditure_completion": pick("expenditure_completion"),
        "payable_months": pick("payable_months", lowest=True),
        "risks": risks,
    }


NOTHING_RECOGNISED = (
    "未在报告中识别出任何基金数字或绩效指标 no fund figures or indicators found "
    "（是否为社会保险基金绩效自评报告？扫描件请先 OCR）"
)


def extract(path: str | Path):  # -> sifund.review.extract.ExtractResult
    """Extract every figure and indicator of a report (.txt/.docx/.pdf) with its source span.

    A readable report in which nothing resolves is a result, not an error: its ``unresolved``
    numbers are what a reviewer looks at next (issue 12: ``extract``/``audit`` exit 0 on any
    readable report). Callers that need figures test :func:`nothing_recognised`."""
    from sifund.review.extract import extract_file

    return extract_file(path)


def explain(path_or_result: Any, at: int | None = None) -> list[Any]:  # -> list[Explanation]
    """Each figure of a report explained to a reviewer (``sifund.review.explain.Explanation``: the
    ``read_as`` sentence — which production read it, where its fund and item came from — and its
    parts), in extraction order; with ``at``, only the figures whose source span covers that offset
    of the normalised text. ``path_or_result``: a report path or an ExtractResult (whose text lets
    the explanation quote the heading a fund came from). An offset outside the text is a SifundError
    naming the file and ``--at``."""
    from sifund.review.explain import explain_all, wording

    result = extract(path_or_result) if isinstance(path_or_result, str | Path) else path_or_result
    text = result.text
    if at is not None and not 0 <= at < max(len(text), 1):
        from sifund.core.errors import Problem, SifundError

        file = str(path_or_result) if isinstance(path_or_result, str | Path) else result.document.path
        msg = wording().out_of_text.format(at=at, length=len(text))
        raise SifundError(Problem(str(file or "<text>"), "--at", msg))
    return explain_all(result.dataset.figures, text, at)


def nothing_recognised(result: Any) -> bool:
    """True when an extraction found neither a fund figure nor an indicator."""
    return not result.dataset.figures and not result.dataset.indicators


def audit(source: Any) -> list[AuditFinding]:
    """Audit findings of an extracted report (an ExtractResult), a Dataset, or a file path
    (report or dataset), as ``sifund audit`` prints them."""
    from sifund.engine.audit import audit_dataset

    if isinstance(source, Dataset):
        return audit_dataset(source)
    if isinstance(source, str | Path):
        p = Path(source)
        if p.suffix.lower() in (".txt", ".docx", ".pdf"):
            source = extract(p)
        else:
            from sifund.ingest import load_dataset

            return audit_dataset(load_dataset(p))
    from sifund.review.audit import audit_report

    return audit_report(source)


def review(path: str | Path, corrections: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A report under review: ``{"region", "year", "text", "figures", "indicators", "findings",
    "unresolved"}`` — ``figures``/``indicators``/``unresolved`` as ``sifund extract --format json``,
    ``findings`` as ``sifund audit --format json``; ``text`` is the normalised text every source
    offset points into.

    ``corrections``: a reviewer's fixes, each ``{"index": i, "fund"?, "item"?, "measure"?}`` for
    ``figures[i]``; the audit is re-run on the corrected figures (a correction naming an unknown
    code or index is a SifundError naming it)."""
    from sifund.core.codes import codebook
    from sifund.core.errors import Problem, SifundError
    from sifund.engine.findings import audit_json

    result = extract(path)
    figs = result.dataset.figures
    cb = codebook()
    problems = []
    for n, c in enumerate(corrections):
        i = c.get("index")
        if not isinstance(i, int) or not 0 <= i < len(figs):
            problems.append(
                Problem(str(path), f"corrections[{n}].index", f"没有第 {i} 个数字 no such figure")
            )
            continue
        for key, table in (("fund", cb.funds), ("item", cb.items), ("measure", cb.measures)):
            v = c.get(key)
            if v is None:
                continue
            if v not in table and not (key == "fund" and v == "all"):
                problems.append(Problem(str(path), f"corrections[{n}].{key}", f"未知代码 unknown code {v!r}"))
                continue
            setattr(figs[i], key, v)
    if problems:
        raise SifundError(problems)
    inter = result.dataset.to_interchange()
    return {
        "region": result.dataset.region,
        "year": result.dataset.year,
        "text": result.text,
        "figures": inter.get("figures", []),
        "indicators": inter.get("indicators", []),
        "unresolved": inter.get("unresolved", []),
        "findings": audit_json(audit(result))["findings"],
    }


# ---- building a Finding ------------------------------------------------------------------------


def _stated_figure(ds: Dataset, x: Finding | AuditFinding) -> Figure | None:
    """The figure a finding is about: same key and value, at the finding's place when known."""
    if x.fund is None or x.item is None or x.measure is None or x.stated is None:
        return None
    place = x.place if isinstance(x, Finding) else _first_place(x)
    same = [
        f
        for f in ds.figures
        if (f.fund, f.item, f.measure) == (x.fund, x.item, x.measure) and f.value == x.stated
    ]
    at = [f for f in same if place and f.source is not None and _place_of(f) == place]
    return (at or same or [None])[0]


def _place_of(f: Figure) -> str:
    s = f.source
    if s is None:
        return ""
    return s.place or (f"@{s.start}" if s.start or s.end else "")


def _first_place(f: AuditFinding) -> str:
    for e in f.evidence:
        if e.place or e.start or e.end:
            return e.place or f"@{e.start}"
    return ""


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _arith(text: str) -> float | None:
    """The value of a recomputation as the audit prints it (``(1590−1308)/1308×100``): + − × / ( )
    on numbers only; anything else (or a division by zero) gives None."""
    expr = text.replace("−", "-").replace("×", "*").replace("÷", "/")

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        raise ValueError

    if len(expr) > 2000:
        return None
    try:
        return ev(ast.parse(expr, mode="eval"))
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError, OverflowError):
        return None


def _finding(ds: Dataset, f: AuditFinding, file: str) -> Finding:
    from sifund.engine import audit

    stated = _stated_figure(ds, f)
    place = _place_of(stated) if stated is not None else _first_place(f)
    if f.code == "duplicate_conflict":
        places = list(dict.fromkeys(p for p in (e.place or "" for e in f.evidence) if p))
        place = "、".join(places) or place
    src_file = stated.source.file if stated is not None and stated.source is not None else None
    out = Finding(
        code=f.code,
        severity=f.severity,
        file=src_file or file,
        place=place,
        fund=f.fund,
        item=f.item,
        measure=f.measure,
        stated=f.stated,
        expected_range=f.expected_range,
        recomputation=f.recomputation or "",
        message=f.message,
    )
    if f.fund and f.item and f.measure:
        out.label = audit.label(f.fund, f.item, f.measure)
    if stated is not None:
        out.stated_text = audit.printed(stated)
    value = _arith(f.recomputation) if f.recomputation else None
    if value is None and f.expected_range and f.expected_range[0] == f.expected_range[1]:
        value = f.expected_range[0]
    if value is not None and stated is not None:
        nd = audit._range_decimals(stated)
        unit = audit._unit(stated)
        out.computed = round(value, nd)
        out.computed_text = f"{value:.{nd}f}{unit}"
        out.corrected = f.code in CORRECTED_CODES
        if f.code in CORRECTED_CODES and f.code != "fund_total_mismatch":
            out.message = f"{out.label}写作{out.stated_text}，按{f.recomputation}应为{out.computed_text}"
        elif f.code == "fund_total_mismatch":
            out.message = (f"{out.label}写作{out.stated_text}，按各基金之和{f.recomputation}"
                           f"应为{out.computed_text}")  # fmt: skip
    if out.corrected:
        out.message += "（报告中采用复核后的数字）"
    return out


# ---- payment audit 待遇支付疑点筛查 (docs/payments.md) ---------------------------------------------


def payments_audit(
    folder: str | Path,
    engine: str = "duckdb",
    rules: str | Path | None = None,
    memory_limit: str = "3GB",
    threads: int | None = None,
    progress: bool = True,
):  # -> sifund.payments.model.AuditResult
    """Audit a folder of payment tables with the rule catalogue (``rules``: a province's override
    file); the CLI and the web app both call this."""
    from sifund.payments.engine import audit as run_audit

    return run_audit(folder, engine=engine, rules=rules, memory_limit=memory_limit, threads=threads,
                     progress=progress)  # fmt: skip


def payments_rules(rules: str | Path | None = None) -> list[Any]:  # -> list[sifund.payments.catalogue.Rule]
    """The payment-audit rule catalogue, with a province's override file merged in."""
    from sifund.payments.catalogue import load_rules

    return load_rules(rules)
