"""``sifund audit`` of a report: the registry's checks on a report, with what only a text can tell.

The structural identities (completion and YoY rates, balances, payment months, fund totals, 其中
lists, restatements) are ``engine.audit``'s registered checks; with the clauses known they take
their inputs from the figure's own clause first (``group``). Registered here, needing the
extraction: shares ("占…的94%"), text targets against the 自评表, unmet indicators against claims
that all targets were met, dates, and the ambiguities the parser noted. Every finding quotes its
evidence; gaps within printed precision are never reported. Afterwards a warning that rests on a
figure whose fund or item was only inferred becomes an info (``downgrade_weak``).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sifund.core.codes import RATE_MEASURES, codebook, unit_of_kind
from sifund.core.lexicon import words
from sifund.core.model import Figure, Source
from sifund.core.numbers import format_plain
from sifund.engine import audit as engine
from sifund.engine.audit import AuditContext, audit_rules, check, severity_of
from sifund.engine.findings import Finding
from sifund.engine.intervals import Interval
from sifund.engine.targets import Target, judge, parse_target
from sifund.review.clauses import TextTarget
from sifund.review.extract import ExtractResult
from sifund.review.funds import fund_mentions, report_fund
from sifund.review.labels import label_item
from sifund.review.rules import extract_rules

# kept under their former names until tests/review/test_scaling.py (test_same_sentence_matches_
# the_text_scan) reads engine.audit.sentence_ends / same_sentence; nothing else uses them
_sentence_ends = engine.sentence_ends
_same_sentence = engine.same_sentence


def audit_report(result: ExtractResult) -> list[Finding]:
    """All findings for one extracted report, ordered by where their evidence starts."""
    ds = result.dataset
    out = [f for _c, f in engine.run_checks(AuditContext.of(ds, result))]
    if any(f.severity != "info" for f in out):  # only a warning or an error may be downgraded
        by_span = _by_span(ds.figures)
        out = [downgrade_weak(f, ds.figures, by_span) for f in out]
    return sorted(out, key=lambda f: min((e.start for e in f.evidence), default=0))


def weak(f: Figure) -> bool:
    """A figure whose fund or item was inferred rather than read (see ``attribution`` in
    data/review/extract.yaml)."""
    cfg = extract_rules().raw["attribution"]
    a = (f.__pydantic_extra__ or {}).get("attribution") or {}
    return a.get("fund") in cfg["weak_fund"] or a.get("item") in cfg["weak_item"]


def _by_span(figures: list[Figure]) -> dict[tuple[int, int], list[tuple[int, Figure]]]:
    """Figures by their source span, each with its position in ``figures``."""
    out: dict[tuple[int, int], list[tuple[int, Figure]]] = {}
    for i, f in enumerate(figures):
        if f.source is not None:
            out.setdefault((f.source.start, f.source.end), []).append((i, f))
    return out


def downgrade_weak(
    finding: Finding,
    figures: list[Figure],
    by_span: dict[tuple[int, int], list[tuple[int, Figure]]] | None = None,
) -> Finding:
    """A warning/error that rests on figures of more than one clause, one of them attributed by
    inference, becomes an info: a misattributed figure would make it a false alarm. Findings
    within one clause (a rate against its own amounts) hold whatever the fund is. ``by_span``
    (``_by_span(figures)``) saves rescanning every figure for every finding."""
    if finding.severity == "info":
        return finding
    index = by_span if by_span is not None else _by_span(figures)
    spans = {(e.start, e.end) for e in finding.evidence}
    used = [f for _i, f in sorted((x for span in spans for x in index.get(span, [])), key=lambda x: x[0])]
    if len({_group(f) for f in used}) < 2:
        return finding
    shaky = [f for f in used if weak(f)]
    if not shaky:
        return finding
    what = "、".join(dict.fromkeys(engine.printed(f) for f in shaky))
    note = extract_rules().raw["attribution"]["note"].format(what=what)
    return finding.model_copy(update={"severity": "info", "message": finding.message + note})


# ---- helpers ------------------------------------------------------------------------------


def _report(ctx: AuditContext) -> ExtractResult:
    """The extraction of a report check's context (registered with ``needs_report=True``)."""
    if ctx.report is None:
        raise TypeError("a report check was run on a dataset without its report")
    return ctx.report


def _iv(f: Figure) -> Interval:
    return Interval.printed(f.value, f.precision)


def _src(*figs: Figure | Source | None) -> list[Source]:
    """The distinct sources of ``figs`` (by span), in order, as evidence."""
    out: list[Source] = []
    seen: set[tuple[int, int]] = set()
    for f in figs:
        s = f.source if isinstance(f, Figure) else f
        if s is not None and (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            out.append(Source(start=s.start, end=s.end, text=s.text))
    return out


def _group(f: Figure) -> str | None:
    return (f.__pydantic_extra__ or {}).get("group")


_WRAP = re.compile(r"\s*\n\s*")
_SQUASHED = re.compile(r"[\s，,。；;、：:（）()]")  # what ``_squash`` drops


def _flat(text: str) -> str:
    """Quoted source text on one line (hard wraps removed)."""
    return _WRAP.sub("", text).strip()


def _range(i: Interval, nd: int = 2) -> str:
    return f"{i.lo:.{nd}f}~{i.hi:.{nd}f}"


# ---- shares -----------------------------------------------------------------------------------


@check(codes=("share_mismatch",), needs_report=True)
def check_shares(ctx: AuditContext) -> list[Finding]:
    """ "占增长总量的94%": the part over the figure named, within printed precision."""
    result = _report(ctx)
    figs = result.dataset.figures
    out: list[Finding] = []
    if not result.parsed.shares:  # most reports state none: no index of the figures to build
        return out
    before = _LatestBefore(figs)
    # actual figures by (fund, item), a value stated again kept once (its first statement): the
    # same value gives the same recomputation, so the answer does not change
    actuals: dict[tuple[str, str], dict[tuple[float, float | None], Figure]] = {}
    for f in figs:
        if f.measure == "actual" and engine.qualifier_of(f) is None:
            actuals.setdefault((f.fund, f.item), {}).setdefault((f.value, f.precision), f)
    for sh in result.parsed.shares:
        if sh.of in codebook().measures:  # the latest such figure of the same kind before the share
            ref = before.latest(sh.of, sh.fund, sh.source.start)
            refs = [ref] if ref is not None else []
        else:
            refs = list(actuals.get((sh.fund or "", sh.of), {}).values())
        stated = Interval.printed(sh.value, sh.precision)
        part = Interval.printed(sh.part, sh.part_precision)
        best: tuple[float, Interval, Figure] | None = None
        for ref in refs:
            try:
                c = part / _iv(ref) * 100.0
            except ZeroDivisionError:
                continue
            if c.meets(stated):
                best = None
                break
            if best is None or c.gap(stated) < best[0]:
                best = (c.gap(stated), c, ref)
        else:
            if best is not None:
                _, c, ref = best
                out.append(
                    Finding(
                        code="share_mismatch",
                        severity=severity_of("share_mismatch"),
                        fund=sh.fund,
                        stated=sh.value,
                        expected_range=[c.lo, c.hi],
                        message=f"占比写作{format_plain(sh.value)}%，按{format_plain(sh.part)}/{format_plain(ref.value)}×100在印刷精度内应为"
                        f"{_range(c)}%",
                        evidence=_src(sh.source, sh.part_source, ref),
                        recomputation=f"{format_plain(sh.part)}/{format_plain(ref.value)}×100",
                    )
                )
    return out


class _LatestBefore:
    """The figure of a (measure, fund) with a money item that comes last in ``figures`` among those
    whose source starts before an offset: a bisection over the starts with a running maximum of
    the list position, instead of a scan of every figure for every share."""

    def __init__(self, figures: list[Figure]) -> None:
        rows: dict[tuple[str, str], list[tuple[int, int, Figure]]] = {}
        is_money = codebook().is_money
        for i, f in enumerate(figures):  # a part by source or level is not its item's figure
            if f.source is not None and is_money(f.item) and engine.qualifier_of(f) is None:
                rows.setdefault((f.measure, f.fund), []).append((f.source.start, i, f))
        self._starts: dict[tuple[str, str], list[int]] = {}
        self._best: dict[tuple[str, str], list[tuple[int, Figure]]] = {}
        for k, v in rows.items():
            v.sort(key=lambda r: r[0])
            best: list[tuple[int, Figure]] = []
            for _s, i, f in v:  # the running maximum of the list position
                best.append((i, f) if not best or i > best[-1][0] else best[-1])
            self._starts[k], self._best[k] = [r[0] for r in v], best

    def latest(self, measure: str, fund: str | None, start: int) -> Figure | None:
        k = (measure, fund or "")
        if k not in self._starts:
            return None
        n = bisect.bisect_left(self._starts[k], start)
        return self._best[k][n - 1][1] if n else None


# ---- targets and the 自评表 ---------------------------------------------------------------------


def _squash(s: str) -> str:
    """``s`` without spaces and punctuation (the pattern compiled once: it runs for every name,
    label and reason line of an audit)."""
    return _SQUASHED.sub("", s)


def _kinds(name: str) -> set[str]:
    """The insurance kinds (lexicon class ``insurance_kind``: 养老, 医疗, 失业…) a name speaks of."""
    return {w for w in words("insurance_kind") if w in name}


# how alike (difflib ratio of the squashed names) a text target's label and a 自评表 name must be
_MIN_NAME_RATIO = 0.6


class _IndicatorNames:
    """The 自评表 names of one report, each squashed once with its insurance kinds and one
    ``SequenceMatcher`` holding it as the second sequence (difflib caches what it learns of that
    one), so matching every text target against every name costs a bound per pair, not a diff."""

    def __init__(self, result: ExtractResult) -> None:
        self._rows = [
            (ind, _kinds(ind.name), difflib.SequenceMatcher(None, "", _squash(ind.name)))
            for ind in result.dataset.indicators
        ]

    def best(self, label: str, fund: str | None):  # type: ignore[no-untyped-def]
        """The indicator a text target speaks of: the most alike name (≥ 0.6; the first of equals),
        of the same fund when both say, never one about another kind of insurance (names alike
        but for 养老/失业). A name whose upper bound of the ratio (``real_quick_ratio``, then
        ``quick_ratio``) cannot reach 0.6 or beat the best so far is not diffed: it could not win."""
        best, score = None, 0.0
        kinds, squashed = _kinds(label), _squash(label)
        for ind, other, sm in self._rows:
            if fund and ind.fund and fund != ind.fund:
                continue
            if kinds and other and not kinds & other:
                continue
            sm.set_seq1(squashed)
            floor = max(score, _MIN_NAME_RATIO)
            if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
                continue
            r = sm.ratio()
            if r > score:
                best, score = ind, r
        return best if score >= _MIN_NAME_RATIO else None


def _unit(u: str) -> str:
    return u.replace("名", "人").removeprefix("万") if u != "万元" else u


def _scale(u: str) -> float:
    """Factor to the canonical unit of a 指标值's count ("≥1.2万人" is 12000人)."""
    return 10000.0 if u.startswith("万") and u != "万元" else 1.0


@check(codes=("target_mismatch",), needs_report=True)
def check_text_targets(ctx: AuditContext) -> list[Finding]:
    """A target promised in the text that differs from the 自评表's 指标值 for the same indicator."""
    result = _report(ctx)
    out: list[Finding] = []
    names = _indicator_names(ctx) if result.parsed.targets else None
    parsed = _parsed_memo(ctx)
    for t in result.parsed.targets:
        ind = names.best(t.label, t.fund) if names is not None else None
        if ind is None:
            continue
        goal = _parsed(ind.target, parsed)
        if goal.kind != "compare" or goal.value is None or _unit(goal.unit) != _unit(t.unit):
            continue
        k = _scale(goal.unit)
        if Interval.printed(goal.value * k, goal.precision * k).meets(Interval.printed(t.value, t.precision)):
            continue
        out.append(
            Finding(
                code="target_mismatch",
                severity=severity_of("target_mismatch"),
                fund=t.fund,
                measure="target",
                stated=t.value,
                message=f"正文目标“{_flat(t.source.text)}”与自评表“{ind.name}”指标值{ind.target}不一致",
                evidence=_src(t.source, ind.source),
            )
        )
    return out


def _text_part(result: ExtractResult) -> str:
    """The view before the 自评表 (where claims and reasons are written)."""
    doc = result.document
    return doc.view[: result.parsed.table_start or len(doc.view)]


def _claims_except(result: ExtractResult) -> list[tuple[Source, str]]:
    """Sentences saying every target was met, and a 未完成原因 section that only says 无, each with
    what it leaves out: the squashed words of a 除…外 before the claim in its
    sentence ("除X外，其余绩效指标均已完成"), or of the sentence's clauses before a 其余 that opens the
    claim ("参保率…低于目标…；其余指标均已完成"), "" when it leaves out nothing."""
    r = extract_rules()
    doc = result.document
    view = _text_part(result)
    ends = r.re("sentence_end")
    heading, no_reason = r.re("claims.no_reason_heading"), r.re("claims.no_reason_text")
    out: list[tuple[Source, str]] = []
    for m in r.re("claims.all_met").finditer(view):
        start = max((e.end() for e in ends.finditer(view, max(0, m.start() - 200), m.start())),
                    default=max(0, m.start() - 200))
        ex = r.re("claims.all_met_except").search(view[start : m.start()])
        if ex is None:  # "…低0.58个百分点，…；其余指标均已完成": the sentence before 其余 is left out
            back = max(0, m.start() - 220)
            ex = r.re("claims.all_met_rest").search(view[back : m.start()])
        out.append((doc.source(m.start(), m.end()), _squash(ex.group("x")) if ex else ""))
    lines = view.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        if heading.search(line) and i + 1 < len(lines):
            nxt = lines[i + 1]
            if no_reason.match(nxt):
                start = pos + len(line) + 1
                out.append((doc.source(pos, start + len(nxt)), ""))
        pos += len(line) + 1
    return out


def _num_in(token: str, hay: str) -> bool:
    """Whether ``token`` ("95.42%") is in ``hay`` as a whole number, not inside a longer one."""
    at = hay.find(token)
    while at >= 0:
        left = hay[at - 1] if at > 0 else " "
        right = hay[at + len(token)] if at + len(token) < len(hay) else " "
        extends_right = right.isdigit() or (right in ".," and token[-1].isdigit())
        if not (left.isdigit() or left in ".,") and not extends_right:
            return True
        at = hay.find(token, at + 1)
    return False


def _left_out(name: str, excepted: str, actual: str | None = None) -> bool:
    """Whether a claim's left-out words name the indicator (its name within them, or they within
    it) or state its actual as the 自评表 prints it ("参保率95.42%，较96%的目标低…；其余指标均已完成")."""
    n = _squash(name)
    if len(excepted) < 2:
        return False
    a = _squash(actual or "")
    if len(a) >= 2 and any(ch.isdigit() for ch in a) and _num_in(a, excepted):
        return True
    return bool(n) and (n in excepted or excepted in n)


def _reasons(result: ExtractResult) -> list[str]:
    """The squashed lines of the text that give a reason (audit.yaml ``reason_given``: "…原因："
    followed by words, not a placeholder such as （请填写偏差原因））."""
    rx = re.compile(audit_rules().reason_given)
    return [_squash(line) for line in _text_part(result).split("\n") if rx.search(line)]


def _reason_given(name: str, reasons: list[str]) -> bool:
    """Whether a reason line names the indicator (by its full name, as the 自评表 prints it)."""
    n = _squash(name)
    return bool(n) and any(n in line for line in reasons)


def _indicator_names(ctx: AuditContext) -> _IndicatorNames:
    """The report's ``_IndicatorNames``, built once per audit for check_text_targets and
    check_prose_targets (its matchers only cache what they learn of the names)."""
    return ctx.once("review.indicator_names", lambda: _IndicatorNames(_report(ctx)))


def _report_claims_except(ctx: AuditContext) -> list[tuple[Source, str]]:
    """``_claims_except`` of the report, once per audit: check_unmet_claims and check_prose_targets
    both read the claims, and the scan of the text for them is the larger part of either check."""
    return ctx.once("review.claims", lambda: _claims_except(_report(ctx)))


def _report_claims(ctx: AuditContext) -> list[Source]:
    """The claims of ``_report_claims_except`` without what they leave out."""
    return [c for c, _ in _report_claims_except(ctx)]


def _report_reasons(ctx: AuditContext) -> list[str]:
    """``_reasons`` of the report, once per audit (check_unmet_claims, check_prose_targets)."""
    return ctx.once("review.reasons", lambda: _reasons(_report(ctx)))


def _parsed_memo(ctx: AuditContext) -> dict[str, Target]:
    """The audit's memo of parsed 指标值 texts (``_parsed``), shared by the checks that judge them."""
    return ctx.once("review.parsed_targets", dict)


def _parsed(text: str, memo: dict[str, Target]) -> Target:
    """``parse_target(text)``, once per distinct text of one audit (a Target is immutable)."""
    t = memo.get(text)
    if t is None:
        t = memo[text] = parse_target(text)
    return t


@check(codes=("target_not_met",), needs_report=True)
def check_unmet_claims(ctx: AuditContext) -> list[Finding]:
    """An indicator of the 自评表 not met while the text says all targets were met (a warning) or,
    without such a claim, gives no reason for it (an info); a reason the text gives for that
    indicator ("“X”偏差原因：…") leaves nothing to report."""
    result = _report(ctx)
    out: list[Finding] = []
    excepting = _report_claims_except(ctx)
    claims_all = [c for c, _ in excepting]
    reasons = None if claims_all else _report_reasons(ctx)
    parsed = _parsed_memo(ctx)  # a 自评表 repeats its 指标值 forms (≥95%, 100%, 按时足额…)
    for ind in result.dataset.indicators:
        j = judge(_parsed(ind.target, parsed), _parsed(ind.actual, parsed))
        if j.status not in ("not_met", "partly_met"):
            continue
        if reasons is not None and _reason_given(ind.name, reasons):
            continue
        # the claims that speak for this indicator: one whose 除…外 names it admits it was not met
        claims = [c for c, x in excepting if not _left_out(ind.name, x, ind.actual)]
        if claims_all and not claims:
            continue
        said = "；".join(f"“{_flat(c.text)}”" for c in claims)
        msg = f"自评表“{ind.name}”指标值{ind.target}，实际完成{ind.actual}，未完成（{j.why}）" + (
            f"；而报告称{said}" if claims else "；报告未说明原因"
        )
        severity = severity_of("target_not_met") if claims else "info"
        out.append(
            Finding(
                code="target_not_met",
                severity=severity,
                fund=ind.fund,
                message=msg,
                evidence=_src(ind.source, *claims),
            )
        )
    return out


# ---- targets stated in prose against the figures they bound ------------------------------------


@dataclass(frozen=True)
class _Bound:
    """What a prose target bounds: the funds its words name, the item and measure, the side."""

    funds: tuple[str, ...]
    item: str
    measure: str
    lower: bool  # 不低于/以上 (True) or 不超过/以内 (False)


def _side(t: TextTarget) -> bool | None:
    """True for a lower bound ("不低于95%", "95%以上"), False for an upper one ("不超过", "以内"), None
    when the words say neither or both ("左右", a bare "为95%"): then nothing is compared."""
    text = t.source.text
    at = text.find(t.label)
    after = text[at + len(t.label) :] if at >= 0 else ""
    digit = re.search(r"\d", after)
    cut = digit.start() if digit else len(after)
    before, behind = (t.label + after[:cut]).rstrip(), after[cut:]  # the label may hold "不低于" or not

    def says(side: str) -> bool:
        ahead = before.endswith(words(f"target.{side}"))
        return ahead or any(w in behind for w in words(f"target.{side}.after"))

    lower, upper = says("lower"), says("upper")
    return lower if lower != upper else None


def _measure_words(label: str) -> str:
    """A target's label without its bound and the words that may follow its measure
    ("…完成率均不低于" → "…完成率", "可支付月数目标不低于" → "可支付月数")."""
    bounds = "|".join(map(re.escape, words("target.lower") + words("target.upper")))
    t = re.sub(f"({bounds})$", "", _squash(label))
    return re.sub(audit_rules().prose_targets.label_tail, "", t, count=1)


def _count(text: str) -> int | None:
    """The number of funds a fund.count word in ``text`` says ("三项" → 3), None without one."""
    numerals = audit_rules().prose_targets.numerals
    for w in words("fund.count"):
        if w in text and w[0] in numerals:
            return numerals[w[0]]
    return None


def _of_kind(fund: str, kinds: set[str]) -> bool:
    """Whether a fund's name or one of its aliases holds one of the insurance kind words."""
    f = codebook().funds[fund]
    return any(k in n for k in kinds for n in (f.name, *f.aliases))


def _named_funds(text: str, report_funds: list[str], sole: str | None) -> tuple[str, ...]:
    """The funds a target's words name: funds by name ("工伤保险基金"), or a group by a word for
    several funds ("三项基金", "各险种") narrowed by insurance kind words ("养老保险三项基金": the
    report's pension funds) and held to its count; with no fund word at all, the ``sole`` fund of a
    report about one fund ("基金累计结余可支付月数…"). () when the words name none in a report of
    several funds, mix a name with a group, or count other than the report's funds of that kind:
    no group is guessed."""
    ms = fund_mentions(text)
    named = {m.fund for m in ms if m.fund != "all"}
    if named:
        return tuple(sorted(named)) if len(named) == len({m.start for m in ms}) else ()
    n = _count(text)
    if not ms and n is None and not any(w in text for w in audit_rules().prose_targets.all_funds):
        return (sole,) if sole is not None else ()
    kinds = _kinds(text)
    group = tuple(f for f in report_funds if not kinds or _of_kind(f, kinds))
    return group if group and (n is None or n == len(group)) else ()


def _sole_fund(result: ExtractResult, report_funds: list[str]) -> str | None:
    """The one fund of a report whose title names one fund and whose figures are all of it."""
    named = report_fund(result.document.view)
    return named if named is not None and report_funds == [named] else None


def _prose_bound(t: TextTarget, report_funds: list[str], sole: str | None = None) -> _Bound | None:
    """What a prose target bounds, when its words tell it: a completion rate of a money item
    ("…支出预算完成率不低于95%") or the actual of an item of a kind audit.yaml lists (months)."""
    lower = _side(t)
    if lower is None:
        return None
    cb = codebook()
    label = _measure_words(t.label)
    if t.unit == "%":
        m = extract_rules().re("completion_rate_label").search(label)
        item, rest = label_item(label[: m.start()]) if m else (None, "")
        if item is None or not cb.is_money(item):
            return None
        measure = "completion_rate"
    else:
        item, rest = label_item(label)
        kind = cb.items[item].kind if item is not None else None
        if kind not in audit_rules().prose_targets.actual_kinds or unit_of_kind(kind) != t.unit:
            return None
        measure = "actual"
    funds = _named_funds(rest, report_funds, sole)
    return _Bound(funds, item, measure, lower) if funds and item is not None else None


def _paragraph(text: str, at: int) -> tuple[int, int]:
    """The span of the text line (paragraph) holding offset ``at``."""
    end = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, len(text) if end < 0 else end


def _met_claims(result: ExtractResult, *offsets: int) -> list[Source]:
    """Claims that a target was met ("均达到95%以上的目标要求") in the paragraphs of ``offsets``."""
    rx = re.compile(audit_rules().prose_targets.met_claim)
    out: list[Source] = []
    for s, e in dict.fromkeys(_paragraph(result.text, at) for at in offsets):
        ms = rx.finditer(result.text, s, e)
        out += [Source(start=m.start(), end=m.end(), text=m.group()) for m in ms]
    return out


def _first_statements(figs: list[Figure]) -> list[Figure]:
    """The first statement of each distinct value, in order (a restated rate is one claim)."""
    out: dict[float, Figure] = {}
    for f in figs:
        out.setdefault(f.value, f)
    return list(out.values())


def _explained(label: str, f: Figure, reasons: list[str]) -> bool:
    """Whether a reason line of the text speaks of an unmet prose target: it names the target's
    measure ("“失业保险基金支出预算完成率”偏差原因：…") or states the figure with its fund
    ("失业保险基金支出预算执行率85.22%，…未完成预算原因：…")."""
    number = engine.bare(f)
    names = {_squash(n) for n in (codebook().funds[f.fund].name, *codebook().funds[f.fund].aliases)}
    return _reason_given(label, reasons) or any(
        number in line and any(n in line for n in names) for line in reasons
    )


def _unmet_indicator(names: _IndicatorNames | None, t: TextTarget, memo: dict[str, Target]) -> bool:
    """Whether the target is a 自评表 indicator that is not met: check_unmet_claims reports it."""
    ind = names.best(t.label, t.fund) if names is not None else None
    return ind is not None and judge(_parsed(ind.target, memo), _parsed(ind.actual, memo)).status in (
        "not_met",
        "partly_met",
    )


def _misses(f: Figure, value: float, lower: bool) -> bool:
    """Whether a stated figure lies beyond a bound whatever its printed digits hide."""
    i = engine.stated_iv(f) if f.measure in RATE_MEASURES else _iv(f)
    return i.hi < value if lower else i.lo > value


@check(codes=("target_not_met",), needs_report=True)
def check_prose_targets(ctx: AuditContext) -> list[Finding]:
    """A target stated in prose over one fund or a group of funds ("养老保险三项基金支出预算完成率不低于
    95%") against the extracted figures of the measure it bounds: a fund whose every statement of
    that figure lies beyond the bound has not met it — a warning when the text claims it was met (in
    the paragraph of the target or of the figure, or that every target was met), else an info."""
    result = _report(ctx)
    if not result.parsed.targets:
        return []
    report_funds = [f for f in ctx.dataset.funds() if f != "all"]
    sole = _sole_fund(result, report_funds)
    everything = _report_claims(ctx)
    reasons = _report_reasons(ctx)
    names = _indicator_names(ctx) if result.dataset.indicators else None
    parsed = _parsed_memo(ctx)
    out: list[Finding] = []
    seen: set[tuple[str, str, str, bool, float]] = set()
    for t in result.parsed.targets:
        b = _prose_bound(t, report_funds, sole)
        if b is None or _unmet_indicator(names, t, parsed):
            continue
        for fund in b.funds:
            figs = _first_statements(ctx.index.all((fund, b.item, b.measure)))
            key = (fund, b.item, b.measure, b.lower, t.value)
            if not figs or key in seen or not all(_misses(f, t.value, b.lower) for f in figs):
                continue
            seen.add(key)
            f = figs[0]
            claims = _met_claims(result, t.source.start, f.source.start if f.source else t.source.start)
            claims = claims or everything
            if claims or not _explained(_measure_words(t.label), f, reasons):
                out.append(_unmet_prose(t, b, f, claims))
    return out


def _unmet_prose(t: TextTarget, b: _Bound, f: Figure, claims: list[Source]) -> Finding:
    """The finding of a fund's figure beyond a prose target, quoting the target, the figure and the
    claims that it was met (a warning; without one an info)."""
    said = "；".join(f"“{_flat(c.text)}”" for c in claims)
    what = f"{engine.label(f.fund, b.item, b.measure)}为{engine.printed(f)}"
    return Finding(
        code="target_not_met",
        severity=severity_of("target_not_met") if claims else "info",
        fund=f.fund,
        item=b.item,
        measure=b.measure,
        stated=f.value,
        message=f"正文目标“{_flat(t.source.text)}”，{what}，{'低于' if b.lower else '高于'}目标"
        f"{format_plain(t.value)}{t.unit}，未完成" + (f"；而报告称{said}" if claims else "；报告未说明原因"),
        evidence=_src(t.source, f, *claims),
    )


# ---- dates -------------------------------------------------------------------------------------


@check(codes=("plan_period", "report_year", "filled_date"), needs_report=True)
def check_dates(ctx: AuditContext) -> list[Finding]:
    """Five-year plans named for the wrong year, title year vs the year written, 填报时间 too early."""
    result = _report(ctx)
    r = extract_rules()
    doc, h = result.document, result.header
    view = _text_part(result)
    out: list[Finding] = []
    seen: set[int] = set()  # plan names already judged (by offset): both patterns may match one
    claims = (m for rx in r.raw["plan_claims"] for m in re.finditer(rx, view))
    for m in sorted(claims, key=lambda m: m.start()):
        if m.start("p") in seen:
            continue
        seen.add(m.start("p"))
        lo, hi = r.plans.get(m.group("p"), (0, 9999))
        y = int(m.group("y"))
        if not lo <= y <= hi:
            out.append(
                Finding(
                    code="plan_period",
                    severity=severity_of("plan_period"),
                    message=f"{y}年不在“{m.group('p')}”规划期（{lo}—{hi}年）内",
                    evidence=[doc.source(m.start(), m.end())],
                )
            )
    if h.title_year and h.dominant_year and h.title_year != h.dominant_year:
        t = r.re("header.year_title").search(view[:800])
        ev = [doc.source(t.start(), t.end())] if t else []
        out.append(
            Finding(
                code="report_year",
                severity=severity_of("report_year"),
                message=f"标题年度为{h.title_year}年，正文所述多为{h.dominant_year}年",
                evidence=ev,
            )
        )
    if h.filled and h.year and h.filled_span and h.filled[0] <= h.year:
        s, e = h.filled_span
        out.append(
            Finding(
                code="filled_date",
                severity=severity_of("filled_date"),
                message=f"填报时间{h.filled[0]}年{h.filled[1]}月早于评价年度{h.year}年结束",
                evidence=[doc.source(s, e)],
            )
        )
    return out


# ---- ambiguities found while extracting ----------------------------------------------------------


@check(codes=("rate_subject_unclear",), needs_report=True)
def note_ambiguities(ctx: AuditContext) -> Iterator[Finding]:
    """A completion rate whose budget names another item than its sentence's subject: 所指不明."""
    for n in _report(ctx).parsed.notes:
        subj, rate_f, budget = n["subject"], n["rate"], n["budget"]
        yield Finding(
            code="rate_subject_unclear",
            severity=severity_of("rate_subject_unclear"),
            fund=rate_f.fund,
            item=rate_f.item,
            measure="completion_rate",
            stated=rate_f.value,
            message=(
                f"“{_flat(rate_f.source.text)}”紧随{engine.label(subj.fund, subj.item)}"
                f"{engine.printed(subj)}，但预算{engine.printed(budget)}与"
                f"{engine.label(rate_f.fund, rate_f.item, 'budget')}相符或完成率仅与其相符，所指不明；"
                f"按{engine.label(rate_f.fund, rate_f.item)}核对"
            ),
            evidence=_src(rate_f, subj),
        )
