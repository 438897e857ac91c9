"""The oracle of the blind answer keys: interval arithmetic on printed figures, and the key-vs-report checks.

Why: a blind set is only worth something if its keys are right. Each set lists, in its
``key_checks.py``, the printed figures every ``clean`` figure and planted finding rests on, and the
formula that relates them. This module (one copy for all sets) decides them:

- A printed figure stands for an interval: ``97.38%`` is [97.375, 97.385], ``1,234`` is [1233.5,
  1234.5], ``1.2亿元`` is [11500, 12500] 万元. A derived figure is **consistent** when its interval
  meets the exact range its inputs allow (the formulas are monotone in each input, so the range is
  spanned by the corners of the inputs' box; interval arithmetic would be wider where an input
  appears twice, as the change does in change / (actual − change)).
- ``ok(...)`` declares a clean figure, which must be consistent; ``bad(...)`` a planted finding,
  which must not be.
- The key is also checked against its report's text (see `KeyRules`): every figure a check quotes
  is printed there, every clean/finding token and indicator is printed, every fact's value is
  printed (in 万元, 亿元 or 元), clean figures are backed by a consistent check and no inconsistent one,
  every planted finding has an inconsistent check (or is a wrong five-year plan), and a wrong plan is
  named only where a finding plants it.

The report's text is the .txt file as delivered (UTF-8 with or without BOM, or GB18030) or, for a
built report, the words of the .docx its set's build.py writes (``docx_sources``), read with
python-docx: never through sifund, so the oracle stays independent of the extractor.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from reportscore import load_module
from scoring import num_token_in

D = Decimal
INF = Decimal("Infinity")

# ------------------------------------------------------------------------------------------ intervals


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] and the printed figures it was computed from (``printed``)."""

    lo: Decimal
    hi: Decimal
    printed: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    def meets(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def excludes_zero(self) -> bool:
        return self.lo > 0 or self.hi < 0

    def __add__(self, o: Num) -> Interval:
        o = iv(o)
        return Interval(self.lo + o.lo, self.hi + o.hi, self.printed + o.printed)

    def __sub__(self, o: Num) -> Interval:
        o = iv(o)
        return Interval(self.lo - o.hi, self.hi - o.lo, self.printed + o.printed)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, self.printed)

    def __mul__(self, o: Num) -> Interval:
        o = iv(o)
        c = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(c), max(c), self.printed + o.printed)

    def __truediv__(self, o: Num) -> Interval:
        o = iv(o)
        if not o.excludes_zero():
            raise ZeroDivisionError(f"division by an interval containing 0: [{o.lo}, {o.hi}]")
        return self * Interval(1 / o.hi, 1 / o.lo, o.printed)

    def __str__(self) -> str:
        return f"[{self.lo:.6g}, {self.hi:.6g}]"


Num = str | int | Interval

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，－", "0123456789.%,-")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# unit suffix → factor to the canonical unit (money 万元, people 人); longest first
_UNITS = (
    ("亿元", D(10000)),
    ("万元", D(1)),
    ("万人", D(10000)),
    ("个月", D(1)),
    ("亿", D(10000)),
    ("元", D("0.0001")),
    ("人", D(1)),
    ("%", D(1)),
    (":1", D(1)),
)
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def cn_percent(words: str) -> str:
    """百分之九十八点五 → '98.5', 百分之五 → '5', 百分之百 → '100' (the forms reports use)."""
    body = words.removeprefix("百分之")
    if body == "百":
        return "100"
    whole, _, frac = body.partition("点")
    if "十" in whole:
        tens, _, ones = whole.partition("十")
        n = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    else:
        n = _CN_DIGITS[whole]
    return str(n) + ("." + "".join(str(_CN_DIGITS[c]) for c in frac) if frac else "")


def printed(s: str | int) -> Interval:
    """The interval a figure printed as ``s`` stands for, in 万元 / 人 / percent.

    Half a unit of the last printed digit either side; thousands separators, full-width digits, a
    leading ≥, 百分之… words and the units 亿元/亿/万元/元/万人/人/%/个月/:1 are understood. An int
    is an exact count (people are counted, not rounded).
    """
    if isinstance(s, int):
        return Interval(D(s), D(s), (str(s),))
    t = s.translate(_FULLWIDTH).replace(",", "").removeprefix("≥")
    if t.startswith("百分之"):
        t = cn_percent(t) + "%"
    factor = D(1)
    for unit, f in _UNITS:
        if t.endswith(unit):
            t, factor = t[: -len(unit)], f
            break
    m = _NUMBER.fullmatch(t)
    if not m:
        raise ValueError(f"not a printed figure: {s!r}")
    v = D(t)
    half = D(1).scaleb(-len(m.group(1) or "")) / 2
    return Interval((v - half) * factor, (v + half) * factor, (s,))


def exact(value: str | int) -> Interval:
    """An exact number (12 months, 100 percent, a unit factor): no printing precision, quotes nothing."""
    d = D(str(value).replace(",", ""))
    return Interval(d, d)


def derived(s: str) -> Interval:
    """A figure the key works out that the report does not print, read at the precision written."""
    return Interval(printed(s).lo, printed(s).hi)


def iv(x: Num) -> Interval:
    """An interval as given, or the one a printed figure stands for."""
    return x if isinstance(x, Interval) else printed(x)


def scaled(x: Num, factor: str | int) -> Interval:
    """``x`` times an exact factor (亿元 → 万元: 10000; 元 → 万元: 0.0001)."""
    return iv(x) * exact(factor)


def yi(x: str) -> Interval:
    """A figure printed in 亿元 without its unit, as 万元."""
    return scaled(x, 10000)


def yuan(x: str) -> Interval:
    """A figure printed in 元 without its unit, as 万元."""
    return scaled(x, "0.0001")


def at_least(x: Num) -> Interval:
    """[x, ∞): what a target "≥x" allows; ``bad(label, actual, at_least(target))`` plants an unmet one."""
    return Interval(iv(x).lo, INF, iv(x).printed)


def threshold(x: str) -> Interval:
    """[x, ∞) with x read exactly, as a target is meant: "≥99%" is met by 99.0, not by 98.6."""
    t = printed(x)
    return Interval((t.lo + t.hi) / 2, INF, t.printed)


def span(f: Callable[..., Decimal], *args: Num) -> Interval:
    """The exact range of f over the box of its inputs, for f monotone in each input on the box."""
    boxes = [iv(a) for a in args]
    values = [f(*corner) for corner in itertools.product(*((b.lo, b.hi) for b in boxes))]
    return Interval(min(values), max(values), tuple(p for b in boxes for p in b.printed))


def _nonzero(x: Num, what: str) -> Interval:
    x = iv(x)
    if not x.excludes_zero():
        raise ZeroDivisionError(f"{what} interval contains 0: {x}")
    return x


# The formulas. Each is the exact range over its inputs' intervals (monotone in each input).
def rate(part: Num, whole: Num) -> Interval:
    """part / whole × 100: a completion rate (actual / budget) or a share."""
    _nonzero(whole, "rate base")
    return span(lambda a, b: a / b * 100, part, whole)


def growth(current: Num, prior: Num) -> Interval:
    """(current − prior) / prior × 100: 同比增长 from both years' amounts."""
    _nonzero(prior, "prior")
    return span(lambda c, p: (c - p) / p * 100, current, prior)


def decline(current: Num, prior: Num) -> Interval:
    """(prior − current) / prior × 100: a 下降 rate, as a magnitude."""
    _nonzero(prior, "prior")
    return span(lambda c, p: (p - c) / p * 100, current, prior)


def growth_from_change(change: Num, current: Num) -> Interval:
    """change / (current − change) × 100: "增加ch，增长x%" (the prior year is current − change)."""
    _nonzero(iv(current) - iv(change), "prior (current − change)")
    return span(lambda ch, c: ch / (c - ch) * 100, change, current)


def decline_from_change(change: Num, current: Num) -> Interval:
    """change / (current + change) × 100: "减少ch，下降x%" (the prior year is current + change)."""
    _nonzero(iv(current) + iv(change), "prior (current + change)")
    return span(lambda ch, c: ch / (c + ch) * 100, change, current)


def diff(a: Num, b: Num) -> Interval:
    return iv(a) - iv(b)


def total(*xs: Num) -> Interval:
    out = exact(0)
    for x in xs:
        out = out + iv(x)
    return out


def ratio(a: Num, b: Num) -> Interval:
    """a / b (抚养比, a unit conversion by a printed divisor)."""
    _nonzero(b, "divisor")
    return span(lambda x, y: x / y, a, b)


def months(balance: Num, expenditure: Num) -> Interval:
    """balance / (expenditure / 12): 可支付月数."""
    _nonzero(expenditure, "expenditure")
    return span(lambda b, e: b / (e / 12), balance, expenditure)


# ------------------------------------------------------------------------------------------ checks


@dataclass(frozen=True)
class Check:
    """One relation of a key: ``stated`` must meet ``computed`` (a clean figure) or not (planted)."""

    report: str
    label: str
    stated: Interval
    computed: Interval
    planted: bool

    @property
    def consistent(self) -> bool:
        return self.stated.meets(self.computed)

    @property
    def figures(self) -> tuple[str, ...]:
        """Every printed figure the check quotes (stated first)."""
        return self.stated.printed + self.computed.printed


Recorder = Callable[[str, Num, Interval], None]
Row = tuple[str, Num, Interval]


@dataclass(frozen=True)
class KeyRules:
    """Which key-vs-report checks a set is held to (all by default; each exception says why).

    clean_backed: "stated" — a clean token must be the stated figure of a consistent check; "quoted" —
    it may also be one of its inputs; None — not required.
    """

    figures_printed: bool = True
    clean_backed: str | None = "stated"
    clean_not_planted: bool = True
    findings_planted: bool = True
    plan_wording: bool = True


PLANS = ("十二五", "十三五", "十四五", "十五五")


def plan_of(year: int) -> str:
    """The five-year plan a report year belongs to (十三五 2016–2020, 十四五 2021–2025, …)."""
    return PLANS[(year - 2011) // 5]


class Keys:
    """The checks of one blind set, declared per report in the set's key_checks.py.

    ``@keys.report("anji-2021")`` registers a function ``(ok, bad) -> None`` that declares the
    report's checks; it runs when the checks are asked for (it may read the set's build.py).
    """

    def __init__(self, folder: Path, rules: KeyRules = KeyRules()) -> None:
        self.folder = folder
        self.rules = rules
        self._declare: dict[str, list[Callable[[Recorder, Recorder], None]]] = {}
        self.unchecked: dict[str, dict[str, str]] = {}

    def clean_without_check(self, name: str, token: str, why: str) -> None:
        """A clean figure no formula can relate (its inputs are not printed): exempt from clean_backed."""
        self.unchecked.setdefault(name, {})[token] = why

    def report(self, name: str) -> Callable[[Callable[[Recorder, Recorder], None]], Callable[..., None]]:
        def register(fn: Callable[[Recorder, Recorder], None]) -> Callable[..., None]:
            self._declare.setdefault(name, []).append(fn)
            return fn

        return register

    def table(
        self, name: str, clean: Iterable[Row] | Callable[[], Iterable[Row]], planted: Iterable[Row] = ()
    ) -> None:
        """Declare a report's checks as rows ``(label, stated, computed)`` (clean may be built lazily)."""

        @self.report(name)
        def _rows(ok: Recorder, bad: Recorder) -> None:
            for row in clean() if callable(clean) else clean:
                ok(*row)
            for row in planted:
                bad(*row)

    @property
    def reports(self) -> list[str]:
        return list(self._declare)

    def checks(self, name: str) -> list[Check]:
        out: list[Check] = []

        def recorder(planted: bool) -> Recorder:
            def record(label: str, stated: Num, computed: Interval) -> None:
                out.append(Check(name, label, iv(stated), iv(computed), planted))

            return record

        for fn in self._declare[name]:
            fn(recorder(False), recorder(True))
        return out


# ------------------------------------------------------------------------------------------ report text


def decode_report(raw: bytes) -> str:
    """A .txt report as delivered: UTF-8 (a BOM dropped) or else GB18030; CRLF read as LF."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    return text.replace("\r\n", "\n")


def docx_text(path: Path) -> str:
    """The words of a .docx in body order (a table row per line, cells TAB-joined), then headers/footers."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    for section in doc.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return "\n".join(lines) + "\n"


class Texts:
    """The text of each report of a set, the built ones read from their .docx sources (built once)."""

    def __init__(self, folder: Path, build_module: Callable[[], Any] | None) -> None:
        self.folder = folder
        self._build_module = build_module
        self._built: dict[str, Path] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __call__(self, report: str) -> str:
        path = self.folder / report
        if report.endswith(".txt"):
            return decode_report(path.read_bytes())
        if self._built is None:
            if self._build_module is None:
                raise FileNotFoundError(f"{report}: no build.py to write it from")
            self._tmp = tempfile.TemporaryDirectory(prefix="oracle-")
            self._built = self._build_module().docx_sources(Path(self._tmp.name))
        return docx_text(self._built[Path(report).stem])


# ------------------------------------------------------------------------------------------ problems

_SPACE = re.compile(r"\s")
_PRINTED_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_WORD_PERCENT = re.compile(r"百分之[零〇一二两三四五六七八九十百点]+")


def _squash(s: str) -> str:
    return _SPACE.sub("", s)


def _haystacks(text: str) -> list[str]:
    """The text as written, without whitespace, and both with full-width digits read as ASCII."""
    flat = _squash(text)
    return [text, flat, text.translate(_FULLWIDTH), flat.translate(_FULLWIDTH)]


def token_printed(token: str, text: str) -> bool:
    """A key's token occurs in the report, not inside a longer number (as score.py looks for tokens).

    Whitespace (a hard wrap) and full-width digits do not matter; a negative figure may be printed as
    its magnitude after a word (收不抵支2615.45 for -2615.45).
    """
    variants = {token, _squash(token), token.translate(_FULLWIDTH), token.removeprefix("-")}
    return any(num_token_in(v, h) for v in variants if v for h in _haystacks(text))


def figure_printed(figure: str, text: str) -> bool:
    """A figure a check quotes occurs in the report (its ≥ and sign aside, with or without separators)."""
    bare = figure.removeprefix("≥").removeprefix("-")
    if token_printed(bare, text):
        return True
    plain = bare.replace(",", "")
    if any(num_token_in(plain, h.replace(",", "")) for h in _haystacks(text)):
        return True
    try:  # printed with more decimals than the check reads it at (68500 for 68500.00)
        return D(_bare(figure)) in printed_numbers(text)
    except ArithmeticError:
        return False


def printed_numbers(text: str) -> set[Decimal]:
    """Every number printed in the text (separators dropped, full-width read, 百分之… words read)."""
    out: set[Decimal] = set()
    for flat in (text.translate(_FULLWIDTH), _squash(text).translate(_FULLWIDTH)):  # a wrap inside a number
        out |= {D(m.group().replace(",", "")) for m in _PRINTED_NUMBER.finditer(flat)}
    for m in _WORD_PERCENT.finditer(_squash(text)):
        with contextlib.suppress(KeyError):  # words that are not a percentage this reader knows
            out.add(D(cn_percent(m.group())))
    return out


def _bare(token: str) -> str:
    """A token as a plain number string: separators, ≥, sign and units dropped."""
    t = token.translate(_FULLWIDTH).replace(",", "").removeprefix("≥").removeprefix("-")
    for unit, _f in _UNITS:
        t = t.removesuffix(unit)
    return t


def _same_figure(a: str, b: str) -> bool:
    """Two tokens name the same printed figure (units, separators and sign aside)."""
    return _bare(a) == _bare(b)


def _key_files(keys: Keys) -> dict[str, Path]:
    return {p.name.removesuffix(".gold.yaml"): p for p in sorted(keys.folder.glob("*.gold.yaml"))}


def coverage_problems(keys: Keys) -> list[str]:
    """Every answer key of the folder has checks declared, and every declared report has a key."""
    keyed, checked = sorted(_key_files(keys)), sorted(keys.reports)
    return [] if keyed == checked else [f"keys {keyed} and checked reports {checked} differ"]


def report_problems(keys: Keys, name: str, texts: Callable[[str], str]) -> list[str]:
    """Everything wrong with one report's key, as readable lines; empty when the key is right."""
    path = _key_files(keys).get(name)
    if path is None:
        return [f"{name}: no answer key {name}.gold.yaml"]
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = key_problems(gold, name, keys.checks(name), texts, keys.rules, keys.unchecked.get(name, {}))
    return [f"{name}: {p}" for p in found]


def problems(keys: Keys, texts: Callable[[str], str]) -> list[str]:
    """Everything wrong with a set's keys, as readable lines; empty when every key is right."""
    return coverage_problems(keys) + [p for name in keys.reports for p in report_problems(keys, name, texts)]


def key_problems(
    gold: Mapping[str, Any],
    name: str,
    checks: list[Check],
    texts: Callable[[str], str],
    rules: KeyRules,
    unchecked: Mapping[str, str] | None = None,
) -> list[str]:
    """Everything wrong with one report's key and checks (``unchecked``: clean tokens exempt from backing)."""
    unchecked = unchecked or {}
    errs: list[str] = []
    missing = {"report", "region", "year", "facts", "findings", "clean"} - set(gold)
    if missing:
        return [f"key lacks {sorted(missing)}"]
    if Path(gold["report"]).stem != name:
        errs.append(f"key names report {gold['report']}")
    if not checks:
        errs.append("no check declared")
    text = texts(gold["report"])
    for c in checks:
        if c.consistent == c.planted:
            want = "inconsistent (planted)" if c.planted else "consistent"
            errs.append(f"{c.label}: {c.stated} vs {c.computed} should be {want}")
        if rules.figures_printed:
            errs += [
                f"{c.label}: {f!r} is not printed in the report"
                for f in c.figures
                if not figure_printed(f, text)
            ]
    planted_figures = [set(c.figures) for c in checks if c.planted]
    backed = [
        c.stated.printed if rules.clean_backed == "stated" else c.figures for c in checks if not c.planted
    ]
    for tok in gold["clean"]:
        if not token_printed(str(tok), text):
            errs.append(f"clean {tok!r} is not printed in the report")
        if (
            rules.clean_backed
            and tok not in unchecked
            and not any(_same_figure(str(tok), f) for fs in backed for f in fs)
        ):
            errs.append(f"clean {tok!r} is backed by no consistent check")
        if rules.clean_not_planted and any(_same_figure(str(tok), f) for fs in planted_figures for f in fs):
            errs.append(f"clean {tok!r} is a figure of a planted (inconsistent) check")
    plan = plan_of(int(gold["year"]))
    for fd in list(gold["findings"]) + list(gold.get("optional") or []):
        errs += [
            f"finding {fd['id']} token {t!r} is not printed in the report"
            for t in fd["tokens"]
            if not token_printed(str(t), text)
        ]
    for fd in gold["findings"]:
        wrong_plan = any(t in PLANS and t != plan for t in fd["tokens"])
        rests = any(_same_figure(str(t), f) for t in fd["tokens"] for fs in planted_figures for f in fs)
        if rules.findings_planted and not (wrong_plan or rests):
            errs.append(f"finding {fd['id']} rests on no planted (inconsistent) check")
    if rules.plan_wording:
        planted_tokens = {t for fd in gold["findings"] for t in fd["tokens"]}
        for word in set(PLANS) - {plan}:
            if (word in _squash(text)) != (word in planted_tokens):
                errs.append(f"{word} in a {gold['year']} report: named only where a finding plants it")
    numbers = printed_numbers(text)
    for fact in gold["facts"]:
        v = abs(D(str(fact["value"])))
        if not {v, v / 10000, v * 10000} & numbers:
            errs.append(f"fact {fact} has no printed number (万元, 亿元 or 元)")
    flat = _squash(text)
    for ind in gold.get("indicators") or []:
        errs += [
            f"indicator {k} {ind[k]!r} is not in the report"
            for k in ("name", "target", "actual")
            if _squash(str(ind[k])) not in flat
        ]
    return errs


def set_texts(folder: Path, set_name: str) -> Texts:
    """The report texts of a blind set (its build.py writes the .docx sources of the built ones)."""
    build = folder / "build.py"
    return Texts(folder, (lambda: load_module(f"sifund_{set_name}_build", build)) if build.exists() else None)


def checks_of(keys: Keys) -> Iterable[Check]:
    """Every check of a set, report by report."""
    for name in keys.reports:
        yield from keys.checks(name)
