"""Engine configuration: scoring weights, risk rules and metric names, as data.

The packaged defaults live in ``data/engine/*.yaml``. A province or year with other rules passes
its own YAML (``--config``) holding any of the top-level keys ``scoring``, ``risks``, ``metrics``:
mappings are merged key by key, risk rules by ``id`` (``enabled: false`` switches one off), other
lists are replaced. This is the only module of the engine that reads files.
"""

from __future__ import annotations

import copy
import re
import string
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.core.packaged import data_yaml, valid_regex
from sifund.core.structured import Document, read_yaml
from sifund.guard import read_bounded

OPS = ("<", "<=", ">", ">=", "==", "!=", "outside", "within")
SECTIONS = ("scoring", "risks", "metrics")


class _Strict(BaseModel):
    """No unknown keys (a typo would be silently ignored) and no NaN/±inf in any number: a weight
    of .inf or a threshold of .nan would turn the score card or every rule comparison into noise."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Execution(_Strict):
    name: str = "预算执行率"
    weight: float = Field(10.0, ge=0)
    metric: str = "expenditure_completion"
    fund: str = "all"
    cap: float = Field(100.0, gt=0)


class GradeBand(_Strict):
    min: float
    grade: str


class Scoring(_Strict):
    execution: Execution = Field(default_factory=Execution)
    groups: dict[str, float] = Field(default_factory=dict)
    group_aliases: dict[str, str] = Field(default_factory=dict)
    missing_groups: Literal["redistribute", "drop"] = "redistribute"
    judgement: dict[Literal["full", "partial", "zero"], float] = Field(default_factory=dict)
    grades: list[GradeBand] = Field(default_factory=list)
    placeholder_reason: str = "（请填写偏差原因）"
    decimals: int = Field(2, ge=0, le=6)
    unmet_max: float = Field(0.99, ge=0, le=1)

    @field_validator("groups")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [g for g, w in v.items() if w < 0]
        if bad:
            raise ValueError(f"权重不能为负 negative weight: {'、'.join(bad)}")
        return v

    @field_validator("grades")
    @classmethod
    def _sorted(cls, v: list[GradeBand]) -> list[GradeBand]:
        return sorted(v, key=lambda b: -b.min)

    def grade(self, percent: float) -> str:
        return next((b.grade for b in self.grades if percent >= b.min - 1e-9), "")


class Condition(_Strict):
    """{metric, op, value} or {all: [...]} / {any: [...]}: a tiny language, never Python eval."""

    metric: str | None = None
    op: str | None = None
    value: float | list[float] | None = None
    all_: list[Condition] | None = Field(None, alias="all")
    any_: list[Condition] | None = Field(None, alias="any")

    @model_validator(mode="after")
    def _form(self) -> Condition:
        leaf = self.metric is not None
        if sum((leaf, self.all_ is not None, self.any_ is not None)) != 1:
            raise ValueError("条件应为 {metric, op, value}、{all: [...]} 或 {any: [...]} 之一")
        if leaf:
            if self.op not in OPS:
                raise ValueError(f"未知比较符 unknown op {self.op!r}（可用 {' '.join(OPS)}）")
            pair = self.op in ("outside", "within")
            if pair != (isinstance(self.value, list) and len(self.value) == 2):
                raise ValueError(f"{self.op} 的 value 应为{'[下限, 上限]' if pair else '一个数'}")
        return self

    def metrics(self) -> set[str]:
        if self.metric:
            return {self.metric}
        return set().union(*(c.metrics() for c in (self.all_ or self.any_ or [])))


class RiskRule(_Strict):
    id: str
    level: Literal["高", "中", "低"]
    funds: str | list[str] = "each"
    when: Condition
    message: str
    enabled: bool = True

    @field_validator("message")
    @classmethod
    def _template(cls, v: str) -> str:
        try:
            fields = list(string.Formatter().parse(v))
        except ValueError as e:
            raise ValueError(f"消息模板格式错误 bad template: {e}") from None
        for _, name, spec, conv in fields:
            if name is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise ValueError(f"消息模板只能引用指标代码或 fund: {{{name}}}")
            if spec or conv:  # values arrive formatted (97.30%, 5.20个月): a format spec cannot apply
                raise ValueError(f"消息模板中 {{{name}}} 不能带格式说明 no format spec or conversion")
        return v


class MetricDef(_Strict):
    name: str
    unit: str = ""


class Binding(_Strict):
    pattern: str
    metric: str

    @field_validator("pattern")
    @classmethod
    def _regex(cls, v: str) -> str:
        return valid_regex(v)


class Metrics(_Strict):
    metrics: dict[str, MetricDef] = Field(default_factory=dict)
    item_prefixes: dict[str, str] = Field(default_factory=dict)
    item_metrics: dict[str, MetricDef] = Field(default_factory=dict)
    benefit_items: list[str] = Field(default_factory=list)
    headcount_items: list[str] = Field(default_factory=list)
    bindings: list[Binding] = Field(default_factory=list)


class EngineConfig(_Strict):
    scoring: Scoring = Field(default_factory=Scoring)
    risks: list[RiskRule] = Field(default_factory=list)
    metrics: Metrics = Field(default_factory=Metrics)

    @field_validator("risks")
    @classmethod
    def _unique(cls, v: list[RiskRule]) -> list[RiskRule]:
        seen: set[str] = set()
        dup = {r.id for r in v if r.id in seen or seen.add(r.id)}  # type: ignore[func-returns-value]
        if dup:
            raise ValueError(f"风险规则 id 重复 duplicate rule id: {', '.join(sorted(dup))}")
        return v


Condition.model_rebuild()


@cache
def _packaged_raw() -> dict[str, Any]:
    return {
        "scoring": data_yaml("engine", "scoring.yaml"),
        "risks": data_yaml("engine", "risks.yaml")["risks"],
        "metrics": data_yaml("engine", "metrics.yaml"),
    }


def _merge_risks(base: list[dict[str, Any]], extra: Any) -> list[dict[str, Any]]:
    """Rules merged by id. A rule whose id is not a string (a list, a mapping, missing) is kept
    as its own entry, unmerged, so validation names it instead of a TypeError on hashing it."""
    if not isinstance(extra, list):
        return extra  # let validation report the wrong type
    out: dict[Any, dict[str, Any]] = {r.get("id"): r for r in base}
    for n, r in enumerate(extra):
        if not isinstance(r, dict):
            return extra
        rid = r.get("id")
        if not isinstance(rid, str):
            out[("unmergeable", n)] = r
        elif rid in out:
            out[rid] = {**out[rid], **r}
        else:
            out[rid] = r
    return list(out.values())


def _deep_merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = _deep_merge(base[k], v) if k in base else v
        return out
    return extra


def merge(base: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """The packaged config with a user's overrides applied (pure; used by load_config)."""
    out = copy.deepcopy(base)
    for key, val in user.items():
        if key == "risks":
            out["risks"] = _merge_risks(out["risks"], val)
        else:
            out[key] = _deep_merge(out.get(key), val)
    return out


def _user_loc(raw: dict[str, Any], doc: Document | None, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A merged risk rule's index → its index in the user's own list (found by the rule object,
    or by its id when it was merged over a packaged rule)."""
    if len(loc) < 2 or loc[0] != "risks" or not isinstance(loc[1], int) or doc is None:
        return loc
    rules, mine = raw.get("risks"), doc.data.get("risks") if isinstance(doc.data, dict) else None
    if not isinstance(rules, list) or not isinstance(mine, list) or loc[1] >= len(rules):
        return loc
    rule = rules[loc[1]]
    for i, r in enumerate(mine):
        if r is rule or (
            isinstance(r, dict) and isinstance(rule, dict) and "id" in r and r["id"] == rule.get("id")
        ):
            return ("risks", i, *loc[2:])
    return loc


_TYPE_WORDS = {"string_type": "文本 (a string)", "float_type": "数字 (a number)",
               "float_parsing": "数字 (a number)",
               "int_type": "整数 (an integer)", "int_parsing": "整数 (an integer)", "bool_type": "true/false",
               "dict_type": "映射 (a mapping)", "list_type": "列表 (a list)"}  # fmt: skip


def build_config(raw: dict[str, Any], file: str = "", root: Document | None = None) -> EngineConfig:
    """Validate a merged configuration; ``root`` is the user's Document, for lines."""
    try:
        return EngineConfig.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = _user_loc(raw, root, tuple(err["loc"]))
            place = ".".join(str(x) for x in loc)
            line = root.line(loc) if root is not None else None
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "finite_number":
                msg = f"不是有限数 not a finite number: {err.get('input')!r}"
            elif err["type"] in _TYPE_WORDS:
                msg = f"类型不对 wrong type: {str(err.get('input'))[:40]!r}，应为{_TYPE_WORDS[err['type']]}"
            problems.append(Problem(file, f"line {line}, {place}" if line else place, msg))
        raise SifundError(problems) from None


class TargetWords(_Strict):
    """The vocabulary of 指标值 texts (data/engine/targets.yaml)."""

    word_ops: dict[Literal["≥", ">", "≤", "<"], list[str]]
    suffix_ops: dict[Literal["≥", "≤"], list[str]]
    filler_before: list[str]
    filler_after: list[str]
    count_units: list[str]
    duration_units: dict[str, str]
    zero_words: list[str]


@cache
def target_words() -> TargetWords:
    """The packaged 指标值 vocabulary (not user-configurable: it describes the language, not policy)."""
    raw = data_yaml("engine", "targets.yaml")
    return TargetWords.model_validate(raw)


@cache
def default_config() -> EngineConfig:
    return build_config(_packaged_raw(), "sifund/data/engine")


def load_config(path: str | Path | None = None) -> EngineConfig:
    """The packaged configuration, with the YAML at ``path`` merged over it when given."""
    if path is None:
        return default_config()
    file = str(path)
    if not Path(path).exists():
        raise SifundError("配置文件不存在 config file not found", file=file)
    raw = read_bounded(path, limits().files.max_config_bytes)  # a regular file, at most 1 MB
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise SifundError(
            [Problem(file, f"line {line}, byte offset {e.start}", "不是 UTF-8 编码 not UTF-8")]
        ) from None
    doc = read_yaml(text, file, limits().structured)  # depth, nodes, duplicate keys, NaN/inf: line named
    user = doc.data if doc.data is not None else {}
    if not isinstance(user, dict):
        raise SifundError(
            [Problem(file, "line 1", "顶层应为映射（scoring / risks / metrics） top level must be a mapping")]
        )
    unknown = [k for k in user if k not in SECTIONS]
    if unknown:
        line = doc.line((unknown[0],))
        msg = f"未知配置项 unknown key {unknown[0]!r}（可用 {'/'.join(SECTIONS)}）"
        raise SifundError([Problem(file, f"line {line}" if line else "", msg)])
    return build_config(merge(_packaged_raw(), user), file, doc)
