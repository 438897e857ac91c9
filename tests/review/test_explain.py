"""How a figure explains itself to a reviewer (issue #12 item 6; sifund.review.explain).

Each extracted figure records how it was read — ``production`` (the grammar rule or table reading that
made it), ``attribution`` (how its fund and item were told) and ``scope_at`` (where the scope frame its
fund came from starts). ``explain(figure, text)`` says that in one Chinese sentence, ``read_as``, and
in parts for the review page. One test per kind of reading; the figures are built here with those
extras set, so that each test shows exactly what the extractor must record for the sentence it gets.
The last tests hold the real extractor to the contract and the wording file to its schema.
"""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.core.model import Figure, Source
from sifund.review.explain import explain, explain_all, parse_wording, wording
from sifund.review.extract import extract_text

# A report as the extractor sees it (the normalised text every offset points into).
TEXT = (
    "一、基本情况\n"
    "（二）企业职工基本养老保险基金\n"
    "1、基金支出5000万元，完成全年预算4800万元的104.17%，同比增长8.2%。\n"
    "2023年，全县将稳岗返还资金纳入失业保险基金。这部分基金全年收入820万元。\n"
)
HEADING_AT = TEXT.index("（二）")


def figure(quote: str, **kw) -> Figure:
    """A figure read from ``quote`` (its first occurrence in TEXT), with the extras given."""
    start = TEXT.index(quote)
    kw.setdefault("unit", "万元")
    kw.setdefault("precision", 1.0)
    return Figure(source=Source(start=start, end=start + len(quote), text=quote), **kw)


def test_a_fund_from_a_heading_quotes_the_heading_and_its_offset():
    f = figure(
        "基金支出5000万元",
        fund="enterprise_pension", item="expenditure_total", value=5000,
        production="SUBJECT", attribution={"fund": "heading", "item": "alias"}, scope_at=HEADING_AT,
        group="g1", role="subject",
    )  # fmt: skip
    ex = explain(f, TEXT)
    assert ex.read_as.startswith("读作：企业职工基本养老保险基金 基金支出 的实际数，规则 SUBJECT")
    assert f"基金来自第{HEADING_AT}字处的标题「（二）企业职工基本养老保险基金」" in ex.read_as
    assert ex.read_as.endswith("项目来自本句的词「基金支出」")
    assert (ex.fund.via, ex.fund.frame_at, ex.fund.frame_line) == (
        "heading", HEADING_AT, "（二）企业职工基本养老保险基金",
    )  # fmt: skip
    assert (ex.role, ex.role_name, ex.group) == ("subject", "本句所述的数", "g1")


def test_without_the_text_the_heading_is_named_by_its_offset_only():
    f = figure(
        "基金支出5000万元",
        fund="enterprise_pension", item="expenditure_total", value=5000,
        attribution={"fund": "heading", "item": "alias"}, scope_at=HEADING_AT,
    )  # fmt: skip
    ex = explain(f)
    assert f"基金来自第{HEADING_AT}字处的标题，" in ex.read_as
    assert ex.fund.frame_line is None


def test_a_fund_named_in_the_clause_is_quoted_from_the_clause():
    quote = "2023年，全县将稳岗返还资金纳入失业保险基金"
    f = figure(quote, fund="unemployment", item="income_total", value=820,
               attribution={"fund": "clause", "item": "alias"})  # fmt: skip
    ex = explain(f, TEXT)
    assert "基金在本句中写明「失业保险基金」" in ex.read_as
    assert ex.fund.frame_at is None  # no scope frame: the clause names it


def test_a_fund_from_a_back_reference_names_the_word_and_the_fund_it_points_at():
    mention = TEXT.index("2023年，全县")
    f = figure(
        "这部分基金全年收入820万元",
        fund="unemployment", item="income_total", value=820,
        production="SUBJECT", attribution={"fund": "sentence", "item": "generic"}, scope_at=mention,
    )  # fmt: skip
    ex = explain(f, TEXT)
    assert f"基金来自回指词「这部分基金」，指第{mention}字起的「失业保险基金」" in ex.read_as
    assert "项目仅由本句的泛称「收入」推定" in ex.read_as  # generic: only 收入 named the item


def test_a_completion_rate_says_its_basis_and_the_interval_its_printed_digits_stand_for():
    f = figure(
        "完成全年预算4800万元的104.17%",
        fund="enterprise_pension", item="expenditure_total", measure="completion_rate", value=104.17,
        precision=0.01, unit="%", basis="budget",
        production="COMPLETION_WITH_BUDGET", attribution={"fund": "heading", "item": "alias"},
        scope_at=HEADING_AT, role="completion",
    )  # fmt: skip
    ex = explain(f, TEXT)
    assert ex.read_as.startswith("读作：企业职工基本养老保险基金 基金支出 的预算完成率（对年初预算数）")
    assert (ex.basis.code, ex.basis.name) == ("budget", "年初预算数")
    assert ex.interval == pytest.approx((104.165, 104.175))
    assert ex.precision_text == "印刷精度 0.01%，表示 104.165～104.175%"
    assert ex.role_name == "预算完成率"


def test_a_yoy_rate_reads_as_the_rate_of_the_subject_item():
    f = figure(
        "同比增长8.2%",
        fund="enterprise_pension", item="expenditure_total", measure="yoy_rate", value=8.2,
        precision=0.1, unit="%", production="YOY_RATE",
        attribution={"fund": "heading", "item": "alias"}, scope_at=HEADING_AT, role="yoy_rate",
    )  # fmt: skip
    ex = explain(f, TEXT)
    assert ex.read_as.startswith("读作：企业职工基本养老保险基金 基金支出 的同比增减率，规则 YOY_RATE")
    # the quote does not print the item: it is the subject's, named before in the sentence
    assert "项目来自本句所述的项目" in ex.read_as
    assert ex.precision_text == "印刷精度 0.1%，表示 8.15～8.25%"


def test_a_table_figure_is_told_by_its_table():
    f = Figure(
        fund="institution_pension", item="income_total", measure="budget", value=86350, precision=0.01,
        unit="万元", source=Source(start=382, end=391, text="86,350.00"),
        production="TABLE_ROW", attribution={"fund": "table", "item": "table"}, role="table_cell",
    )  # fmt: skip
    ex = explain(f)
    assert ex.read_as.startswith(
        "读作：机关事业单位基本养老保险基金 基金收入 的年初预算数，规则 TABLE_ROW（读表格按行排开的一行，"
    )  # the summary of a table reading is the wording file's (it is not a grammar production)
    assert "基金来自表格的标题、行名或列名，项目来自表格的行名或列名" in ex.read_as
    assert ex.role_name == "表格单元格"


def test_a_figure_that_records_nothing_says_only_what_it_is():
    """No production, no attribution (an older extractor, a hand-made figure): say less, never guess."""
    f = Figure(fund="all", item="income_total", value=100)
    ex = explain(f)
    assert ex.read_as == "读作：各项社会保险基金合计 基金收入 的实际数"
    assert (ex.production, ex.fund.how, ex.item.how) == (None, None, None)
    assert ex.precision_text == "未注明精度，按准确值核对"


def test_an_attribution_value_the_wording_does_not_know_is_left_out():
    f = figure("基金支出5000万元", fund="enterprise_pension", item="expenditure_total", value=5000,
               attribution={"fund": "telepathy", "item": "alias"})  # fmt: skip
    ex = explain(f, TEXT)
    assert ex.read_as == "读作：企业职工基本养老保险基金 基金支出 的实际数，项目来自本句的词「基金支出」"
    assert ex.fund.via == "telepathy" and ex.fund.how is None


def test_the_production_summary_is_the_grammars():
    grammar = pytest.importorskip("sifund.review.grammar")
    name, p = next(iter(grammar.productions().items()))
    f = Figure(fund="all", item="income_total", value=100, production=name)
    ex = explain(f)
    assert ex.production_summary == p.summary
    head = p.summary.split(wording().production.summary_cut, 1)[0]
    assert f"规则 {name}（{head}）" in ex.read_as


def test_explain_all_keeps_each_figures_place_and_can_pick_those_covering_an_offset():
    figs = [
        figure("基金支出5000万元", fund="enterprise_pension", item="expenditure_total", value=5000),
        figure("同比增长8.2%", fund="enterprise_pension", item="expenditure_total", measure="yoy_rate",
               value=8.2, unit="%"),
    ]  # fmt: skip
    at = TEXT.index("8.2%")
    picked = explain_all(figs, TEXT, at=at)
    assert [e.index for e in explain_all(figs, TEXT)] == [0, 1]
    assert [(e.index, e.quote) for e in picked] == [(1, "同比增长8.2%")]


# ---- the real extractor keeps the contract ------------------------------------------------------

REPORT = (
    "某县2023年社会保险基金预算绩效自评报告\n"
    "一、基本情况\n"
    "（一）企业职工基本养老保险基金\n"
    "1、基金收入12000万元，同比增长5.3%，完成预算101.2%。\n"
    "2、基金支出11800万元，完成全年预算11500万元的102.61%。\n"
    "（二）失业保险基金\n"
    "失业保险基金收入600万元，支出580万元。\n"
    "（三）工伤保险基金\n"
    "全县将稳岗返还资金纳入失业保险基金。这部分基金全年支出120万元。\n"
)


def test_every_extracted_figure_explains_itself_and_prose_figures_name_their_production():
    r = extract_text(REPORT)
    figs = r.dataset.figures
    assert len(figs) >= 6
    explained = explain_all(figs, r.text)
    for f, ex in zip(figs, explained, strict=True):
        assert ex.read_as.startswith("读作：" + ex.fund.name), ex.read_as
        assert (ex.fund.code, ex.value) == (f.fund, f.value)
        assert ex.fund.how and ex.item.how, ex.read_as  # every attribution value has its wording
    # strict once the grammar records productions: then every prose figure (not a table's) has one
    if any("production" in (f.model_extra or {}) for f in figs):
        prose = [f for f in figs if (f.model_extra or {}).get("attribution", {}).get("fund") != "table"]
        assert all((f.model_extra or {}).get("production") for f in prose)
        assert all(f"规则 {e.production}" in e.read_as for e in explained)
    heading = [e for e in explained if e.fund.via == "heading"]
    assert heading and all(e.fund.frame_line is None or "基金" in e.fund.frame_line for e in heading)
    referred = [e for e in explained if "这部分基金" in e.quote]
    assert [e.fund.code for e in referred] == ["unemployment"]  # the fund named before, not the heading's
    assert "基金来自回指词「这部分基金」" in referred[0].read_as


# ---- the wording file ---------------------------------------------------------------------------


def _packaged() -> str:
    from sifund.core.packaged import data_text

    return data_text("review", "explain.yaml")


def test_the_packaged_wording_parses_and_covers_every_role_and_attribution_value_of_extract_yaml():
    w = wording()
    from sifund.review.rules import extract_rules

    att = extract_rules().raw["attribution"]
    weak = set(att["weak_fund"]) | set(att["weak_item"])
    assert weak <= set(w.fund.how) | set(w.item.how)
    assert {"clause", "sentence", "paragraph", "heading", "report", "table"} <= set(w.fund.how)
    assert {"alias", "generic", "table", "of_which"} <= set(w.item.how)


def test_every_table_reading_has_a_summary():
    from sifund.review import tables

    for name in (tables.TABLE_ROW, tables.TABLE_GRID):
        assert name in wording().readings, name


def test_a_placeholder_typo_is_an_error_naming_the_file_and_the_line():
    text = _packaged().replace('frame_at: "第{at}字"', 'frame_at: "第{offset}字"')
    line = next(i for i, s in enumerate(text.splitlines(), 1) if s.startswith("frame_at:"))
    with pytest.raises(SifundError) as e:
        parse_wording(text)
    msg = str(e.value)
    assert "explain.yaml" in msg and f"line {line}" in msg and "{offset}" in msg


def test_an_unknown_key_or_measure_is_an_error_naming_the_line():
    text = _packaged().replace("    yoy_rate: ", "    yoy_ratio: ", 1)
    with pytest.raises(SifundError) as e:
        parse_wording(text)
    assert "yoy_ratio" in str(e.value) and "line " in str(e.value)
    with pytest.raises(SifundError) as e:
        parse_wording(_packaged() + "\nshout: 读作\n")
    assert "shout" in str(e.value)


# ---- the command line and the API ----------------------------------------------------------------


@pytest.fixture
def report_file(tmp_path):
    p = tmp_path / "某县自评报告.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


def test_extract_explain_adds_read_as_to_each_figure_of_the_json(report_file):
    import json

    from typer.testing import CliRunner

    from sifund.cli import app

    plain = CliRunner().invoke(app, ["extract", str(report_file)])
    r = CliRunner().invoke(app, ["extract", str(report_file), "--explain"])
    assert r.exit_code == 0, r.output
    figs = json.loads(r.stdout)["figures"]
    assert figs and all(f["read_as"].startswith("读作：") for f in figs)
    # additive: the same figures with one more key
    assert [{k: v for k, v in f.items() if k != "read_as"} for f in figs] == json.loads(plain.stdout)[
        "figures"
    ]


def test_sifund_explain_prints_one_line_per_figure_or_those_at_an_offset(report_file):
    from typer.testing import CliRunner

    from sifund import api
    from sifund.cli import app

    n = len(api.extract(report_file).dataset.figures)
    r = CliRunner().invoke(app, ["explain", str(report_file)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == n and lines[0].startswith("第1个［") and "读作：" in lines[0]
    at = api.extract(report_file).text.index("102.61%")
    r = CliRunner().invoke(app, ["explain", str(report_file), "--at", str(at)])
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 1 and "预算完成率（对" in r.stdout


def test_sifund_explain_outside_the_text_or_of_a_missing_file_is_one_line_exit_1(report_file):
    from typer.testing import CliRunner

    from sifund.cli import app

    r = CliRunner().invoke(app, ["explain", str(report_file), "--at", "100000"])
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert str(report_file) in r.stderr and "--at" in r.stderr and "超出报告文本" in r.stderr
    r = CliRunner().invoke(app, ["explain", str(report_file.with_name("无.txt"))])
    assert r.exit_code == 1 and "无.txt" in r.stderr and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["extract", str(report_file), "--explain", "--format", "table"])
    assert r.exit_code == 1 and "--explain" in r.stderr


def test_api_explain_takes_a_path_or_an_extraction(report_file):
    from sifund import api

    result = api.extract(report_file)
    by_path = [e.read_as for e in api.explain(report_file)]
    assert by_path == [e.read_as for e in api.explain(result)]
    assert len(by_path) == len(result.dataset.figures)


def _blind_texts() -> list:
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    return sorted([*tests.glob("blind*/*.txt"), *tests.glob("review/genre/*.txt")])


def _extracted(path):
    """A report as `sifund extract` reads it (its encoding detected), extracted once per test run."""
    from sifund import api

    if path not in _EXTRACTED:
        _EXTRACTED[path] = api.extract(path)
    return _EXTRACTED[path]


_EXTRACTED: dict = {}


def test_every_way_a_figure_of_the_blind_sets_was_told_has_its_wording() -> None:
    """Every fund/item attribution and every production on the blind and genre TXT reports can be
    said in Chinese (a new attribution value or production without wording fails here)."""
    w = wording()
    missing = set()
    for path in _blind_texts():
        for f in _extracted(path).dataset.figures:
            att = (f.model_extra or {}).get("attribution") or {}
            if att.get("fund") and att["fund"] not in w.fund.how:
                missing.add(f"fund:{att['fund']}")
            if att.get("item") and att["item"] not in w.item.how:
                missing.add(f"item:{att['item']}")
    assert not missing, sorted(missing)


def test_every_unresolved_reason_of_the_blind_sets_is_said_on_the_review_page() -> None:
    """The review page lists unresolved numbers with their reason in Chinese: every reason the
    extraction gives on the blind and genre TXT reports has its wording."""
    from sifund.web.views.reviews import UNRESOLVED_REASONS

    reasons = {
        u["reason"]
        for path in _blind_texts()
        for u in _extracted(path).unresolved
    }
    assert reasons, "the blind sets leave some numbers unresolved"
    assert not {r for r in reasons if r not in UNRESOLVED_REASONS and not r.startswith("unit ")}
