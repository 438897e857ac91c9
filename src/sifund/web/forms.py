"""The forms of the submission pages: an upload, and the editor of a dataset's figures, 绩效指标,
narrative and basic information.

The editor is not a Django form: its rows are added and removed in the browser, and what it must
produce is the interchange dataset (interchange.md) that ``services.parse_body`` validates with
the CLI's own messages (``figures[3].value``). :class:`EditState` holds what the page shows — from
the stored dataset, or from a POST that failed (a validation error or a stale version), so the
user's input is shown again exactly as typed and nothing is lost — and turns it back into the
interchange dict. What the form does not show of a figure or indicator (its precision, printed
unit, basis, source span, any extra field) travels in a hidden JSON field of its row, so a save
changes only what the user changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sifund.core.codes import codebook
from sifund.core.numbers import WIDE_DIGITS, WIDE_POINT

FIGURE_KEYS = ("fund", "item", "measure", "value")
INDICATOR_FIELDS = [
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("fund", "基金"),
    ("weight", "分值"),
    ("target", "指标值（目标）"),
    ("actual", "实际完成值"),
    ("metric", "对应计算指标"),
    ("judgement", "定性评价"),
    ("reason", "偏差原因分析及改进措施"),
]
INDICATOR_KEYS = tuple(k for k, _ in INDICATOR_FIELDS)
LEVEL1 = ["产出指标", "效益指标", "满意度指标"]  # the 一级指标 of the 自评表 (suggestions of the input)
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "经济效益指标", "可持续影响指标",
          "服务对象满意度指标"]  # fmt: skip
JUDGEMENTS = [("", "（按目标值判断）"), ("full", "完全达成"), ("partial", "部分达成"), ("zero", "未达成")]
NARRATIVE_FIELDS = [
    ("opening", "开篇（依据、范围）"),
    ("goals", "年度总体目标"),
    ("achievements", "总体目标实际完成情况"),
    ("overview", "总体情况补充说明"),
    ("management", "组织实施情况"),
    ("reasons", "未完成原因分析"),
    ("problems", "存在问题"),
    ("experience", "主要经验及做法"),
    ("plans", "下一步计划"),
    ("application", "结果应用"),
    ("other", "其他说明"),
]
FUND_NARRATIVE_FIELDS = [
    ("reasons", "收支变动原因"),
    ("practices", "主要做法、成效"),
    ("standards", "待遇标准、政策调整情况"),
]
INFO_FIELDS = [("agency", "实施单位"), ("department", "主管部门"), ("project", "项目名称")]
SIGNOFF_FIELDS = [("unit", "填报单位"), ("preparer", "填报人"), ("phone", "联系电话"), ("date", "填报日期")]
LABELS = {"fund": "基金", "item": "项目", "measure": "口径"}
ITEM_GROUPS = [
    ("income", "收入"),
    ("expenditure", "支出"),
    ("balance", "结余"),
    ("people", "人数"),
    ("other", "其他"),
]
PLACE = re.compile(r"^(?:line \d+, )?(figures|indicators)\[(\d+)\](?:\.(\w+))?")
NESTED = re.compile(r"^(?:line \d+, )?(narrative|signoff)\.(\w+)")
FUND_NARRATIVE = re.compile(r"^(?:line \d+, )?fund_narratives\.(\w+)(?:\.(\w+))?")
TOP = re.compile(r"^(?:line \d+, )?(agency|department|project)\b")


class UploadForm(forms.Form):
    """One file: the XLSX template, a YAML/JSON dataset, or a report to extract."""

    file = forms.FileField(
        label="文件",
        help_text="填好的 XLSX 模板、YAML/JSON 数据集，或 TXT/DOCX/PDF 自评报告（自动提取数字）",
        error_messages={"required": "请选择要上传的文件"},
    )


# ---- selects (built once per code list; a seven-fund editor has ~600 of them) -----------------


def _options(
    choices: list[tuple[str, str]], groups: list[tuple[str, list[tuple[str, str]]]] | None = None
) -> str:
    if groups is None:
        return "".join(f'<option value="{escape(c)}">{escape(n)}</option>' for c, n in choices)
    out = []
    for label, items in groups:
        out.append(f'<optgroup label="{escape(label)}">')
        out += [f'<option value="{escape(c)}">{escape(n)}</option>' for c, n in items]
        out.append("</optgroup>")
    return "".join(out)


_CACHE: dict[str, str] = {}


def code_options(kind: str) -> SafeString:
    """The <option>s of the fund / item / measure select (item grouped 收入/支出/结余/人数/其他)."""
    if kind not in _CACHE:
        cb = codebook()
        if kind == "fund":
            _CACHE[kind] = _options([(c, f.name) for c, f in cb.funds.items()])
        elif kind == "item":
            groups = [
                (label, [(c, it.name) for c, it in cb.items.items() if it.group == g])
                for g, label in ITEM_GROUPS
            ]
            _CACHE[kind] = _options([], [(label, items) for label, items in groups if items])
        else:
            _CACHE[kind] = _options([(c, m.name) for c, m in cb.measures.items()])
    return mark_safe(_CACHE[kind])  # built from escaped names above


def select(name: str, options: str, value: str, blank: str | None = "—", css: str = "") -> SafeString:
    """A <select> with ``value`` selected; a value not in the list (an unknown code typed into a
    file) is kept as an extra option, so it is shown and its error can be read next to it."""
    v = escape(value or "")
    marker = f'<option value="{v}">'
    if value and marker in options:
        body = options.replace(marker, f'<option value="{v}" selected>', 1)
    elif value:
        body = f'<option value="{v}" selected>{v}（未知代码）</option>' + options
    else:
        body = options
    if blank is not None:
        body = f'<option value=""{"" if value else " selected"}>{escape(blank)}</option>' + body
    cls = f' class="{escape(css)}"' if css else ""
    kind = name.rsplit("-", 1)[-1]
    label = f' aria-label="{escape(LABELS.get(kind, ""))}"' if kind in LABELS else ""
    return mark_safe(f'<select name="{escape(name)}"{cls}{label}>{body}</select>')


# ---- the editor's state -------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a table of the editor (a figure or an indicator), as typed."""

    key: int
    values: dict[str, str]
    extra: str = ""  # the JSON of the fields the form does not show
    original: str = ""  # a figure's value as loaded (to tell whether the user changed it)
    errors: dict[str, list[str]] = field(default_factory=dict)  # field → messages ("" = the row)
    warning: str = ""  # a check warning about this figure (from the stored evaluation)
    index: int | None = None  # its index in the built dataset (figures[index])
    cells: dict[str, SafeString] = field(default_factory=dict)  # its selects, made by the page
    deleted: bool = False  # ticked 删除: shown struck through, left out of the dataset

    def error_list(self) -> list[str]:
        return [m for ms in self.errors.values() for m in ms]

    def has_error(self, name: str) -> bool:
        return bool(self.errors.get(name))


def _text(v: Any) -> str:
    """A stored value as the form shows it; a number in its shortest exact decimal form (44140.5,
    0.000001), so that reading it back gives the very same float and an untouched row is no change."""
    if v is None:
        return ""
    if isinstance(v, float):
        text = repr(v)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text[:-2] if text.endswith(".0") else text
    return str(v)


def _posted(post: Any, name: str) -> str:
    """A posted field; a browser sends a textarea's line breaks as CRLF, the dataset keeps LF."""
    return str(post.get(name, "")).replace("\r\n", "\n").replace("\r", "\n")


# Not ``normalize_digits``: that also reads "−5" and "＋5" as numbers, which the form passes on as
# typed. ％ is mapped here too, but a "%" makes ``float`` fail as a "％" does, so no answer differs.
_FORM_DIGITS = str.maketrans({**WIDE_DIGITS, WIDE_POINT: ".", "－": "-", "，": ","})


def _number(raw: str) -> Any:
    """A number typed into a form: ``1,234.5`` and full-width digits are accepted; anything else
    is passed on unchanged so that the dataset's validation names it (``figures[3].value``)."""
    s = raw.strip().translate(_FORM_DIGITS)
    s = s.replace(",", "").replace(" ", "")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return raw.strip()


def _json(raw: str) -> dict[str, Any]:
    try:
        v = json.loads(raw) if raw else {}
    except (json.JSONDecodeError, RecursionError):
        return {}
    return v if isinstance(v, dict) else {}


def _keys(post: Any, prefix: str) -> list[int]:
    pat = re.compile(rf"^{prefix}-(\d{{1,6}})-")
    found = {int(m.group(1)) for name in post for m in [pat.match(name)] if m}
    return sorted(found)


@dataclass
class EditState:
    """What the editor shows and what it saves (see the module's docstring)."""

    figures: list[Row]
    indicators: list[Row]
    narrative: dict[str, str]
    fund_narratives: dict[str, dict[str, str]]
    info: dict[str, str]
    signoff: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)  # every problem, for the list at the top
    field_errors: dict[str, list[str]] = field(default_factory=dict)  # n-goals / fn-<fund>-reasons / d-agency

    # -- from the stored dataset
    @classmethod
    def from_dataset(cls, ds: dict[str, Any], warnings: list[dict[str, Any]] | None = None) -> EditState:
        figures = []
        warned = {
            (w.get("fund"), w.get("item"), w.get("measure"), w.get("stated")): str(w.get("message") or "")
            for w in warnings or []
            if w.get("fund")
        }
        for i, f in enumerate(ds.get("figures") or []):
            extra = {k: v for k, v in f.items() if k not in FIGURE_KEYS}
            figures.append(
                Row(
                    key=i,
                    values={k: _text(f.get(k)) for k in FIGURE_KEYS},
                    extra=json.dumps(extra, ensure_ascii=False) if extra else "",
                    original=_text(f.get("value")),
                    warning=warned.get((f.get("fund"), f.get("item"), f.get("measure"), f.get("value")), ""),
                    index=i,
                )
            )
        indicators = []
        for i, ind in enumerate(ds.get("indicators") or []):
            extra = {k: v for k, v in ind.items() if k not in INDICATOR_KEYS}
            indicators.append(
                Row(
                    key=i,
                    values={k: _text(ind.get(k)) for k in INDICATOR_KEYS},
                    extra=json.dumps(extra, ensure_ascii=False) if extra else "",
                    index=i,
                )
            )
        narr = ds.get("narrative") or {}
        fns = ds.get("fund_narratives") or {}
        signoff = ds.get("signoff") or {}
        return cls(
            figures=figures,
            indicators=indicators,
            narrative={k: _text(narr.get(k)) for k, _ in NARRATIVE_FIELDS},
            fund_narratives={
                fund: {k: _text((fns.get(fund) or {}).get(k)) for k, _ in FUND_NARRATIVE_FIELDS}
                for fund in _narrative_funds(ds.get("figures") or [], fns)
            },
            info={k: _text(ds.get(k)) for k, _ in INFO_FIELDS},
            signoff={k: _text(signoff.get(k)) for k, _ in SIGNOFF_FIELDS},
        )

    # -- from a POST of the editor
    @classmethod
    def from_post(cls, post: Any) -> EditState:
        figures = []
        for k in _keys(post, "f"):
            values = {name: _posted(post, f"f-{k}-{name}") for name in FIGURE_KEYS}
            original = _posted(post, f"f-{k}-v0")
            if not original and not values["value"].strip():
                continue  # a row added and left empty
            row = Row(key=k, values=values, extra=_posted(post, f"f-{k}-x"), original=original)
            row.deleted = bool(post.get(f"f-{k}-del"))
            figures.append(row)
        indicators = []
        for k in _keys(post, "i"):
            values = {name: _posted(post, f"i-{k}-{name}") for name in INDICATOR_KEYS}
            extra = _posted(post, f"i-{k}-x")
            if not extra and not any(v.strip() for v in values.values()):
                continue
            indicators.append(Row(key=k, values=values, extra=extra, deleted=bool(post.get(f"i-{k}-del"))))
        funds = sorted(
            {
                m.group(1)
                for name in post
                for m in [re.match(r"^fn-(\w+)-(reasons|practices|standards)$", name)]
                if m
            }
        )
        return cls(
            figures=figures,
            indicators=indicators,
            narrative={k: _posted(post, f"n-{k}") for k, _ in NARRATIVE_FIELDS},
            fund_narratives={
                fund: {k: _posted(post, f"fn-{fund}-{k}") for k, _ in FUND_NARRATIVE_FIELDS} for fund in funds
            },
            info={k: _posted(post, f"d-{k}") for k, _ in INFO_FIELDS},
            signoff={k: _posted(post, f"s-{k}") for k, _ in SIGNOFF_FIELDS},
        )

    # -- to the interchange dataset
    def to_interchange(self, stored: dict[str, Any]) -> dict[str, Any]:
        """The dataset to save: ``stored`` (region, year, schema and anything the editor does not
        show) with the editor's figures, indicators, narrative and basic information."""
        out = dict(stored)
        for k, _ in INFO_FIELDS:
            v = self.info.get(k, "").strip()
            if v or k in out:
                out[k] = v
        figures = []
        for row in self.figures:
            row.index = None
            if row.deleted:
                continue
            f = _json(row.extra)
            value = _number(row.values.get("value", ""))
            if _number(row.original) != value:  # a changed value is exact as typed, from the form
                for k in ("precision", "unit", "source"):
                    f.pop(k, None)
            f.update(
                fund=row.values.get("fund", "").strip(),
                item=row.values.get("item", "").strip(),
                measure=row.values.get("measure", "").strip() or "actual",
                value=value,
            )
            row.index = len(figures)
            figures.append({k: f[k] for k in (*FIGURE_KEYS, *[x for x in f if x not in FIGURE_KEYS])})
        out["figures"] = figures
        indicators = []
        for row in self.indicators:
            row.index = None
            if row.deleted:
                continue
            ind = _json(row.extra)
            for k in INDICATOR_KEYS:
                raw = row.values.get(k, "")
                if k == "weight":
                    v = _number(raw)
                elif k in ("fund", "metric", "judgement"):
                    v = raw.strip() or None
                else:
                    v = raw.strip() if k in ("level1", "level2", "name") else raw
                if v is None or v == "":
                    ind.pop(k, None)
                    if k == "name":
                        ind[k] = ""
                else:
                    ind[k] = v
            row.index = len(indicators)
            indicators.append(ind)
        out["indicators"] = indicators
        narr = dict(stored.get("narrative") or {})
        for k, _ in NARRATIVE_FIELDS:
            narr[k] = self.narrative.get(k, "")
        out["narrative"] = narr
        fns = {}
        stored_fns = stored.get("fund_narratives") or {}
        for fund in dict.fromkeys([*stored_fns, *self.fund_narratives]):
            entry = dict(stored_fns.get(fund) or {})
            if fund in self.fund_narratives:
                for k, _ in FUND_NARRATIVE_FIELDS:
                    entry[k] = self.fund_narratives[fund].get(k, "")
            if any(str(v).strip() for v in entry.values()):
                fns[fund] = entry
        out["fund_narratives"] = fns
        signoff = dict(stored.get("signoff") or {})
        for k, _ in SIGNOFF_FIELDS:
            signoff[k] = self.signoff.get(k, "").strip()
        out["signoff"] = signoff
        return out

    # -- problems of a failed save, next to their rows and fields
    def attach(self, problems: list[dict[str, str]]) -> None:
        self.errors = list(problems)
        by_index = {
            "figures": {r.index: r for r in self.figures if r.index is not None},
            "indicators": {r.index: r for r in self.indicators if r.index is not None},
        }
        for p in problems:
            place, msg = p.get("place", ""), p.get("message", "")
            if m := PLACE.match(place):
                row = by_index[m.group(1)].get(int(m.group(2)))
                if row is not None:
                    name = m.group(3) or ""
                    keys = FIGURE_KEYS if m.group(1) == "figures" else INDICATOR_KEYS
                    row.errors.setdefault(name if name in keys else "", []).append(msg)
                    p["row"] = f"{'f' if m.group(1) == 'figures' else 'i'}-{row.key}"
                continue
            if m := NESTED.match(place):
                key = f"{'n' if m.group(1) == 'narrative' else 's'}-{m.group(2)}"
            elif m := FUND_NARRATIVE.match(place):
                key = f"fn-{m.group(1)}-{m.group(2) or ''}"
            elif m := TOP.match(place):
                key = f"d-{m.group(1)}"
            else:
                continue
            self.field_errors.setdefault(key, []).append(msg)
            p["row"] = key

    # -- what the template iterates
    def narrative_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "name": f"n-{k}",
                "label": label,
                "value": self.narrative.get(k, ""),
                "errors": self.field_errors.get(f"n-{k}", []),
            }
            for k, label in NARRATIVE_FIELDS
        ]

    def fund_narrative_blocks(self) -> list[dict[str, Any]]:
        cb = codebook()
        out = []
        for fund, values in self.fund_narratives.items():
            f = cb.funds.get(fund)
            out.append(
                {
                    "fund": fund,
                    "name": f.name if f else fund,
                    "fields": [
                        {
                            "name": f"fn-{fund}-{k}",
                            "label": label,
                            "value": values.get(k, ""),
                            "errors": self.field_errors.get(f"fn-{fund}-{k}", []),
                        }
                        for k, label in FUND_NARRATIVE_FIELDS
                    ],
                }
            )
        return out

    def info_fields(self) -> list[dict[str, Any]]:
        return [
            {
                "name": f"d-{k}",
                "label": label,
                "value": self.info.get(k, ""),
                "errors": self.field_errors.get(f"d-{k}", []),
            }
            for k, label in INFO_FIELDS
        ] + [
            {
                "name": f"s-{k}",
                "label": label,
                "value": self.signoff.get(k, ""),
                "errors": self.field_errors.get(f"s-{k}", []),
            }
            for k, label in SIGNOFF_FIELDS
        ]

    def suggestions(self, name: str, base: list[str]) -> list[str]:
        """The values offered for a level field: the usual ones, then those typed in this dataset."""
        typed = [r.values.get(name, "").strip() for r in self.indicators]
        return [v for v in dict.fromkeys([*base, *typed]) if v]

    def filter_funds(self) -> list[tuple[str, str]]:
        """The funds of the figure rows (for the 只看基金 filter), in the code list's order."""
        cb = codebook()
        present = {r.values.get("fund", "") for r in self.figures}
        return [(c, f.name) for c, f in cb.funds.items() if c in present]

    def next_key(self, kind: str) -> int:
        rows = self.figures if kind == "f" else self.indicators
        return max((r.key for r in rows), default=-1) + 1


def _narrative_funds(figures: list[dict[str, Any]], fns: dict[str, Any]) -> list[str]:
    """The funds that get a 分基金说明 block: those with figures (not 合计), then any other that
    already has text, in the code list's order."""
    order = [c for c in codebook().funds if c != "all"]
    present = {f.get("fund") for f in figures} | set(fns)
    return [c for c in order if c in present] + [c for c in fns if c not in order]


def lazy_select(name: str, kind: str, value: str, blank: str | None) -> SafeString:
    """A fund / item / measure <select> holding only its current option; the page's script fills
    in the rest from one ``<template id="codes-KIND">`` (a seven-fund editor has ~600 such selects:
    their options written out would weigh a megabyte). Without the script the row still saves."""
    cb = codebook()
    table = {"fund": cb.funds, "item": cb.items, "measure": cb.measures}[kind]
    v = escape(value or "")
    opts = ""
    if blank is not None:
        opts += f'<option value=""{"" if value else " selected"}>{escape(blank)}</option>'
    if value:
        entry = table.get(value)
        label = escape(entry.name) if entry is not None else f"{v}（未知代码）"
        opts += f'<option value="{v}" selected>{label}</option>'
    data = f' data-codes="{kind}" aria-label="{LABELS[kind]}"'
    data += f' data-blank="{escape(blank)}"' if blank is not None else ""
    return mark_safe(f'<select name="{escape(name)}"{data}>{opts}</select>')


def figure_cells(row: Row) -> dict[str, SafeString]:
    """The three selects of a figure row."""
    return {
        name: lazy_select(
            f"f-{row.key}-{name}", name, row.values.get(name, ""), "—" if name != "measure" else None
        )
        for name in ("fund", "item", "measure")
    }
