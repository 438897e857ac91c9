"""Fuzz: extraction of random or truncated text never raises anything but SifundError."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.core.errors import SifundError
from sifund.review.extract import extract_text

SAMPLE = ("2020年度\n一、总体情况\n（一）机关事业养老保险基金\n基金收入38631万元，其中：保险费收入27196万元，"
          "较上年增加2410万元，增长6.69%，完成全年预算1308万元的121.4%。由13554人增加至14130人。"
          "占增长总量的94%。人均5073.17元/月。\n五、附表\n一级指标 二级指标 三级指标 指标值\n"
          "产出指标\n数量指标\n保障人数 ≥9203人 9175人\n")
ALPHABET = st.sampled_from(list("0123456789.,%万元亿人名次，。；：其中较上年增加减少增长下降完成预算的"
                                "基金收入支出"
                                "由至（）一二、\n 年度≥≤养老保险工伤失业"))


def _run(text: str) -> None:
    with contextlib.suppress(SifundError):
        extract_text(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_genre_text(text: str) -> None:
    _run("2020年度\n" + text)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(SAMPLE)), st.integers(0, len(SAMPLE)))
def test_truncated_report(a: int, b: int) -> None:
    _run(SAMPLE[min(a, b) : max(a, b)])


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode(text: str) -> None:
    _run(text)
