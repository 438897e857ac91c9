"""The lexicon (data/review/lexicon.yaml) and the extraction rules that name its classes.

A word class is spelt once: extract.yaml's patterns name it as ``{class.name}``, the tokenizer and
``sign_from_words`` read it by name. These tests pin that the files are validated at load (a typo
is an error naming the file, the line and the key, not a KeyError at the first report that needs
it), that every class is used and illustrated, and that the words the issue listed as dropped
(上升, 缩减, 上年度, 执行进度, 达到/是 预算…) are now read.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.core.lexicon import alternation, lexicon, parse_lexicon
from sifund.core.numbers import sign_from_words
from sifund.review.extract import extract_text
from sifund.review.rules import PLACEHOLDER, extract_rules, parse_extract_rules

SRC = Path(__file__).resolve().parents[2] / "src" / "sifund"


def _text(name: str) -> str:
    return resources.files("sifund.data").joinpath("review", name).read_text("utf-8")


def _line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _error(parse, text: str) -> str:
    with pytest.raises(SifundError) as e:
        parse(text)
    return str(e.value)


# ---- the lexicon file -------------------------------------------------------------------------


def test_the_classes_the_issue_names_are_defined() -> None:
    """Every class of issue #12 item 1 exists with the words it listed (and a sign for directions)."""
    lex = lexicon()
    expect = {
        "time.current": {"本年", "当年", "全年", "年度"},
        "time.prior": {"上年", "去年", "上一年", "上年度", "上年同期", "上年末"},
        "compare": {"较", "比", "与"},
        "compare.after": {"相比", "对比"},
        "compare.yoy": {"同比"},
        "dir.up": {"增加", "增长", "上升", "提高", "净增", "增收"},
        "dir.down": {"减少", "下降", "降低", "缩减", "减收", "回落"},
        "ratio_verb": {"完成", "为", "是", "达到", "达", "占"},
        "rate_noun": {"完成率", "执行率", "执行进度", "预算执行进度", "完成进度"},
        "of_which": {"其中"},
        "from": {"由", "从"},
        "to": {"至", "到", "增至", "降至"},
        "target.lower": {"不少于", "不低于", "≥"},
        "target.lower.after": {"以上"},
        "target.upper": {"不超过", "不高于"},
        "target.upper.after": {"以下"},
        "scope": {"全县", "全市", "本市", "市本级", "省本级", "我区", "全区", "全州"},
        "measure.actual": {"决算数", "执行数", "累计执行数"},
        "measure.budget": {"预算数"},
        "measure.budget_adjusted": {"调整后预算数"},
        "measure.prior": {"上年同期"},
    }
    for name, words in expect.items():
        assert words <= set(lex.words(name)), name
    assert lex["dir.up"].sign == 1 and lex["dir.down"].sign == -1


def test_code_list_words_come_from_codes_yaml() -> None:
    """Funds, items and the measures' aliases (which the review used to ignore) are words of the
    lexicon, each with its code; units are those of core/numbers."""
    lex = lexicon()
    assert lex["fund"].codes["工伤保险基金"] == "work_injury"
    assert lex["item"].codes["基金支出"] == "expenditure_total"
    assert lex["measure.budget_adjusted"].codes["全年预算数"] == "budget_adjusted"  # a codes.yaml alias
    assert lex["measure.prior"].codes["上年实际"] == "prior"
    assert {"亿元", "万元", "%", "人次"} <= set(lex.words("unit"))
    assert lex.unit_synonyms == {"万名": "万人"}


def test_every_class_has_examples_holding_one_of_its_words() -> None:
    lex = lexicon()
    for name in lex.classes:
        words = lex.words(name)
        for ex in lex[name].examples:
            assert any(w in ex for w in words), f"{name}: example {ex!r} holds none of its words"


# The modules that read the lexicon by class name (the rest of the package never does).
READERS = [
    "review/tokens.py",
    "review/clauses.py",
    "review/tables.py",
    "core/lexicon.py",
    "core/numbers.py",
    "review/audit.py",
]


def test_every_class_is_used_by_a_rule_or_the_code() -> None:
    """A class nobody reads is a word list that only looks like it works: each is named by a
    placeholder of extract.yaml, quoted by name in a module that reads the lexicon, or included by
    a class that is."""
    lex = lexicon()
    patterns = "\n".join(rx.pattern for rx in extract_rules().patterns.values())
    code = "\n".join((SRC / m).read_text("utf-8") for m in READERS)
    used = {n for n in lex.classes if alternation(n) in patterns or f'"{n}"' in code}
    used |= {inc for n in list(used) for inc in lex[n].include}
    assert set(lex.classes) - used == set()


def test_alternation_is_longest_first() -> None:
    """At one place the longest word wins: "上年同期" is not read as "上年" and a stray "同期"."""
    rx = re.compile(alternation("time.prior"))
    assert rx.match("上年同期收入").group() == "上年同期"
    assert rx.match("上年度支出").group() == "上年度"
    union = lexicon().words("dir.change")  # a class made of others
    assert {"增加", "缩减", "多", "少"} <= set(union)
    assert list(union) == sorted(union, key=len, reverse=True)


@pytest.mark.parametrize(
    ("old", "new", "needle", "where"),
    [
        ("    words: [本年, 当年", "    wrods: [本年, 当年", "wrods:", "classes.time.current.wrods"),
        (
            "    include: [dir.up, dir.down",
            "    include: [dir.upp, dir.down",
            "include: [dir.upp",
            "classes.dir.change.include.0",
        ),
        ("  of_which:\n    words: [其中]\n", "  of_which:\n    words: []\n", "words: []", "classes.of_which"),
        ("    words: [由, 从]", "    words: [由, 从 来]", "words: [由, 从 来]", "classes.from.words"),
        (
            "    from: measures.prior",
            "    from: measures.priorr",
            "measures.priorr",
            "classes.measure.prior.from",
        ),
        ("    stems: [减, 降]", "    stems: [减少, 降]", "stems: [减少", "classes.dir.down.stems"),
        ("    synonyms: {万名: 万人}", "    synonyms: {万名: 万人次}", "from: units", "classes.unit"),
    ],
)
def test_a_lexicon_typo_is_an_error_naming_the_line(old: str, new: str, needle: str, where: str) -> None:
    text = _text("lexicon.yaml")
    assert text.count(old) == 1
    bad = text.replace(old, new)
    msg = _error(parse_lexicon, bad)
    assert "lexicon.yaml" in msg
    assert f"line {_line_of(bad, needle)}, {where}:" in msg, msg


def test_a_lexicon_error_points_at_the_offending_line() -> None:
    """The line named is the one to edit (not the file's first line)."""
    text = _text("lexicon.yaml")
    bad = text.replace("    words: [本年, 当年", "    wrods: [本年, 当年")
    assert f"line {_line_of(bad, 'wrods:')}, classes.time.current.wrods" in _error(parse_lexicon, bad)


# ---- extract.yaml against its schema and the lexicon ------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "where", "says"),
    [
        ('\nyoy_rate: "', '\nyoy_rat: "', "yoy_rat:", "yoy_rat", "未知的键"),
        (
            'bare_change: "^[（(]?{compare.after}?{dir.change}',
            'bare_change: "^[（(]?{compare.after}?{dir.chang}',
            "{dir.chang}",
            "bare_change",
            "dir.chang",
        ),
        ('not_yoy: "平均|', 'not_yoy: "(平均|', "not_yoy:", "not_yoy", "invalid regex"),
        ('share: "占(?P<ref>', 'share: "占(?P<rf>', 'share: "占(?P<rf>', "share", "(?P<ref>…)"),
        ('\n  budget: "预算(?!管理|绩效)"\n', '\n  budgett: "预算(?!管理|绩效)"\n',
         'budget_adjusted: "调整后', "measures", "budgett"),
        ('  table_end: "', '  table_ending: "', "table_ending:", "tables.table_ending", "未知的键"),
        (
            '    completion_rate: "{rate_noun}',
            '    completion_ratio: "{rate_noun}',
            "completion_ratio",
            "tables.columns",
            "completion_ratio",
        ),
    ],
)
def test_an_extract_rules_typo_is_an_error_naming_key_and_line(
    old: str, new: str, needle: str, where: str, says: str
) -> None:
    text = _text("extract.yaml")
    assert text.count(old) == 1, old
    bad = text.replace(old, new)
    msg = _error(parse_extract_rules, bad)
    assert "extract.yaml" in msg and says in msg, msg
    assert f"line {_line_of(bad, needle)}, {where}" in msg, msg


def test_a_missing_key_is_named() -> None:
    text = _text("extract.yaml")
    bad = re.sub(r"(?m)^initial_budget: .*\n", "", text)
    assert "initial_budget: 缺少此键 missing key" in _error(parse_extract_rules, bad)


def test_placeholders_expand_to_the_class_words() -> None:
    """A pattern's ``{class}`` is the class's alternation, so the rules read every word of it."""
    r = extract_rules()
    assert alternation("dir.change") in r.re("yoy_change").pattern
    assert PLACEHOLDER.search(r.re("yoy_change").pattern) is None
    for word in lexicon().words("dir.change"):
        assert r.re("yoy_change").search(f"较上年{word}"), word


def test_measures_are_read_by_name_in_file_order() -> None:
    """clauses.py asks for budget_adjusted by name (it was ``measures[0]``); the order is the file's."""
    r = extract_rules()
    assert list(r.measures)[:2] == ["budget_adjusted", "budget"]
    assert r.measures["budget_adjusted"].search("完成调整后预算的98%")
    assert not r.measures["budget_adjusted"].search("完成年初预算的98%")


# ---- the sign of a change ---------------------------------------------------------------------


def test_sign_from_words_reads_the_direction_classes() -> None:
    """Every word of a signed class gives its sign (core/numbers has no word list of its own)."""
    lex = lexicon()
    for name in ("dir.up", "dir.down", "dir.more", "dir.less"):
        for w in lex.words(name):
            assert sign_from_words(f"较上年{w}") == lex[name].sign, w
    assert sign_from_words("降幅为") == -1  # a stem inside a word no class lists
    assert sign_from_words("负增长") == -1  # the longer word ending at the same place wins
    assert sign_from_words("基金当期结余") == 1


# ---- what the widened classes now read --------------------------------------------------------

_HEAD = "（2021年度）\n2021年城乡居民基本养老保险基金支出3200万元，"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("较上年上升75万元，增长2.4%。", [("yoy_change", 75.0), ("yoy_rate", 2.4)]),
        ("较上年缩减80万元，缩减2.4%。", [("yoy_change", -80.0), ("yoy_rate", -2.4)]),
        ("较上年净增90万元。", [("yoy_change", 90.0)]),
        ("同比回落2.1%。", [("yoy_rate", -2.1)]),
        ("达到预算的101.2%。", [("completion_rate", 101.2)]),
        ("是预算3160万元的101.27%。", [("completion_rate", 101.27), ("budget", 3160.0)]),
        ("预算执行进度101.2%。", [("completion_rate", 101.2)]),
        ("完成当年预算3200万元的100%。", [("completion_rate", 100.0), ("budget", 3200.0)]),
        ("上年度支出3000万元。", [("prior", 3000.0)]),
        ("比上年度增加200万元。", [("yoy_change", 200.0)]),
    ],
)
def test_issue_examples_are_read(text: str, expected: list[tuple[str, float]]) -> None:
    """The issue's dropped phrasings (one new word needed 3–5 patterns changed) give their figures."""
    res = extract_text(_HEAD + text)
    figs = [(f.measure, f.value) for f in res.dataset.figures if f.item == "expenditure_total"]
    assert figs[0] == ("actual", 3200.0)
    assert figs[1:] == expected
    assert res.unresolved == []


def test_a_quoted_budget_starts_after_its_verb() -> None:
    """The budget quoted after a verb ("是预算3160万元的…") is sourced from 预算, not from the verb."""
    res = extract_text(_HEAD + "是预算3160万元的101.27%。")
    budget = next(f for f in res.dataset.figures if f.measure == "budget")
    assert budget.source is not None and budget.source.text == "预算3160万元"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("参保人数从13554人增加至14130人。", [("insured", "prior", 13554.0), ("insured", "actual", 14130.0)]),
        ("参保人数由13554人降至13000人。", [("insured", "prior", 13554.0), ("insured", "actual", 13000.0)]),
        ("待遇领取人数≥21500人。", [("beneficiaries", "target", 21500.0)]),
        ("基金收入年初预算1500万元。", [("income_total", "budget", 1500.0)]),
        ("基金支出累计执行数1400万元。", [("expenditure_total", "actual", 1400.0)]),
        ("基金收入完成1590万元。", [("income_total", "actual", 1590.0)]),
    ],
)
def test_widened_words_are_read(text: str, expected: list[tuple[str, str, float]]) -> None:
    res = extract_text("（2021年度）\n2021年城乡居民基本养老保险" + text)
    assert [(f.item, f.measure, f.value) for f in res.dataset.figures] == expected
