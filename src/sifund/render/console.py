"""Plain-text tables for the terminal (the CLI's --format table)."""

from __future__ import annotations

from sifund.core.codes import codebook
from sifund.core.model import Dataset
from sifund.engine.findings import Finding

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
        where = f"@{f.source.start}" if f.source else ""
        lines.append(f"{fund:<6}\t{item:<12}\t{meas:<8}\t{_num(f.value):>12}\t{where}")
    for i in ds.indicators:
        lines.append(f"[指标] {i.level1}/{i.level2}/{i.name}\t目标 {i.target}\t实际 {i.actual}")
    return "\n".join(lines)


def findings_table(findings: list[Finding]) -> str:
    if not findings:
        return "未发现问题 no findings"
    lines = []
    for f in findings:
        where = ", ".join(f"@{e.start}" for e in f.evidence)
        lines.append(f"[{_SEV.get(f.severity, f.severity)}] {f.code}: {f.message} {where}".rstrip())
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    lines.append(f"共 {counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示")
    return "\n".join(lines)
