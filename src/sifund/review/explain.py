"""Each extracted figure explains itself to a reviewer (issue #12 item 6).

Why: a reviewer who sees "企业职工基本养老保险基金 基金支出 完成预算 97.31%" cannot tell whether the
extractor read the fund from the sentence, from a heading three paragraphs up or guessed it; when the
figure is wrong, the question is which of those decisions was wrong. The extractor records them on the
figure (``production``, ``attribution``, ``scope_at``: the figure extras of data/review/extract.yaml);
:func:`explain` turns them into one Chinese sentence (``read_as``) and the structured parts behind it:

    读作：企业职工基本养老保险基金 基金支出 的预算完成率（对年初预算数），规则 COMPLETION（…），
    基金来自第812字处的标题「（二）企业职工基本养老保险基金」，项目来自本句的词「支出」

A part the figure does not record is left out: the explanation says less, it never guesses. All the
wording is data (``data/review/explain.yaml``, validated at load); names come from the code list.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sifund.core.codes import codebook
from sifund.core.model import Figure
from sifund.core.packaged import data_text, parse_validated

EXPLAIN_FILE = "sifund/data/review/explain.yaml"
VARIANTS = ("quoted", "named", "at", "word", "plain")  # richest first: the first whose values are known wins
_NEEDS = {"quoted": {"at", "line"}, "named": {"at", "named"}, "at": {"at"}, "word": {"word"}, "plain": set()}


# ---- the wording file ----------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _only(template: str, allowed: Iterable[str]) -> str:
    """A template that uses only the placeholders ``allowed`` (a typo fails at load, not on a figure)."""
    try:
        bad = _fields(template) - set(allowed)
    except ValueError as e:  # an unclosed brace
        raise ValueError(f"模板格式错误 bad template {template!r}: {e}") from None
    if bad:
        names = "、".join(f"{{{b}}}" for b in sorted(bad))
        raise ValueError(f"模板只能用 {', '.join(sorted(allowed)) or '（无占位符）'}，不能用 {names}")
    return template


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _What(_Strict):
    default: str
    by_measure: dict[str, str] = Field(default_factory=dict)

    @field_validator("default")
    @classmethod
    def _default(cls, v: str) -> str:
        return _only(v, ("fund", "item", "measure", "basis"))

    @field_validator("by_measure")
    @classmethod
    def _measures(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = [m for m in v if m not in codebook().measures]
        if unknown:
            raise ValueError(f"未知口径代码 unknown measure {', '.join(unknown)}（见 data/codes.yaml）")
        return {m: _only(t, ("fund", "item", "measure", "basis")) for m, t in v.items()}


class _Production(_Strict):
    summary: str
    bare: str
    summary_cut: str = ""

    @field_validator("summary")
    @classmethod
    def _summary(cls, v: str) -> str:
        return _only(v, ("name", "summary"))

    @field_validator("bare")
    @classmethod
    def _bare(cls, v: str) -> str:
        return _only(v, ("name",))


class _How(_Strict):
    """The variants of one attribution value's wording (see VARIANTS)."""

    quoted: str | None = None
    named: str | None = None
    at: str | None = None
    word: str | None = None
    plain: str | None = None

    @field_validator("quoted", "named", "at", "word", "plain")
    @classmethod
    def _placeholders(cls, v: str | None, info: Any) -> str | None:
        allowed = {"word", *_NEEDS[info.field_name]}
        return None if v is None else _only(v, allowed)

    def pick(self, values: Mapping[str, str]) -> str | None:
        """The richest variant all of whose placeholders have a value, filled; None when none has."""
        for name in VARIANTS:
            t = getattr(self, name)
            if t is not None and _fields(t) <= values.keys():
                return t.format(**values)
        return None


class _Told(_Strict):
    prefix: str
    how: dict[str, _How] = Field(min_length=1)


class Wording(_Strict):
    """``data/review/explain.yaml``."""

    lead: str
    joiner: str
    what: _What
    basis: str
    production: _Production
    fund: _Told
    item: _Told
    readings: dict[str, str] = Field(default_factory=dict)
    frame_at: str
    quote_max_chars: int = Field(ge=4)
    roles: dict[str, str]
    precision: str
    exact: str
    line: str
    none_at: str
    out_of_text: str

    @field_validator("basis")
    @classmethod
    def _basis(cls, v: str) -> str:
        return _only(v, ("basis",))

    @field_validator("frame_at")
    @classmethod
    def _frame_at(cls, v: str) -> str:
        return _only(v, ("at",))

    @field_validator("precision")
    @classmethod
    def _precision(cls, v: str) -> str:
        return _only(v, ("precision", "unit", "lo", "hi"))

    @field_validator("line")
    @classmethod
    def _line(cls, v: str) -> str:
        return _only(v, ("n", "start", "end", "quote", "read_as"))

    @field_validator("none_at")
    @classmethod
    def _none_at(cls, v: str) -> str:
        return _only(v, ("at",))

    @field_validator("out_of_text")
    @classmethod
    def _out_of_text(cls, v: str) -> str:
        return _only(v, ("at", "length"))


def parse_wording(text: str, file: str = EXPLAIN_FILE) -> Wording:
    """Validate an explain.yaml text; every error names the file, the line and the key."""
    return parse_validated(Wording, text, file)[0]


@cache
def wording() -> Wording:
    """The packaged wording (parsed once per process)."""
    return parse_wording(data_text("review", "explain.yaml"))


# ---- the explanation -----------------------------------------------------------------------------


class Named(BaseModel):
    code: str
    name: str


class Told(Named):
    """A fund or item, how it was told (the attribution value) and that told in Chinese."""

    via: str | None = None  # attribution value: clause, heading, table … (None: not recorded)
    how: str | None = None  # the Chinese words for it (None: nothing recorded to say)
    word: str | None = None  # its name as the figure's quote prints it
    frame_at: int | None = None  # text offset where the scope frame the fund came from starts
    frame_line: str | None = None  # the text from there to the end of its line (needs the text)
    frame_name: str | None = None  # the fund's name as that line first prints it


class Explanation(BaseModel):
    """One figure explained: ``read_as`` the sentence, the other fields its parts."""

    model_config = ConfigDict(frozen=True)
    read_as: str
    index: int | None = None  # the figure's place in its extraction (set by explain_all)
    production: str | None = None
    production_summary: str | None = None
    fund: Told
    item: Told
    measure: Named
    basis: Named | None = None
    group: str | None = None
    role: str | None = None
    role_name: str | None = None
    value: float
    unit: str | None = None
    precision: float | None = None
    interval: tuple[float, float] | None = None  # the values that print as ``value`` at ``precision``
    precision_text: str
    start: int | None = None
    end: int | None = None
    quote: str = ""


def explain(figure: Figure, text: str | None = None) -> Explanation:
    """``figure`` explained from what it records; ``text`` (the normalised text its offsets point
    into) lets the explanation quote the scope frame its fund came from."""
    w = wording()
    extra = figure.model_extra or {}
    att = extra.get("attribution") if isinstance(extra.get("attribution"), dict) else {}
    quote = figure.source.text if figure.source is not None else ""
    fund = _fund(figure, att.get("fund"), extra.get("scope_at"), quote, text)
    item = _item(figure, att.get("item"), quote)
    measure = _named("measure", figure.measure)
    basis = _named("measure", figure.basis) if figure.basis else None
    production = extra.get("production") if isinstance(extra.get("production"), str) else None
    summary = production_summary(production) if production else None
    parts = [_what(fund, item, measure, basis), _rule(production, summary)]
    parts += [
        told.how and prefix + told.how for told, prefix in ((fund, w.fund.prefix), (item, w.item.prefix))
    ]
    role = extra.get("role") if isinstance(extra.get("role"), str) else None
    interval = _interval(figure)
    src = figure.source
    return Explanation(
        read_as=w.lead + w.joiner.join(p for p in parts if p),
        production=production,
        production_summary=summary,
        fund=fund,
        item=item,
        measure=measure,
        basis=basis,
        group=extra.get("group") if isinstance(extra.get("group"), str) else None,
        role=role,
        role_name=w.roles.get(role) if role else None,
        value=figure.value,
        unit=figure.unit,
        precision=figure.precision,
        interval=interval,
        precision_text=_precision_text(figure, interval),
        start=src.start if src is not None else None,
        end=src.end if src is not None else None,
        quote=quote,
    )


def explain_all(
    figures: Iterable[Figure], text: str | None = None, at: int | None = None
) -> list[Explanation]:
    """Every figure explained (``index`` its place in ``figures``), or those whose source span covers
    the text offset ``at``."""
    return [
        explain(f, text).model_copy(update={"index": i})
        for i, f in enumerate(figures)
        if at is None or covers(f, at)
    ]


def covers(figure: Figure, at: int) -> bool:
    """True when the figure was read from a span of the text that holds offset ``at``."""
    s = figure.source
    return s is not None and s.start <= at < max(s.end, s.start + 1)


def production_summary(name: str) -> str | None:
    """The one-sentence summary of a production: the grammar's (``sifund.review.grammar``, imported
    only when asked, and absent from older trees), else the wording file's ``readings`` (the table
    readings); None when neither knows the name."""
    try:
        from sifund.review import grammar
    except ImportError:
        grammar = None  # type: ignore[assignment]
    productions = getattr(grammar, "productions", None)
    p = productions().get(name) if productions is not None else None
    summary = getattr(p, "summary", None)
    if isinstance(summary, str) and summary:
        return summary
    return wording().readings.get(name)


# ---- the parts -----------------------------------------------------------------------------------


def _named(kind: str, code: str) -> Named:
    cb = codebook()
    table: Mapping[str, Any] = {"fund": cb.funds, "item": cb.items, "measure": cb.measures}[kind]
    entry = table.get(code)
    return Named(code=code, name=entry.name if entry is not None else code)


def _what(fund: Named, item: Named, measure: Named, basis: Named | None) -> str:
    w = wording()
    template = w.what.by_measure.get(measure.code, w.what.default)
    b = w.basis.format(basis=basis.name) if basis is not None else ""
    return template.format(fund=fund.name, item=item.name, measure=measure.name, basis=b)


def _rule(production: str | None, summary: str | None) -> str | None:
    """``规则 NAME（summary's head）``, or the bare name when the grammar has no summary for it."""
    if not production:
        return None
    p = wording().production
    if summary:
        return p.summary.format(name=production, summary=_head(summary, p.summary_cut))
    return p.bare.format(name=production)


def _fund(figure: Figure, via: Any, scope_at: Any, quote: str, text: str | None) -> Told:
    w = wording()
    base = _named("fund", figure.fund)
    via = via if isinstance(via, str) else None
    at = scope_at if isinstance(scope_at, int) and not isinstance(scope_at, bool) and scope_at >= 0 else None
    line = _line_from(text, at) if at is not None else None
    ref = _reference_word(quote) if via not in ("table", "corrected") else None
    fund = codebook().funds.get(figure.fund)
    aliases = fund.aliases if fund is not None else ()
    values: dict[str, str] = {}
    if at is not None:
        values["at"] = w.frame_at.format(at=at)
    if line:
        values["line"] = line
    named = _named_at(text, at, aliases)
    if named:
        values["named"] = named
    word = ref or _alias_in(quote, aliases)
    if word:
        values["word"] = word
    how_key = "reference" if ref else via
    spec = w.fund.how.get(how_key) if how_key else None
    how = spec.pick(values) if spec is not None else None
    return Told(
        **base.model_dump(), via=via, how=how, word=word, frame_at=at, frame_line=line, frame_name=named
    )


def _item(figure: Figure, via: Any, quote: str) -> Told:
    w = wording()
    base = _named("item", figure.item)
    via = via if isinstance(via, str) else None
    item = codebook().items.get(figure.item)
    word = _alias_in(quote, item.aliases if item is not None else ())
    spec = w.item.how.get(via) if via else None
    how = spec.pick({"word": word} if word else {}) if spec is not None else None
    return Told(**base.model_dump(), via=via, how=how, word=word)


def _alias_in(quote: str, aliases: Iterable[str]) -> str | None:
    """The longest of ``aliases`` that the quote prints (spaces in the quote ignored)."""
    flat = "".join(quote.split())
    found = [a for a in aliases if a and a in flat]
    return max(found, key=len) if found else None


def _reference_word(quote: str) -> str | None:
    """A word pointing back at a fund named before (lexicon class fund.reference) in the quote."""
    from sifund.core.lexicon import lexicon

    lex = lexicon()
    if "fund.reference" not in lex.classes:
        return None
    flat = "".join(quote.split())
    return next((wd for wd in lex.words("fund.reference") if wd in flat), None)


def _head(summary: str, cut: str) -> str:
    """The summary up to ``cut`` (the whole of it when ``cut`` is empty or absent)."""
    return summary.split(cut, 1)[0] if cut else summary


def _named_at(text: str | None, at: int | None, aliases: Iterable[str]) -> str | None:
    """The fund's name as the frame's line first prints it, from offset ``at`` (longest at a place)."""
    if not text or at is None or at >= len(text):
        return None
    end = text.find("\n", at)
    line = text[at : end if end >= 0 else len(text)]
    hits = [(line.find(a), -len(a), a) for a in aliases if a and a in line]
    return min(hits)[2] if hits else None


def _line_from(text: str | None, at: int) -> str | None:
    """The text from offset ``at`` to the end of its line, stripped, at most quote_max_chars."""
    if not text or at >= len(text):
        return None
    end = text.find("\n", at)
    line = text[at : end if end >= 0 else len(text)].strip()
    cap = wording().quote_max_chars
    return (line if len(line) <= cap else line[: cap - 1] + "…") or None


def _interval(figure: Figure) -> tuple[float, float] | None:
    p = figure.precision
    if not p:
        return None
    return (figure.value - p / 2, figure.value + p / 2)


def _decimals(p: float) -> int:
    """Decimal places a step ``p`` is printed with (0.01 → 2, 0.005 → 3, 1 → 0, 100 → 0)."""
    try:
        exp = Decimal(repr(float(p))).normalize().as_tuple().exponent
    except (InvalidOperation, ValueError):
        return 0
    return max(0, -exp) if isinstance(exp, int) else 0


def _num(v: float, places: int) -> str:
    return f"{v:.{min(places, 6)}f}"


def _precision_text(figure: Figure, interval: tuple[float, float] | None) -> str:
    w = wording()
    p = figure.precision
    if not p or interval is None:
        return w.exact
    half = _decimals(p / 2)
    return w.precision.format(
        precision=_num(p, _decimals(p)),
        unit=figure.unit or "",
        lo=_num(interval[0], half),
        hi=_num(interval[1], half),
    )
