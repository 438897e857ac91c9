"""Test helper: fill a blank template from a Dataset the way a user would (locate rows by codes)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from sifund.core.codes import codebook
from sifund.core.model import Dataset

MONEY = {
    "prior": "上年实际",
    "budget": "年初预算",
    "budget_adjusted": "调整后预算",
    "actual": "本年实际",
    "yoy_change": "较上年增减额",
    "yoy_rate": "同比增减率%",
    "completion_rate": "完成预算%",
}
PEOPLE = {"prior": "上年", "actual": "本年", "yoy_change": "较上年增减"}
INFO = {
    "地区": "region",
    "年度": "year",
    "实施单位": "agency",
    "主管部门": "department",
    "项目名称": "project",
}
SIGNOFF = {"填报单位": "unit", "填报人": "preparer", "联系电话": "phone", "填报日期": "date"}
FUND_TEXT = {"收支变动原因": "reasons", "主要做法及成效": "practices", "待遇标准及政策调整": "standards"}
LEVELS = {"county": "县级", "city": "市级", "prefecture": "地州级", "province": "省级", "other": "其他"}
NARRATIVE = ("goals", "achievements", "management", "reasons", "problems", "plans", "experience", "other",
             "opening", "overview", "application")  # fmt: skip


def templatable(ds: Dataset) -> list[tuple[str, str, str, float]]:
    """The dataset's figures a template can hold: every measure with a column (inputs, and the
    stated changes and rates the engine checks), without a basis (a column has none)."""
    out = []
    for f in ds.figures:
        people = codebook().items[f.item].group == "people" or codebook().items[f.item].kind == "yuan"
        if f.measure in (PEOPLE if people else MONEY) and f.basis is None:
            out.append((f.fund, f.item, f.measure, f.value))
    seen, unique = set(), []
    for k in out:  # the first statement wins, as Dataset.get does
        if k[:3] not in seen:
            seen.add(k[:3])
            unique.append(k)
    return unique


def fill_template(blank: Path, ds: Dataset, out: Path) -> Path:
    wb = load_workbook(blank)
    info = wb["基本信息"]
    for row in info.iter_rows(min_row=2, max_col=2):
        label = row[0].value
        if label == "地区级别":
            row[1].value = LEVELS[ds.region_level]
        elif label in INFO:
            row[1].value = getattr(ds, INFO[label]) or None
        elif label in SIGNOFF:
            row[1].value = getattr(ds.signoff, SIGNOFF[label]) or None
    for fund, item, measure, value in templatable(ds):
        people = codebook().items[item].group == "people" or codebook().items[item].kind == "yuan"
        ws = wb["人数" if people else "基金收支"]
        header = {c.value: c.column for c in ws[1]}
        col = header[(PEOPLE if people else MONEY)[measure]]
        row = next(
            (r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == fund and r[3].value == item), None
        )
        if row is None:  # a row the blank template does not offer: append it, as users may
            row = ws.max_row + 1
            ws.cell(row=row, column=1, value=codebook().funds[fund].name)
            ws.cell(row=row, column=2, value=fund)
            ws.cell(row=row, column=3, value=codebook().items[item].name)
            ws.cell(row=row, column=4, value=item)
        ws.cell(row=row, column=col, value=value)
    ws = wb["绩效指标"]
    header = {c.value: c.column for c in ws[1]}
    fields = {
        "一级指标": "level1",
        "二级指标": "level2",
        "三级指标": "name",
        "基金": "fund",
        "指标值": "target",
        "实际完成值": "actual",
        "分值": "weight",
        "绑定指标": "metric",
        "评判": "judgement",
        "偏差原因": "reason",
    }
    for i, ind in enumerate(ds.indicators, 2):
        for head, field in fields.items():
            value = getattr(ind, field)
            ws.cell(row=i, column=header[head], value=value if value not in ("", None) else None)
    ws = wb["文字说明"]
    for row in ws.iter_rows(min_row=2, max_col=3):
        if row[1].value in NARRATIVE:
            row[2].value = getattr(ds.narrative, row[1].value) or None
    if ds.fund_narratives:
        ws = wb["分基金说明"]
        header = {c.value: c.column for c in ws[1]}
        rows = {r[1].value: r[0].row for r in ws.iter_rows(min_row=2) if r[1].value}
        for fund, text in ds.fund_narratives.items():
            row = rows.get(fund)
            if row is None:
                row = ws.max_row + 1
                ws.cell(row=row, column=1, value=codebook().funds[fund].name)
                ws.cell(row=row, column=2, value=fund)
            for head, field in FUND_TEXT.items():
                ws.cell(row=row, column=header[head], value=getattr(text, field) or None)
    wb.save(out)
    return out
