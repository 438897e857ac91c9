"""``sifund audit`` of a report: the dataset checks plus what only a text can be checked for.

Structural identities (completion and YoY rates, balances, payment months, fund totals) come from
``engine.audit`` and take their inputs from the figure's own clause first (``group``). Here, with
the clauses known: 其中 lists against their own total, restatements that disagree (a rate is only
compared with its restatement when both rest on the same amount), shares ("占…的94%"), text targets
against the 自评表, unmet indicators against claims that all targets were met, and dates. Every
finding quotes its evidence; gaps within printed precision are never reported.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable

from sifund.core.codes import codebook
from sifund.core.model import Figure, Source
from sifund.core.numbers import format_plain
from sifund.engine import audit as engine
from sifund.engine.findings import Finding
from sifund.engine.intervals import Interval, sum_intervals
from sifund.engine.targets import judge, parse_target
from sifund.review.extract import ExtractResult
from sifund.review.rules import rules

DERIVED = ("yoy_change", "yoy_rate", "completion_rate")
# A key stated more often than this is not one number restated but a list the parser could not
# structure: only its first statements are compared pairwise (which keeps the check linear).
MAX_RESTATED = 64
ENGINE_CHECKS = (engine.check_completion_rates, engine.check_yoy, engine.check_balances,
                 engine.check_payable_months, engine.check_fund_totals)


def audit_report(result: ExtractResult) -> list[Finding]:
    """All findings for one extracted report, ordered by where their evidence starts."""
    ds = result.dataset
    idx = _GroupIndex(ds)
    out: list[Finding] = []
    for check in ENGINE_CHECKS:
        out.extend(check(ds, idx))
    for own in (check_of_which, check_restatements, check_shares, check_text_targets,
                check_unmet_claims, check_dates, note_ambiguities):
        out.extend(own(result))
    by_span = _by_span(ds.figures)
    out = [downgrade_weak(f, ds.figures, by_span) for f in out]
    return sorted(out, key=lambda f: min((e.start for e in f.evidence), default=0))


class _GroupIndex(engine.Index):
    """``engine.Index`` with the figures of each (key, group) filed once: its ``candidates`` scanned
    every figure of the key for every derived figure, which made a report with thousands of rates
    of one item quadratic. Same answers, in the same order."""

    def __init__(self, ds) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ds)
        self._by_group: dict[tuple[engine.Key, str], list[Figure]] = {}
        self._dedup: dict[tuple[engine.Key, str | None], list[Figure]] = {}
        for f in ds.figures:
            g = engine.group_of(f)
            if g is not None:
                self._by_group.setdefault((f.key, g), []).append(f)

    def candidates(self, key: engine.Key, group: str | None) -> list[Figure]:
        same = self._by_group.get((key, group)) if group is not None else None
        cache_key = (key, group if same else None)
        hit = self._dedup.get(cache_key)
        if hit is None:
            out: dict[tuple[float, float | None], Figure] = {}
            for f in same or self.by_key.get(key, []):
                out.setdefault((f.value, f.precision), f)
            hit = self._dedup[cache_key] = list(out.values())[: engine.MAX_CANDIDATES]
        return list(hit)


def weak(f: Figure) -> bool:
    """A figure whose fund or item was inferred rather than read (see ``attribution`` in
    data/review/extract.yaml)."""
    cfg = rules().raw["attribution"]
    a = (f.model_extra or {}).get("attribution") or {}
    return a.get("fund") in cfg["weak_fund"] or a.get("item") in cfg["weak_item"]


def _by_span(figures: list[Figure]) -> dict[tuple[int, int], list[tuple[int, Figure]]]:
    """Figures by their source span, each with its position in ``figures``."""
    out: dict[tuple[int, int], list[tuple[int, Figure]]] = {}
    for i, f in enumerate(figures):
        if f.source is not None:
            out.setdefault((f.source.start, f.source.end), []).append((i, f))
    return out


def downgrade_weak(finding: Finding, figures: list[Figure],
                   by_span: dict[tuple[int, int], list[tuple[int, Figure]]] | None = None) -> Finding:
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
    note = rules().raw["attribution"]["note"].format(what=what)
    return finding.model_copy(update={"severity": "info", "message": finding.message + note})


# ---- helpers ------------------------------------------------------------------------------


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
    return (f.model_extra or {}).get("group")


def _subjects(figs: list[Figure]) -> dict[str | None, Figure]:
    """The subject amount of each clause group."""
    out: dict[str | None, Figure] = {}
    for x in figs:
        if (x.model_extra or {}).get("role") == "subject":
            out.setdefault(_group(x), x)
    return out


def _flat(text: str) -> str:
    """Quoted source text on one line (hard wraps removed)."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def _range(i: Interval, nd: int = 2) -> str:
    return f"{i.lo:.{nd}f}~{i.hi:.{nd}f}"


# ---- 其中 lists -----------------------------------------------------------------------------


def check_of_which(result: ExtractResult) -> list[Finding]:
    """Parts listed after 其中 against their own total: above it is an error, below it an info."""
    figs = result.dataset.figures
    cb = codebook()
    out: list[Finding] = []
    by_parent: dict[str, list[Figure]] = {}
    for f in figs:
        if (f.model_extra or {}).get("of_which") is not None:
            by_parent.setdefault(f.model_extra["of_which"], []).append(f)  # type: ignore[index]
    for total in figs:
        g = _group(total)
        if g is None or (total.model_extra or {}).get("role") != "subject":
            continue
        parts = by_parent.get(g, [])
        # a part whose ancestor is also listed is counted through that ancestor
        listed = {p.item for p in parts}
        parts = [p for p in parts if not any(a in listed for a in cb.ancestors(p.item))]
        if not parts:
            continue
        s = sum_intervals([_iv(p) for p in parts])
        t = _iv(total)
        if s.meets(t):
            continue
        shown = "+".join(engine.bare(p) for p in parts)
        name = engine.label(total.fund, total.item, total.measure)
        if s.lo > t.hi:
            out.append(Finding(
                code="sum_exceeds_total", severity="error", fund=total.fund, item=total.item,
                measure=total.measure, stated=total.value, expected_range=[s.lo, s.hi],
                message=f"{name}写作{engine.printed(total)}，其中所列{shown}合计{_range(s)}，超过总数",
                evidence=_src(total, *parts), recomputation=shown))
        elif len(parts) >= 2:  # one part below its total says nothing worth reading
            out.append(Finding(
                code="sum_below_total", severity="info", fund=total.fund, item=total.item,
                measure=total.measure, stated=total.value, expected_range=[s.lo, s.hi],
                message=f"{name}写作{engine.printed(total)}，其中所列{shown}合计{format_plain(s.mid)}，"
                        f"余{format_plain(t.mid - s.mid)}未列明（“其中”不必列全）",
                evidence=_src(total, *parts), recomputation=shown))
    return out


# ---- restatements ----------------------------------------------------------------------------


def _label_of(f: Figure) -> str:
    text = f.source.text if f.source else ""
    return re.sub(r"[\s\d.,%，、：:]|万元|人次|[人名年度末]", "", text)


def _sentence_ends(text: str) -> list[int]:
    """Offsets of the sentence-final marks of ``text``, ascending (for ``_same_sentence``)."""
    return [m.start() for m in re.finditer(r"[。！？!?]", text)]


def _same_sentence(ends: list[int], a: Figure, b: Figure) -> bool:
    """Two values of one key in one sentence are two bases ("按基金支出计算…按待遇支出计算"),
    not a restatement. ``ends`` is ``_sentence_ends(text)``: a bisection instead of rescanning the
    text between every pair."""
    if a.source is None or b.source is None:
        return False
    lo, hi = sorted((a.source.end, b.source.start))
    i = bisect.bisect_left(ends, lo)
    return not (i < len(ends) and ends[i] < hi)


def check_restatements(result: ExtractResult) -> list[Finding]:
    """The same (fund, item, measure) stated twice with values that differ beyond precision."""
    figs = result.dataset.figures
    cb = codebook()
    by_key: dict[tuple[str, str, str, str | None], list[Figure]] = {}
    for f in figs:
        by_key.setdefault((*f.key, f.basis), []).append(f)
    subjects = _subjects(figs)
    ends = _sentence_ends(result.text)
    out: list[Finding] = []
    for (fund, item, measure, _basis), whole in by_key.items():
        group = whole[:MAX_RESTATED]
        if len(group) < 2:
            continue
        # each figure's interval, sentence (see _same_sentence), label and subject, worked out once
        # per figure instead of once per pair
        ivs = [_iv(a) for a in group]
        sent_at = [(bisect.bisect_left(ends, a.source.end), bisect.bisect_left(ends, a.source.start))
                   if a.source is not None else None for a in group]
        labels = [_label_of(a) for a in group] if cb.items[item].kind != "money" else None
        subj = None
        if measure in DERIVED:
            subj = [subjects.get(_group(a)) for a in group]
            subj_iv = [_iv(x) if x is not None else None for x in subj]
        pairs = []
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                sa, sb = sent_at[i], sent_at[j]
                if ivs[i].meets(ivs[j]) or (sa is not None and sb is not None and sa[0] == sb[1]):
                    continue  # one value, or two bases in one sentence
                if subj is not None:
                    ia, ib = subj_iv[i], subj_iv[j]
                    if ia is None or ib is None or not ia.meets(ib):
                        continue  # different amounts: the amounts' own restatement says it
                if labels is not None and labels[i] != labels[j]:
                    continue  # counts of different populations under one code
                pairs.append((group[i], group[j]))
        if not pairs:
            continue
        a = pairs[0][0]
        clash = list({id(x): x for p in pairs for x in p}.values())
        values = "与".join(dict.fromkeys(engine.printed(x) for x in clash))
        out.append(Finding(
            code="restatement_conflict", severity="warning", fund=fund, item=item, measure=measure,
            stated=a.value,
            message=f"{engine.label(fund, item, measure)}前后写作{values}，同一数字前后不一致",
            evidence=_src(*clash)))
    return out


# ---- shares -----------------------------------------------------------------------------------


def check_shares(result: ExtractResult) -> list[Finding]:
    """"占增长总量的94%": the part over the figure named, within printed precision."""
    figs = result.dataset.figures
    out: list[Finding] = []
    before = _LatestBefore(figs)
    # actual figures by (fund, item), a value stated again kept once (its first statement): the
    # same value gives the same recomputation, so the answer does not change
    actuals: dict[tuple[str, str], dict[tuple[float, float | None], Figure]] = {}
    for f in figs:
        if f.measure == "actual":
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
                out.append(Finding(
                    code="share_mismatch", severity="warning", fund=sh.fund, stated=sh.value,
                    expected_range=[c.lo, c.hi],
                    message=f"占比写作{format_plain(sh.value)}%，按{format_plain(sh.part)}/{format_plain(ref.value)}×100在印刷精度内应为"
                            f"{_range(c)}%",
                    evidence=_src(sh.source, sh.part_source, ref),
                    recomputation=f"{format_plain(sh.part)}/{format_plain(ref.value)}×100"))
    return out


class _LatestBefore:
    """The figure of a (measure, fund) with a money item that comes last in ``figures`` among those
    whose source starts before an offset: a bisection over the starts with a running maximum of
    the list position, instead of a scan of every figure for every share."""

    def __init__(self, figures: list[Figure]) -> None:
        rows: dict[tuple[str, str], list[tuple[int, int, Figure]]] = {}
        for i, f in enumerate(figures):
            if f.source is not None and codebook().is_money(f.item):
                rows.setdefault((f.measure, f.fund), []).append((f.source.start, i, f))
        self._starts: dict[tuple[str, str], list[int]] = {}
        self._best: dict[tuple[str, str], list[tuple[int, Figure]]] = {}
        for k, v in rows.items():
            v.sort(key=lambda r: r[0])
            best: list[tuple[int, Figure]] = []
            for _s, i, f in v:
                best.append(max(best[-1], (i, f), key=lambda b: b[0]) if best else (i, f))
            self._starts[k], self._best[k] = [r[0] for r in v], best

    def latest(self, measure: str, fund: str | None, start: int) -> Figure | None:
        k = (measure, fund or "")
        if k not in self._starts:
            return None
        n = bisect.bisect_left(self._starts[k], start)
        return self._best[k][n - 1][1] if n else None


# ---- targets and the 自评表 ---------------------------------------------------------------------


def _squash(s: str) -> str:
    return re.sub(r"[\s，,。；;、：:（）()]", "", s)


def _best_indicator(label: str, fund: str | None, result: ExtractResult):  # type: ignore[no-untyped-def]
    best, score = None, 0.0
    for ind in result.dataset.indicators:
        if fund and ind.fund and fund != ind.fund:
            continue
        r = difflib.SequenceMatcher(None, _squash(label), _squash(ind.name)).ratio()
        if r > score:
            best, score = ind, r
    return best if score >= 0.6 else None


def _unit(u: str) -> str:
    return u.replace("名", "人").removeprefix("万") if u != "万元" else u


def _scale(u: str) -> float:
    """Factor to the canonical unit of a 指标值's count ("≥1.2万人" is 12000人)."""
    return 10000.0 if u.startswith("万") and u != "万元" else 1.0


def check_text_targets(result: ExtractResult) -> list[Finding]:
    """A target promised in the text that differs from the 自评表's 指标值 for the same indicator."""
    out: list[Finding] = []
    for t in result.parsed.targets:
        ind = _best_indicator(t.label, t.fund, result)
        if ind is None:
            continue
        goal = parse_target(ind.target)
        if goal.kind != "compare" or goal.value is None or _unit(goal.unit) != _unit(t.unit):
            continue
        k = _scale(goal.unit)
        if Interval.printed(goal.value * k, goal.precision * k).meets(Interval.printed(t.value, t.precision)):
            continue
        out.append(Finding(
            code="target_mismatch", severity="warning", fund=t.fund, measure="target", stated=t.value,
            message=f"正文目标“{_flat(t.source.text)}”与自评表“{ind.name}”指标值{ind.target}不一致",
            evidence=_src(t.source, ind.source)))
    return out


def _claims(result: ExtractResult) -> list[Source]:
    """Sentences saying every target was met, and a 未完成原因 section that only says 无."""
    r = rules()
    doc = result.document
    view = doc.view[: result.parsed.table_start or len(doc.view)]
    out = [doc.source(m.start(), m.end()) for m in r.re("claims.all_met").finditer(view)]
    lines = view.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        if r.re("claims.no_reason_heading").search(line) and i + 1 < len(lines):
            nxt = lines[i + 1]
            if r.re("claims.no_reason_text").match(nxt):
                start = pos + len(line) + 1
                out.append(doc.source(pos, start + len(nxt)))
        pos += len(line) + 1
    return out


def check_unmet_claims(result: ExtractResult) -> list[Finding]:
    """An indicator of the 自评表 not met while the text says all targets were met or gives no reason."""
    out: list[Finding] = []
    claims = _claims(result)
    said = "；".join(f"“{_flat(c.text)}”" for c in claims)
    for ind in result.dataset.indicators:
        j = judge(parse_target(ind.target), parse_target(ind.actual))
        if j.status not in ("not_met", "partly_met"):
            continue
        msg = (f"自评表“{ind.name}”指标值{ind.target}，实际完成{ind.actual}，未完成（{j.why}）"
               + (f"；而报告称{said}" if claims else "；报告未说明原因"))
        out.append(Finding(code="target_not_met", severity="warning" if claims else "info", fund=ind.fund,
                           message=msg, evidence=_src(ind.source, *claims)))
    return out


# ---- dates -------------------------------------------------------------------------------------


def check_dates(result: ExtractResult) -> list[Finding]:
    """Five-year plans named for the wrong year, title year vs the year written, 填报时间 too early."""
    r = rules()
    doc, h = result.document, result.header
    view = doc.view[: result.parsed.table_start or len(doc.view)]
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
            out.append(Finding(code="plan_period", severity="warning",
                               message=f"{y}年不在“{m.group('p')}”规划期（{lo}—{hi}年）内",
                               evidence=[doc.source(m.start(), m.end())]))
    if h.title_year and h.dominant_year and h.title_year != h.dominant_year:
        t = r.re("header.year_title").search(view[:800])
        ev = [doc.source(t.start(), t.end())] if t else []
        out.append(Finding(code="report_year", severity="warning",
                           message=f"标题年度为{h.title_year}年，正文所述多为{h.dominant_year}年",
                           evidence=ev))
    if h.filled and h.year and h.filled_span and h.filled[0] <= h.year:
        s, e = h.filled_span
        out.append(Finding(code="filled_date", severity="warning",
                           message=f"填报时间{h.filled[0]}年{h.filled[1]}月早于评价年度{h.year}年结束",
                           evidence=[doc.source(s, e)]))
    return out


# ---- ambiguities found while extracting ----------------------------------------------------------


def note_ambiguities(result: ExtractResult) -> Iterable[Finding]:
    """A completion rate whose budget names another item than its sentence's subject: 所指不明."""
    for n in result.parsed.notes:
        subj, rate_f, budget = n["subject"], n["rate"], n["budget"]
        yield Finding(
            code="rate_subject_unclear", severity="info", fund=rate_f.fund, item=rate_f.item,
            measure="completion_rate", stated=rate_f.value,
            message=(f"“{_flat(rate_f.source.text)}”紧随{engine.label(subj.fund, subj.item)}"
                     f"{engine.printed(subj)}，但预算{engine.printed(budget)}与"
                     f"{engine.label(rate_f.fund, rate_f.item, 'budget')}相符或完成率仅与其相符，所指不明；"
                     f"按{engine.label(rate_f.fund, rate_f.item)}核对"),
            evidence=_src(rate_f, subj))
