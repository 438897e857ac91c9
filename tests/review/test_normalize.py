"""The matching view: wraps joined, stray spaces dropped, table separators kept, offsets exact."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sifund.review.normalize import build_view, is_heading_start, line_is_tabular, typical_width, view_char


def _check_map(text: str, view: str, vmap: list[int]) -> None:
    assert len(vmap) == len(view) + 1
    assert vmap[-1] == len(text)
    for i, ch in enumerate(view):
        assert view_char(text, vmap[i]) == ch
    assert all(a < b for a, b in itertools.pairwise(vmap))


WRAPPED = (
    "2020年社会保险基金预算绩效目标按照“以支定收、收支\n\n"
    "平 衡、略有结余”的原则，包括：城乡居民基本养老保险基金、\n\n"
    "机关事业养老保险基金等社会保险基金。2020年社会保险基金\n\n"
    "预算总收入43937万元，其中:社会保险费收入29303万元，财政\n\n"
    "补贴收入14221万元。预算总支出40673万元，其中：社会保险\n\n"
    "待遇支出40511万元。由于退休人数增加，使养老金支出增加2269\n\n"
    "万元，占增长总量的94%。\n\n"
    "（二）社会保险基金支出预算绩效目标设定情况\n\n"
    "为切实贯彻《社会保险法》、《社会保险费征缴暂行条例》\n\n"
)


def test_wraps_are_joined_and_paragraphs_kept() -> None:
    view, vmap = build_view(WRAPPED)
    _check_map(WRAPPED, view, vmap)
    lines = view.split("\n")
    assert lines[0].startswith("2020年社会保险基金预算绩效目标")
    assert "收支平衡、略有结余" in lines[0]
    assert "预算总收入43937万元" in lines[0]
    assert "财政补贴收入14221万元" in lines[0]
    assert "养老金支出增加2269万元" in lines[0]
    assert lines[0].endswith("占增长总量的94%。")
    assert lines[1] == "（二）社会保险基金支出预算绩效目标设定情况"
    assert lines[2] == "为切实贯彻《社会保险法》、《社会保险费征缴暂行条例》"


def test_heading_after_unfinished_line_is_not_joined() -> None:
    text = "收入情况如下和支出情况如下和结余情况如下和其他情况如下\n一、社会保险基金收支余总体情况\n"
    text += "收入情况如下和支出情况如下和结余情况如下和其他情况如下\n（1）离退休人数\n"
    view, _ = build_view(text)
    assert view.split("\n")[1] == "一、社会保险基金收支余总体情况"
    assert view.split("\n")[3] == "（1）离退休人数"


def test_short_line_ends_paragraph() -> None:
    long = "这是一个很长的被硬换行的段落文字内容用于确定典型的行宽度"
    text = f"{long}\n{long}\n{long}\n社会保险基金\n下一段开始。\n"
    view, _ = build_view(text)
    assert view.split("\n") == [long * 3 + "社会保险基金", "下一段开始。"]


def test_spaces_removed_between_cjk_and_digits() -> None:
    text = "2019年本县各项基金总收入133590万元，较上年增加   16663万元，完成年度预算 104 %。（2020 年度）"
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    assert view == "2019年本县各项基金总收入133590万元，较上年增加16663万元，完成年度预算104%。（2020年度）"


def test_table_row_separators_kept() -> None:
    rows = [
        "按标准足额保障参保人员待遇支出 ≥99% 100%",
        "保障城乡居民养老保险退休待遇享受人数 ≥9203人 9175人",
        "按时报送各项社会保险基金季报数据及分析 每季度结束后的5日内 每季度结束后的5日内",
        "养老保险基金支出预算完成率 ≥95%或≤105% 96%",
        "≤0 0",
        "一级指标\t二级指标\t三级指标",
    ]
    text = "\n\n".join(rows) + "\n"
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    assert view.split("\n") == rows


def test_text_only_table_row_keeps_columns_but_prose_does_not() -> None:
    row = "保障各项社会保险待遇，维护社会稳定 按标准审核后足额发放 按标准审核后足额发放"
    assert line_is_tabular(row, 0, len(row))
    assert build_view(row)[0] == row
    prose = "按照以支定收 收支平衡的原则"
    assert not line_is_tabular(prose, 0, len(prose))
    assert build_view(prose)[0] == "按照以支定收收支平衡的原则"


def test_numbers_on_both_sides_of_a_break_are_not_fused() -> None:
    long = "年度资金总额年度资金总额年度资金总额年度资金总额年度资金总额40673"
    view, _ = build_view(f"{long}\n2020年完成\n")
    assert "\n2020年完成" in view


def test_heading_patterns() -> None:
    heads = ("一、总体情况", "（一）收入", "(二)支出", "1、离退休", "2. 待遇", "（3）人数",
             "附件1", "五、附表")
    for s in heads:
        assert is_heading_start(s), s
    for s in ("1.5万元", "2020年", "万元，占增长"):
        assert not is_heading_start(s), s


def test_typical_width_counts_cjk_double() -> None:
    assert typical_width("社会保险\n12345678\n") == 8.0
    assert typical_width("\n \n") == 0.0


def test_empty_and_blank_text() -> None:
    assert build_view("") == ("", [0])
    view, vmap = build_view(" \n\n\t\n")
    assert view == ""
    assert vmap == [len(" \n\n\t\n")]


PIECES = [*"社会保险基金收支万元人年", *"0123456789", "%", "≥", " ", "  ", "\t", "\n", "\n\n",
          "。", "，", "、", "一、", "（1）", "\u3000", "\r", "a"]
ALPHABET = st.sampled_from(PIECES)


@settings(max_examples=150, deadline=None)
@given(st.lists(ALPHABET, max_size=120).map("".join))
def test_view_map_is_exact(text: str) -> None:
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    # nothing but whitespace is ever dropped
    assert "".join(view.split()) == "".join(text.split())


def test_korla_view(corpus: Path) -> None:
    text = (corpus / "korla-2020.txt").read_text("utf-8")
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    for s in ("财政补贴收入14221万元", "增加2269万元", "平衡、略有结余", "预算总收入43937万元"):
        assert s in view, s
    lines = view.split("\n")
    assert "按标准足额保障参保人员待遇支出 ≥99% 100%" in lines
    assert "保障城乡居民养老保险退休待遇享受人数 ≥9203人 9175人" in lines
    assert "（二）社会保险基金支出预算绩效目标设定情况" in lines


def test_qitai_paragraphs_unchanged_but_spacing(corpus: Path) -> None:
    text = (corpus / "qitai-2019.txt").read_text("utf-8")
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    read = "".join(view_char(text, i) for i in range(len(text)))  # full-width ％ read as %
    src = ["".join(ln.split()) for ln in read.split("\n") if ln.strip()]
    assert ["".join(ln.split()) for ln in view.split("\n")] == src
    assert "较上年增加16663万元" in view


def test_wrap_inside_an_amount_is_joined_but_two_numbers_are_not() -> None:
    lines = ["基金支出执行情况良好，失业保险金支出402万元，稳岗补贴57",  # all about as wide
             "1万元，技能提升补贴86万元，当年收支结余为负数的原因是动用了",
             "结余，基金运行平稳，待遇按时足额发放，参保人数较上年40",
             "2020年起执行新的缴费政策，征缴收入有所减少，继续做好扩面工作",
             "以上。"]
    text = "\n".join(lines)
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    assert "稳岗补贴571万元" in view
    assert "较上年40\n2020年" in view


def test_empty_table_cells_keep_their_tabs() -> None:
    text = "项目\t上年\t本年\n基金收入\t\t12\n"
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    assert "基金收入\t\t12" in view.split("\n")


def test_full_width_digits_read_as_ascii_with_offsets_kept() -> None:
    text = "（２０２０年度）\n基金收入２１８４６万元，完成预算的９７．９６％。一．概况"
    view, vmap = build_view(text)
    _check_map(text, view, vmap)
    assert "（2020年度）" in view and "21846万元" in view and "97.96%" in view
    assert "一．概况" in view  # a full-width point not between digits stays as written
