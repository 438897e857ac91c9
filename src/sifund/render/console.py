"""Plain-text tables for the terminal (the CLI's --format table)."""

from __future__ import annotations

from sifund.core.codes import codebook
from sifund.core.model import Dataset
from sifund.engine.findings import Finding
from sifund.engine.results import Evaluation

_SEV = {"error": "错误", "warning": "警告", "info": "提示"}


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def figures_table(ds: Dataset) -> str:
    cb = codebook()
    lines = [f"{ds.region} {ds.year}年  共{len(ds.figures)}个数据、{len(ds.indicators)}个指标"]
    for f in ds.figures:
        fund = cb.funds[f.fund].short
        item = cb.items[f.item].name
        meas = cb.measures[f.measure].name
        where = (f.source.place or f"@{f.source.start}") if f.source else ""
        lines.append(f"{fund:<6}\t{item:<12}\t{meas:<8}\t{_num(f.value):>12}\t{where}")
    for i in ds.indicators:
        lines.append(f"[指标] {i.level1}/{i.level2}/{i.name}\t目标 {i.target}\t实际 {i.actual}")
    return "\n".join(lines)


def findings_table(findings: list[Finding]) -> str:
    if not findings:
        return "未发现问题 no findings"
    lines = []
    for f in findings:
        where = ", ".join(e.place or f"@{e.start}" for e in f.evidence)  # line N / Sheet!Cell / offset
        lines.append(f"[{_SEV.get(f.severity, f.severity)}] {f.code}: {f.message} {where}".rstrip())
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    lines.append(f"共 {counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示")
    return "\n".join(lines)


_STATUS = {"met": "完成", "not_met": "未完成", "partly_met": "部分完成", "unknown": "无法判断"}


def _metric_value(v: float | None, unit: str) -> str:
    from sifund.engine.risks import show

    return show(v, unit) if v is not None else "—"


def evaluation_table(ev: Evaluation) -> str:
    """The evaluation for a terminal: metrics per fund, indicators, score and grade, risks, findings."""
    cb = codebook()
    ds, sc = ev.dataset, ev.score
    out = [f"{ds.region} {ds.year}年 社会保险基金预算绩效评价", ""]
    out.append("一、计算指标")
    fund = None
    for m in ev.metrics:
        main = ev.metric(m.fund, m.code.removesuffix("_initial")) if m.code.endswith("_initial") else None
        if m.value is None or (main is not None and main.value == m.value):
            continue  # a missing value, or an initial-budget rate identical to the main one
        if m.fund != fund:
            fund = m.fund
            out.append(f"【{cb.funds[fund].name}】")
        formula = f" = {m.formula}" if m.formula else ""
        note = f"（{m.note}）" if m.note else ""
        out.append(f"  {m.name:<16}\t{_metric_value(m.value, m.unit):>16}{formula}{note}")
    out += ["", "二、绩效指标"]
    if not ev.indicators:
        out.append("  （无绩效指标）")
    for r in ev.indicators:
        i = r.indicator
        status = _STATUS.get(r.status, r.status)
        out.append(
            f"  [{status}] {i.level1}/{i.name}：目标 {i.target}，实际 {i.actual or '—'}"
            f"，得分 {_num(r.score)}/{_num(r.weight)}"
        )
        out.append(f"      {r.why}")
        note = getattr(r, "note", "")
        if note:
            out.append(f"      说明：{note}")
        if r.lost_reason:
            out.append(f"      偏差原因：{r.lost_reason}")
    out += ["", "三、评分"]
    rate = "—" if sc.execution_rate is None else f"{sc.execution_rate:.2f}%"
    note = f"（{sc.execution_note}）" if sc.execution_note else ""
    out.append(f"  预算执行率 {rate}{note}：{_num(sc.execution_score)}/{_num(sc.execution_weight)}")
    for g, w in sc.group_weights.items():
        out.append(f"  {g}：{_num(sc.group_scores.get(g, 0.0))}/{_num(w)}")
    out.append(f"  总分 {_num(sc.total)}/{_num(sc.max_total)}，等级：{sc.grade}")
    out += [f"  注：{n}" for n in sc.notes]
    out += ["", "四、风险预警"]
    out += [f"  [{r.level}] {r.message}（规则 {r.rule}）" for r in ev.risks] or ["  未触发风险预警"]
    out += ["", "五、数据审核", findings_table(ev.findings)]
    return "\n".join(out)
