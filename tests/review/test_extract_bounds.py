"""Extraction stays within bounds: no non-finite or absurd number becomes a figure (nor JSON's
``Infinity``), over-long text is refused with the file named, nothing but SifundError escapes, and
the windows and indexes that keep it linear answer as the plain scans they replaced."""

from __future__ import annotations

import bisect
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.core.limits import limits
from sifund.core.model import Dataset, Figure, Source
from sifund.core.numbers import find_quantities
from sifund.engine import audit as engine
from sifund.engine.findings import audit_json
from sifund.engine.intervals import Interval
from sifund.review import audit as review_audit
from sifund.review import clauses
from sifund.review.audit import audit_report
from sifund.review.extract import extract_file, extract_text
from sifund.review.funds import fund_mentions
from sifund.review.labels import item_after
from sifund.review.lookup import IntervalIndex, sane
from sifund.review.rules import extract_rules

H = "（2020年度）\n"
F = "企业职工基本养老保险基金"

HUGE = {
    "digits_yi": F + "收入" + "9" * 400 + "亿元，支出100万元。",
    "digits_yuan": F + "收入100万元，支出" + "9" * 309 + "元。",
    "digits_percent": F + "收入100万元，增长" + "9" * 400 + "%。",
    "chinese_percent": F + "收入100万元，完成预算200万元的百分之" + "九" * 400 + "。",
    "tiny": F + "收入0." + "0" * 400 + "1万元，支出5万元。",
    "long_precision": F + "收入1." + "0" * 5000 + "万元，支出5万元。",
    "table_cells": "单位：万元\n项目\t预算数\t执行数\n" + F + "收入\t" + "9" * 400 + "\t" + "9" * 30 + "\n"
                   + F + "支出\t100\t90\n",
    "from_to": F + "参保人数由" + "9" * 400 + "人增加至" + "9" * 401 + "人，基金收入5万元。",
    "share_part": F + "支出5万元，较上年增加" + "9" * 400 + "万元，占增长总量的94%。",
    "budget": F + "支出100万元，完成全年预算" + "9" * 400 + "万元的50%。",
    "above_max": F + "收入100万元，支出" + "1" + "0" * 13 + "万元。",
}


def _finite_json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)  # raises on inf/nan


@pytest.mark.parametrize("case", sorted(HUGE))
def test_absurd_numbers_never_become_figures(case: str) -> None:
    r = extract_text(H + HUGE[case])
    cap = limits().dataset.max_abs_value
    assert all(math.isfinite(f.value) and abs(f.value) <= cap for f in r.dataset.figures)
    assert all(f.precision is None or 0 < f.precision <= cap for f in r.dataset.figures)
    _finite_json(r.dataset.to_interchange())
    _finite_json(audit_json(audit_report(r)))
    if case != "table_cells":  # a table cell too large to be a figure is skipped, as text would be
        assert any(u["reason"] == "out of range" for u in r.unresolved), r.unresolved
    assert r.dataset.figures, "the sane figures around the absurd one are still read"


def test_out_of_range_amount_keeps_its_place_in_unresolved() -> None:
    r = extract_text(H + HUGE["digits_yi"])
    [u] = [u for u in r.unresolved if u["reason"] == "out of range"]
    assert u["value"] is None  # infinity as a float: JSON has no token for it
    assert u["text"].startswith("999") and u["text"].endswith("亿元")


def test_model_error_is_a_sifund_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # should a number the model refuses slip past the range check, the user gets one SifundError
    monkeypatch.setattr(clauses, "sane_quantity", lambda q, lim=None: True)
    with pytest.raises(SifundError, match="报告内容无法构成数据集"):
        extract_text(H + F + "收入" + "9" * 400 + "亿元。")


def test_sane_bounds() -> None:
    lim = limits().dataset
    assert sane(1.0, 0.01) and sane(0.0, 1.0) and sane(-lim.max_abs_value, 1.0)
    assert not sane(math.inf, 1.0) and not sane(math.nan, 1.0) and not sane(1.0, 0.0)
    assert not sane(lim.max_abs_value * 10, 1.0) and not sane(1.0, math.inf)


# ---- the normalised text length limit ------------------------------------------------------------


def _small_text_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chars: int) -> None:
    cfg = tmp_path / "limits.yaml"
    cfg.write_text(f"text:\n  max_chars: {chars}\n", "utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", str(cfg))


def test_overlong_text_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _small_text_limit(tmp_path, monkeypatch, 1000)
    text = H + (F + "收入100万元。") * 100
    with pytest.raises(SifundError, match="报告文本过长") as e:
        extract_text(text, path="big.txt")
    assert "big.txt" in str(e.value) and "1,000" in str(e.value)
    extract_text(text[:900], path="small.txt")  # within the limit: read as usual


def test_overlong_file_is_refused_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _small_text_limit(tmp_path, monkeypatch, 1000)
    path = tmp_path / "长报告.txt"
    path.write_text(H + (F + "收入100万元。") * 100, "utf-8")
    with pytest.raises(SifundError) as e:
        extract_file(path)
    assert "长报告.txt" in str(e.value)


# ---- fuzz: report vocabulary, digits, units and punctuation ---------------------------------------

TOKENS = st.sampled_from(
    [a for a, _c in codebook().fund_aliases()][:12] + [a for a, _c in codebook().item_aliases()][:30]
    + ["其中", "：", "，", "。", "；", "、", "较上年", "增加", "减少", "增长", "下降", "完成", "全年预算",
       "调整后预算", "的", "由", "增加至", "人", "万元", "亿元", "元", "%", "人次", "个月", "以上", "不少于",
       "占增长总量的", "人均", "目标", "（含生育保险）", "（万元）：", "上年", "上述收入的年初预算为", "\n",
       "\t", " ", "一、", "（一）", "附表", "一级指标", "≥", "百分之九十八点五", "收不抵支", "-", ".", ",",
       "\x07", "\x00", "9" * 60, "百分之" + "九" * 40, "1e308"])
NUMBERS = st.one_of(st.integers(0, 10**9).map(str), st.integers(1, 400).map(lambda k: "9" * k),
                    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:.2f}"))
PIECES = st.lists(st.one_of(TOKENS, NUMBERS), max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(PIECES)
def test_vocabulary_fuzz_ends_cleanly(text: str) -> None:
    try:
        r = extract_text(H + text)
    except SifundError:
        return
    _finite_json(r.dataset.to_interchange())
    _finite_json(audit_json(audit_report(r)))


# ---- the fast paths answer as the scans they replaced --------------------------------------------

QTEXT = st.text(alphabet="0123456789.,-+ 万元亿人%，。、其中", max_size=40)


@settings(max_examples=200, deadline=None)
@given(QTEXT)
def test_quantities_before_a_number_are_a_prefix_of_the_sentences(text: str) -> None:
    # _share takes the amounts before a share from the sentence's own list, not by re-parsing
    whole = find_quantities(text)
    for m in whole:
        expected = [(p.start, p.end, p.quantity) for p in find_quantities(text[: m.start])]
        assert [(p.start, p.end, p.quantity) for p in whole if p.end <= m.start] == expected


FUND_PIECES = [a for a, _c in codebook().fund_aliases()] + ["（含生育保险）", "，", "的", "1"]
FTEXT = st.lists(st.sampled_from(FUND_PIECES), max_size=8).map("".join)


@settings(max_examples=150, deadline=None)
@given(FTEXT)
def test_fund_mentions_before_a_number_are_a_prefix_of_the_sentences(text: str) -> None:
    # the target fallback of _amount filters the sentence's mentions. (Deliberately not checked: an
    # aside with the number inside it, "（含生育保险5万元）", is an aside for the whole sentence.)
    whole = fund_mentions(text)
    for m in find_quantities(text):
        assert [x for x in whole if x.end <= m.start] == fund_mentions(text[: m.start])


AFTER_TEXT = st.text(alphabet=" \t以上及内左右人员离退休参保职工基本养老保险金abc", max_size=80)


@settings(max_examples=200, deadline=None)
@given(AFTER_TEXT)
def test_after_window_reads_as_the_whole_rest(rest: str) -> None:
    window = clauses._AFTER.match(rest, 0).group()  # type: ignore[union-attr]
    r = extract_rules()
    for key in ("target_suffix", "rate_target_suffix"):
        full, short = r.re(key).match(rest), r.re(key).match(window)
        assert (full and (full.group(), full.end())) == (short and (short.group(), short.end()))
    assert item_after(rest) == item_after(window)


IVS = st.lists(st.tuples(st.integers(-2000, 2000), st.sampled_from([0.01, 0.1, 1.0, 10.0, 1e4])), max_size=40)


@settings(max_examples=200, deadline=None)
@given(IVS, st.integers(-2000, 2000), st.sampled_from([0.01, 1.0, 100.0]))
def test_interval_index_matches_the_scan(stated: list[tuple[int, float]], q: int, qp: float) -> None:
    index: IntervalIndex[int] = IntervalIndex()
    ivs = []
    for i, (v, p) in enumerate(stated):
        iv = Interval.printed(v * p / 3, p)
        ivs.append(iv)
        index.add(iv, i, key=i)  # distinct keys: nothing deduplicated
    query = Interval.printed(q * qp / 7, qp)
    expected = [i for i, iv in enumerate(ivs) if iv.meets(query)]
    assert index.meeting(query) == expected
    assert index.any_meeting(query) == bool(expected)


def _fig(fund: str, item: str, measure: str, value: float, group: str | None, start: int) -> Figure:
    extra = {"group": group} if group is not None else {}
    return Figure(fund=fund, item=item, measure=measure, value=value, precision=1.0, unit="万元",
                  source=Source(start=start, end=start + 2, text="x"), **extra)


FIGS = st.lists(st.tuples(st.sampled_from(["all", "enterprise_pension"]), st.sampled_from(["income_total",
                                                                                         "expenditure_total"]),
                          st.sampled_from(["actual", "budget", "yoy_change"]), st.integers(0, 5),
                          st.sampled_from([None, "g1", "g2"]), st.integers(0, 50)), max_size=25)


@settings(max_examples=100, deadline=None)
@given(FIGS)
def test_group_index_matches_the_engine_index(rows: list) -> None:
    figs = [_fig(*r) for r in rows]
    ds = Dataset(region="示例县", year=2020, figures=figs)
    fast, slow = engine.GroupIndex(ds), engine.Index(ds)
    for f in figs:
        for g in (None, "g1", "g2", "g9"):
            assert fast.candidates(f.key, g) == slow.candidates(f.key, g)


@settings(max_examples=100, deadline=None)
@given(FIGS, st.integers(0, 60))
def test_latest_before_matches_the_scan(rows: list, at: int) -> None:
    figs = [_fig(*r) for r in rows]
    latest = review_audit._LatestBefore(figs)
    for measure in ("actual", "budget", "yoy_change"):
        for fund in ("all", "enterprise_pension", None):
            scan = [f for f in figs if f.measure == measure and f.fund == fund and f.source is not None
                    and f.source.start < at and codebook().is_money(f.item)][-1:]
            assert [x for x in [latest.latest(measure, fund, at)] if x is not None] == scan


def test_a_restatement_quotes_at_most_max_restated_statements() -> None:
    """200 different values of one key: every statement is compared, but the one finding quotes
    only the first MAX_RESTATED of them (each value first, in text order) — a key stated that often
    is a list the parser could not structure, and its evidence must stay readable."""
    text = H + "".join(f"{F}基金收入{1000 + 10 * i}万元。" for i in range(200))
    result = extract_text(text)
    found = [f for f in audit_report(result) if f.code == "restatement_conflict"]
    assert len(found) == 1
    key = (found[0].fund, found[0].item, found[0].measure)
    starts = sorted(f.source.start for f in result.dataset.figures if f.source is not None and f.key == key)
    assert len(starts) == 200
    assert [e.start for e in found[0].evidence] == starts[: engine.MAX_RESTATED]


def test_same_sentence_by_sentence_index() -> None:
    # check_restatements compares sentence indexes; same_sentence is the reference
    text = "ab。cd！ef。g"
    ends = engine.sentence_ends(text)
    for a0 in range(len(text)):
        for b0 in range(len(text)):
            a = _fig("all", "income_total", "actual", 1, None, a0)
            b = _fig("all", "income_total", "actual", 2, None, b0)
            assert a.source is not None and b.source is not None
            same = bisect.bisect_left(ends, a.source.end) == bisect.bisect_left(ends, b.source.start)
            assert same == engine.same_sentence(ends, a, b)


def test_lookback_is_data() -> None:
    # the bound on labels and clauses is a rule of extract.yaml, well above any label of the corpus
    assert int(extract_rules().raw["lookback_chars"]) >= 100
    assert re.fullmatch(r"\d+", str(extract_rules().raw["lookback_chars"]))
