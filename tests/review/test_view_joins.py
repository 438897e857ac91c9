"""Hard wraps in the matching view: a line starting with the rest of an amount continues the line
before it, and a complete heading does not swallow the next line.

These stay Python rather than phrase cases: they pin the view (review/normalize.build_view), not
figures. Moved here from test_blind_rules.py when its phrase tests became tests/review/phrases/*.yaml.
"""

from __future__ import annotations

from sifund.review.normalize import build_view

WIDE = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"  # lines of the typical width


def test_amount_at_line_start_continues_the_line() -> None:
    """A line starting 95.64% after one ending 的 is the same sentence, joined without a gap."""
    text = "\n".join(
        [WIDE] * 5 + ["全年基金支出3012.77万元，完成年初预算3150万元的", "95.64%，较上年增加217.69万元。"]
    )
    view, _ = build_view(text)
    assert "的95.64%" in view


def test_complete_heading_does_not_swallow_the_next_line() -> None:
    """A full-width heading ending like a title stays its own line, even at the typical width."""
    head = "（一）工伤保险基金预算完成及运行情况分析工伤保险情况分析"  # full width, ends like a title
    text = "\n".join([WIDE] * 5 + [head, "2021年基金收入100万元。"])
    view, _ = build_view(text)
    assert view.endswith("情况分析\n2021年基金收入100万元。")
