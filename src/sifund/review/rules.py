"""The extraction rules of ``data/review/extract.yaml``, validated and compiled once per process.

Cue words, heading patterns and clause patterns are data so that a new report style is a YAML
edit; this module checks and compiles them. Why a schema: a key spelt wrong used to surface as a
``KeyError`` at the first sentence that needed it, and a bad regex at the first report that reached
it; now every key is known, every regex compiles and every ``{class.name}`` placeholder names a
class of the lexicon (data/review/lexicon.yaml) when the rules load, or the error names the key and
its line. The placeholders expand to the class's words (longest first), so a word class is spelt
once, in the lexicon, however many patterns speak of it.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.core.lexicon import NAME_RE, Lexicon, lexicon
from sifund.core.packaged import compile_regex, data_text, load_with_marks, marked_problem

EXTRACT_FILE = "sifund/data/review/extract.yaml"
PLACEHOLDER = re.compile(r"\{(" + NAME_RE.pattern + r")\}")
Pattern = re.Pattern  # annotations below never say ``re.``: Rules has a method named ``re``


def expand(pattern: str, lex: Lexicon) -> str:
    """``pattern`` with each ``{class.name}`` replaced by the class's alternation."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) not in lex.classes:
            raise ValueError(f"未定义的词类 undefined word class {{{m.group(1)}}}（见 lexicon.yaml）")
        return lex.alternation(m.group(1))

    return PLACEHOLDER.sub(one, pattern)


def _compile(v: Any, info: ValidationInfo) -> Any:
    if not isinstance(v, str):
        return v  # the schema's type error names it
    lex = (info.context or {}).get("lexicon") or lexicon()
    return compile_regex(expand(v, lex))


def _groups(*names: str) -> Callable[[Pattern[str]], Pattern[str]]:
    def check(rx: Pattern[str]) -> Pattern[str]:
        missing = [n for n in names if n not in rx.groupindex]
        if missing:
            raise ValueError(f"缺少命名组 missing named group: {', '.join(f'(?P<{n}>…)' for n in missing)}")
        return rx

    return check


Rx = Annotated[Pattern[str], BeforeValidator(_compile)]


def RxG(*names: str) -> Any:
    """A regex that must define the named groups the code reads."""
    return Annotated[Pattern[str], BeforeValidator(_compile), AfterValidator(_groups(*names))]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _measure_codes(v: dict[str, Any]) -> dict[str, Any]:
    bad = [m for m in v if m not in codebook().measures]
    if bad:
        raise ValueError(f"未知指标代码 unknown measure: {', '.join(bad)}")
    return v


def _item_codes(v: dict[str, Any]) -> dict[str, Any]:
    bad = [i for i in v if i not in codebook().items]
    if bad:
        raise ValueError(f"未知项目代码 unknown item: {', '.join(bad)}")
    return v


class Heading(_Strict):
    level: int = Field(ge=0, le=9)  # 0: a chapter (第一部分) above the 一、 headings
    rx: Rx = Field(alias="re")


class ShareRef(_Strict):
    rx: Rx = Field(alias="re")
    of: str = Field(min_length=1)

    @field_validator("of")
    @classmethod
    def _known(cls, v: str) -> str:
        cb = codebook()
        if v not in cb.measures and v not in cb.items:
            raise ValueError(f"未知指标或项目代码 unknown measure or item: {v}")
        return v


class NegatedLabel(_Strict):
    rx: Rx = Field(alias="re")
    item: str
    signed: bool = False

    @field_validator("item")
    @classmethod
    def _known(cls, v: str) -> str:
        _item_codes({v: None})
        return v


def _item_list(v: list[str]) -> list[str]:
    bad = [c for c in v if c not in codebook().items]
    if bad:
        raise ValueError(f"未知项目代码 unknown item code {bad[0]!r}")
    return v


def _kind_units(v: dict[str, str]) -> dict[str, str]:
    """``kind: unit``: each unit one of the number parser's, of that kind (people: 人)."""
    from sifund.core.numbers import UNITS

    for kind, unit in v.items():
        if unit not in UNITS or UNITS[unit][0] != kind:
            raise ValueError(f"{unit!r} 不是 {kind} 类单位 is not a unit of kind {kind}")
    return v


def _unit_words(v: dict[str, str]) -> dict[str, str]:
    """``word: unit``: each unit one of the number parser's (月 → 个月)."""
    from sifund.core.numbers import UNITS

    for word, unit in v.items():
        if unit not in UNITS:
            raise ValueError(f"{word!r}: 未知单位 unknown unit {unit!r}")
    return v


class Tables(_Strict):
    columns: Annotated[dict[str, Rx], AfterValidator(_measure_codes)] = Field(min_length=1)
    column_year: RxG("y")
    unit_line: RxG("u")
    title_line: Rx
    title_items: Annotated[dict[str, Rx], AfterValidator(_item_codes)]
    total_row: Rx
    label_strip: Rx
    value_cell: Rx
    wrapped_value_cell: Rx
    split_label_max: int = Field(ge=0)
    space_header_cell_max: int = Field(ge=1)
    space_row: RxG("label", "values")
    item_total_row: Rx
    table_end: Rx
    page_line: Rx
    continued_title: Rx
    pipe: Rx
    rule_row: Rx
    only_unit: Rx
    unit_bracket: RxG("u")
    kind_units: Annotated[dict[str, str], AfterValidator(_kind_units)]
    qualifier: Rx
    qualified_parts: bool
    unit_words: Annotated[dict[str, str], AfterValidator(_unit_words)]
    column_period: Rx
    same_date_header: Rx
    same_date_items: Annotated[list[str], AfterValidator(_item_list)]
    same_date_qualifier: str = Field(min_length=1)
    sub_period_header: Rx
    full_year_budget: Rx
    opening_budget_stated: Rx
    in_year_header: Rx
    full_year_is_opening: Rx


class Attribution(_Strict):
    weak_fund: list[str]
    weak_item: list[str]
    note: str = Field(min_length=1)


class Claims(_Strict):
    all_met: Rx
    all_met_except: RxG("x")
    all_met_rest: RxG("x")
    no_reason_heading: Rx
    no_reason_text: Rx


class Header(_Strict):
    region: RxG("r")
    region_strip: Rx
    region_stop: Rx
    year_title: RxG("y")
    year_any: RxG("y")
    filled: RxG("y", "m", "d")


class GoalColumns(_Strict):
    name: Rx
    target: Rx
    actual: Rx


class IndicatorTable(_Strict):
    level1: Rx
    level2: Rx
    header: Rx
    target_column: Rx
    name_column: Rx
    actual_column: Rx
    level1_column: Rx
    level2_column: Rx
    fund_column: Rx
    skip_row: Rx
    value_cell: Rx
    goal_columns: GoalColumns


_NEEDED_MEASURES = ("budget_adjusted", "budget", "prior", "actual", "target")


def _label_measures(v: dict[str, Any]) -> dict[str, Any]:
    _measure_codes(v)
    missing = [m for m in _NEEDED_MEASURES if m not in v]
    if missing:
        raise ValueError(f"缺少指标 missing measure: {', '.join(missing)}")
    return v


class ExtractSpec(_Strict):
    """Every key of extract.yaml (see the comments there for what each pattern matches)."""

    headings: list[Heading] = Field(min_length=1)
    title_line: Rx
    fund_line: Rx
    title_lines: int = Field(ge=1)
    cover_project_field: Rx
    fund_aside: Rx
    cause_aside: Rx
    label_tail_aside: Rx
    unit_bracket_label: RxG("u")
    fund_colon_lead: RxG("f")
    fund_topic: RxG("f")
    renamed_subject_rest: Rx
    target_section: Rx
    overview_section: Rx
    table_start: Rx
    sentence_end: Rx
    lookback_chars: int = Field(ge=1)
    clause_break: Rx
    word_percent: Rx
    label_fillers: Rx
    label_measure_tail: Rx
    generic_item_suffix: Rx
    generic_item_before: Rx
    topic_whole: Rx
    foreign_money: Rx
    full_year_label: Rx
    measure_only: Rx
    overrun_budget: Rx
    back_reference: RxG("item", "m")
    list_sep: Rx
    of_which: Rx
    fund_part_rest: Rx
    # checked in this order on a label; by name, not by position
    measures: Annotated[dict[str, Rx], AfterValidator(_label_measures)]
    target_suffix: Rx
    yoy_change: Rx
    prior_ref: Rx
    bare_change: Rx
    yoy_rate: Rx
    not_yoy: Rx
    from_to: Rx
    from_to_mid: Rx
    completion_head: Rx
    completion_rate_label: Rx
    completion_between: Rx
    initial_budget: Rx
    share: RxG("ref")
    share_refs: list[ShareRef] = Field(min_length=1)
    per_capita: Rx
    per_capita_tail: Rx
    negated_labels: list[NegatedLabel]
    change_words: Rx
    rate_target_suffix: Rx
    target_prefix: Rx
    tables: Tables
    attribution: Attribution
    claims: Claims
    plan_claims: list[RxG("y", "p")]
    plans: dict[str, tuple[int, int]]
    header: Header
    table: IndicatorTable


@dataclass(frozen=True, eq=False)
class Rules:
    """The validated rules: ``spec`` typed, ``re("dotted.key")`` for any pattern, and the views the
    parsers iterate (``headings``, ``measures`` by name in file order, ``share_refs``, ``plans``)."""

    spec: ExtractSpec
    raw: dict[str, Any]  # the rules as a mapping (patterns compiled), for the keys read by name
    headings: list[tuple[int, Pattern[str]]]
    measures: dict[str, Pattern[str]]
    share_refs: list[tuple[Pattern[str], str]]
    plans: dict[str, tuple[int, int]]
    patterns: dict[str, Pattern[str]]

    def re(self, key: str) -> Pattern[str]:
        """A compiled top-level or dotted ("header.region") pattern."""
        try:
            return self.patterns[key]
        except KeyError:
            raise KeyError(f"{EXTRACT_FILE}: 没有这个规则 no pattern {key!r}") from None


def required_chars(rx: re.Pattern[str]) -> str | None:
    """Chars one of which every match of ``rx`` holds: those of the first element of its top-level
    sequence that is a literal or a set of literals ("[（(]…", "随…而", "…[:：]\\s*$"); a text holding
    none of them has no match. None (the pattern is always run) when there is no such element (a
    top-level alternation, a pattern of repeats) or case is ignored."""
    if rx.flags & re.IGNORECASE:
        return None
    for op, av in sre_parse.parse(rx.pattern, rx.flags):
        if op is sre_constants.LITERAL:
            return chr(av)
        if op is sre_constants.IN and all(o is sre_constants.LITERAL for o, _ in av):
            return "".join(chr(c) for _, c in av)
    return None



# A pattern whose first char is not told by a literal or a set (an optional group first, or an
# alternation: "(绩效)?目标完成率…|(目标|指标)(均已|…)…") is tried by ``search`` at every offset,
# each alternative in turn; led by a lookahead of the chars any match starts with, the regex engine
# skips to the next offset holding one of them. The lookahead matches where every match starts, so
# the matches (spans, groups) are the same.
_FIRST_CHARS_MAX = 64
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def _first_chars(seq: Any) -> tuple[set[str], bool] | None:
    """The chars a match of the parsed sequence ``seq`` can start with, and whether it can match the
    empty string; None when that cannot be told simply (sets with categories or negation, anchors,
    lookarounds, back references, flags in a group)."""
    out: set[str] = set()
    for op, av in seq:
        if op is sre_constants.LITERAL:
            out.add(chr(av))
            return out, False
        if op is sre_constants.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is sre_constants.LITERAL:
                    chars.add(chr(a))
                elif o is sre_constants.RANGE and a[1] - a[0] < _FIRST_CHARS_MAX:
                    chars.update(chr(c) for c in range(a[0], a[1] + 1))
                else:
                    return None
            out |= chars
            return out, False
        if op is sre_constants.BRANCH:
            nullable = False
            for alt in av[1]:
                got = _first_chars(alt)
                if got is None:
                    return None
                out |= got[0]
                nullable = nullable or got[1]
            if not nullable:
                return out, False
            continue
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            got = _first_chars(sub) if not add_flags and not del_flags else None
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            lo, _hi, sub = av
            got = _first_chars(sub)
            if got is not None and lo == 0:
                got = (got[0], True)
        else:
            return None
        if got is None:
            return None
        out |= got[0]
        if not got[1]:
            return out, False
    return out, True


def _engine_sees_start(seq: list[Any]) -> bool:
    """Whether the regex engine finds the start chars itself (``re._compiler._get_charset_prefix``): a
    leading literal or set, or an alternation each of whose branches starts with a literal, inside
    any plain groups."""
    while seq and seq[0][0] is sre_constants.SUBPATTERN and not seq[0][1][1] and not seq[0][1][2]:
        seq = list(seq[0][1][3])
    if not seq:
        return False
    op, av = seq[0]
    if op in (sre_constants.LITERAL, sre_constants.IN):
        return True
    return op is sre_constants.BRANCH and all(alt and alt[0][0] is sre_constants.LITERAL for alt in av[1])


def fast_start(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx``, or the same pattern led by a lookahead of the chars its matches start with when the
    regex engine cannot see them itself (see above). Same matches, found with fewer steps."""
    if rx.flags & re.IGNORECASE or _GLOBAL_FLAGS.match(rx.pattern):
        return rx  # "(?x)…" must stay first
    parsed = list(sre_parse.parse(rx.pattern, rx.flags))
    if not parsed or _engine_sees_start(parsed):
        return rx
    got = _first_chars(parsed)
    if got is None or got[1] or not got[0] or len(got[0]) > _FIRST_CHARS_MAX:
        return rx
    chars = "".join(re.escape(c) for c in sorted(got[0]))
    return re.compile(f"(?=[{chars}])(?:{rx.pattern})", rx.flags)


def holds_any(text: str, chars: str | None) -> bool:
    """Whether ``text`` holds one of ``chars`` (``required_chars``; None: it may match anywhere)."""
    if chars is None:
        return True
    for c in chars:  # noqa: SIM110 -- one or two chars, a call per number: any() over a generator costs more
        if c in text:
            return True
    return False


def _flatten(node: Any, prefix: str, out: dict[str, Pattern[str]]) -> None:
    if isinstance(node, re.Pattern):
        out[prefix] = node
    elif isinstance(node, dict):
        for k, v in node.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)


_SCHEMA_WORDS = {"extra_forbidden": "未知的键 unknown key", "missing": "缺少此键 missing key"}


def _problems(e: ValidationError, file: str, root: yaml.Node | None) -> SifundError:
    """The schema's errors at their keys and lines, a typo or a missing key said in plain words."""

    def words(err: Any) -> str:
        return _SCHEMA_WORDS.get(err["type"], err["msg"].removeprefix("Value error, "))

    return SifundError([marked_problem(file, root, tuple(err["loc"]), words(err)) for err in e.errors()])


def parse_extract_rules(text: str, file: str = EXTRACT_FILE, lex: Lexicon | None = None) -> Rules:
    """Validate an extract.yaml text against the schema and the lexicon ``lex`` (the packaged one
    when None); every error names the file, the line and the key."""
    raw, root = load_with_marks(text, file)
    if not isinstance(raw, dict):
        raise SifundError("顶层应为映射 top level must be a mapping", file=file)
    try:
        spec = ExtractSpec.model_validate(raw, context={"lexicon": lex or lexicon()})
    except ValidationError as e:
        raise _problems(e, file, root) from None
    dumped = spec.model_dump(by_alias=True)
    patterns: dict[str, Pattern[str]] = {}
    _flatten(dumped, "", patterns)
    patterns = {k: fast_start(rx) for k, rx in patterns.items()}
    return Rules(
        spec=spec,
        raw=dumped,
        headings=[(h.level, fast_start(h.rx)) for h in spec.headings],
        measures={k: fast_start(rx) for k, rx in spec.measures.items()},
        share_refs=[(fast_start(s.rx), s.of) for s in spec.share_refs],
        plans=dict(spec.plans),
        patterns=patterns,
    )


@cache
def extract_rules() -> Rules:
    """The packaged extraction rules (validated once per process)."""
    return parse_extract_rules(data_text("review", "extract.yaml"))

