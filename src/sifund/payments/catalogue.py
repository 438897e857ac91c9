"""The rule catalogue: ``data/payments/rules.yaml`` and a province's ``--rules`` override file.

Why data and not code: an agency's internal-control manual has 100+ indicators (疑点指标) and each
province tunes them (ages, factors, which benefits). Every indicator is one entry naming a *kind*
(a parameterised computation in :mod:`sifund.payments.kinds`) with its params, its 风险等级 and
类别 and the wording of its 疑点说明; adding one is a YAML edit. Every error names the file, the line
and the key (:func:`sifund.core.packaged.marked_problems`), so a typo in a province's file is found
before any data is read.

Override semantics (``--rules FILE``): an entry whose ``code`` is already in the catalogue changes
only the fields it gives (``params`` key by key); a new code adds a rule at the end; ``enabled:
false`` turns a rule off. ``sets`` entries add or replace named code lists; a params value
``"$name"`` stands for the list ``sets.name``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sifund.core.errors import Problem, SifundError
from sifund.core.packaged import data_text, load_with_marks, marked_problem

RULES_FILE = "sifund/data/payments/rules.yaml"
CODE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
COMMON_FACTS = ("name", "person_id", "first", "last", "span", "months", "periods", "amount", "rows")


class RuleEntry(BaseModel):
    """One rule as written in the file (Chinese keys as the agencies' indicator sheets have them)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    code: str = Field(min_length=1)
    name: str = Field(alias="名称", min_length=1)
    category: Literal["征缴类", "支付类"] = Field(alias="类别")
    risk: Literal["high", "medium", "low"] = Field(alias="风险等级")
    description: str = ""
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field(min_length=1)
    enabled: bool = True

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not set(v) <= CODE_CHARS:
            raise ValueError(f"代码只能由小写字母、数字和下划线组成 bad code: {v!r}")
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        from sifund.payments.kinds import KINDS

        if v not in KINDS:
            raise ValueError(f"未知的规则类型 unknown kind {v!r}（可用：{'、'.join(KINDS)}）")
        return v


class PartialEntry(BaseModel):
    """An override entry: only ``code`` is required; the other fields replace the catalogue's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    code: str = Field(min_length=1)
    name: str | None = Field(None, alias="名称")
    category: Literal["征缴类", "支付类"] | None = Field(None, alias="类别")
    risk: Literal["high", "medium", "low"] | None = Field(None, alias="风险等级")
    description: str | None = None
    kind: str | None = None
    params: dict[str, Any] | None = None
    reason: str | None = None
    enabled: bool | None = None


class RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sets: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[dict[str, Any]] = Field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """A validated rule: the entry's fields, its kind's typed params, where it was defined."""

    code: str
    name: str
    category: str
    risk: str
    description: str
    kind: str
    params: Any  # the kind's params model (sifund.payments.kinds)
    reason: str
    enabled: bool
    order: int  # position in the merged catalogue (the order of hits within a risk)
    file: str


def message(err: Any) -> str:
    """A schema error in the words of the other rule files (Chinese first, then English)."""
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "未知的键（拼写错误？）unknown key"
    if kind == "missing":
        return "缺少必填项 missing"
    if kind == "literal_error":
        return f"应为 {err.get('ctx', {}).get('expected', '')} 之一 (not an allowed value)"
    return str(err["msg"]).removeprefix("Value error, ")


def _expand(value: Any, sets: dict[str, list[str]]) -> Any:
    """``"$name"`` → ``sets[name]`` anywhere in a params value (lists and nested mappings)."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in sets:
            raise KeyError(value[1:])
        return list(sets[value[1:]])
    if isinstance(value, dict):
        return {k: _expand(v, sets) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, sets) for v in value]
    return value


def _placeholders(template: str) -> list[str]:
    try:
        return [f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f]
    except ValueError as e:
        raise ValueError(f"说明模板格式错误 bad reason template: {e}") from None


@dataclass
class _Source:
    file: str
    root: Any
    index: int  # the entry's position in that file's `rules`


def _parse_file(text: str, file: str) -> tuple[RulesFile, Any]:
    raw, root = load_with_marks(text, file)
    try:
        return RulesFile.model_validate(raw if raw is not None else {}), root
    except ValidationError as e:
        raise SifundError(
            [marked_problem(file, root, tuple(err["loc"]), message(err)) for err in e.errors()]
        ) from None


def _validate(raw: dict[str, Any], src: _Source, sets: dict[str, list[str]], order: int) -> Rule:
    """A merged entry as a Rule; errors name the file and line of the entry that defines it."""
    from sifund.payments.kinds import KINDS

    def problem(loc: tuple[Any, ...], msg: str) -> Problem:
        return marked_problem(src.file, src.root, ("rules", src.index, *loc), msg)

    try:
        entry = RuleEntry.model_validate(raw)
    except ValidationError as e:
        raise SifundError([problem(tuple(err["loc"]), message(err)) for err in e.errors()]) from None
    kind = KINDS[entry.kind]
    try:
        params_raw = _expand(entry.params, sets)
    except KeyError as e:
        raise SifundError(problem(("params",), f"未定义的代码集 unknown set ${e.args[0]}")) from None
    try:
        params = kind.params.model_validate(params_raw)
    except ValidationError as e:
        raise SifundError([problem(("params", *err["loc"]), message(err)) for err in e.errors()]) from None
    facts = (*COMMON_FACTS, *kind.facts, *getattr(params, "facts", ()))  # row_filter: its chosen columns
    try:
        unknown = [p for p in _placeholders(entry.reason) if p not in facts]
    except ValueError as e:
        raise SifundError(problem(("reason",), str(e))) from None
    if unknown:
        known = "、".join(facts)
        raise SifundError(
            problem(
                ("reason",), f"说明模板中有未知占位符 unknown placeholder {{{unknown[0]}}}（可用：{known}）"
            )
        )
    return Rule(
        entry.code, entry.name, entry.category, entry.risk, entry.description, entry.kind, params,
        entry.reason, entry.enabled, order, src.file,
    )  # fmt: skip


def parse_catalogue(texts: list[tuple[str, str]]) -> list[Rule]:
    """Merge catalogue texts ``[(text, file), …]`` in order (the packaged one first); every rule
    enabled or not, in catalogue order."""
    sets: dict[str, list[str]] = {}
    merged: dict[str, dict[str, Any]] = {}
    sources: dict[str, _Source] = {}
    for n, (text, file) in enumerate(texts):
        model, root = _parse_file(text, file)
        sets.update(model.sets)
        for i, raw in enumerate(model.rules):
            src = _Source(file, root, i)
            try:
                part = PartialEntry.model_validate(raw)
            except ValidationError as e:
                raise SifundError(
                    [
                        marked_problem(file, root, ("rules", i, *err["loc"]), message(err))
                        for err in e.errors()
                    ]
                ) from None
            if part.code in merged and n > 0:  # an override of a known rule: field by field
                base = merged[part.code]
                for key, value in raw.items():
                    if key == "params" and isinstance(value, dict):
                        base["params"] = {**base.get("params", {}), **value}
                    else:
                        base[key] = value
            elif part.code in merged:
                raise SifundError(
                    marked_problem(file, root, ("rules", i, "code"), f"代码重复 duplicate code {part.code}")
                )
            else:
                merged[part.code] = dict(raw)
            sources[part.code] = src
    return [_validate(raw, sources[code], sets, k) for k, (code, raw) in enumerate(merged.items())]


def load_rules(override: Path | str | None = None) -> list[Rule]:
    """The packaged catalogue, with ``override`` (a province's rules file) merged in."""
    texts = [(data_text("payments", "rules.yaml"), RULES_FILE)]
    if override is not None:
        path = Path(override)
        try:
            texts.append((path.read_text("utf-8"), str(path)))
        except UnicodeDecodeError:
            raise SifundError("规则文件不是 UTF-8 编码 (not UTF-8)", file=str(path)) from None
    return parse_catalogue(texts)


@cache
def builtin_rules() -> tuple[Rule, ...]:
    """The packaged catalogue (parsed once per process)."""
    return tuple(load_rules())
