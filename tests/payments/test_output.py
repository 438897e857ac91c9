"""The 疑点清单 outputs: the terminal table and the workbook, from a result built by hand (no engine).

The workbook is read back with openpyxl, the way a 经办机构 opens it: the sheets a verifier works
through, their Chinese headers, ID numbers that stay text, amounts that stay numbers, and the
核查状态 drop-down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from sifund.payments import output
from sifund.payments.model import AuditResult, Hit, RowRef, RuleSummary, Summary
from sifund.payments.output import (
    Check,
    format_table,
    period_text,
    rows_text,
    sheet_title,
    text_width,
    write_xlsx,
)

DEAD = "11010519491231002X"
DEAD2 = "110105194912310037"
TWIN = "320102197001010014"
TWIN15 = "320102700101001"
BIG = "440305198506150021"


def _hit(
    rule: str,
    risk: str,
    pid: str,
    name: str,
    periods: list[str],
    amount: float,
    reason: str,
    rows: list[tuple[str, int]],
    other_ids: list[str] | None = None,
) -> Hit:
    return Hit(
        rule=rule,
        risk=risk,
        person_id=pid,
        name=name,
        periods=periods,
        amount=amount,
        reason=reason,
        rows=[RowRef(table=t, row=r) for t, r in rows],
        other_ids=other_ids,
    )


def result() -> AuditResult:
    """Five enabled rules in catalogue order (one skipped, one without hits) and four hits."""
    by_rule = {
        "paid_after_death": RuleSummary(
            people=2, rows=5, amount=7500.5, name="死亡后继续发放", category="待遇资格", risk="high"
        ),
        "duplicate_payment": RuleSummary(name="重复领取", category="重复支付", risk="high"),
        "unemployment_while_contributing": RuleSummary(
            name="领取失业金期间就业", category="待遇资格", risk="medium", skipped="缺少 contributions 表"
        ),
        "same_person_two_ids": RuleSummary(
            people=1, rows=2, amount=1800.0, name="一人多号", category="身份", risk="medium"
        ),
        "amount_outlier": RuleSummary(
            people=1, rows=1, amount=45000.0, name="金额异常", category="金额", risk="low"
        ),
    }
    hits = [
        _hit(
            "paid_after_death",
            "high",
            DEAD,
            "张三",
            ["2024-05", "2024-06"],
            3000.0,
            "张三死亡（2024-04-17）后仍发放2个月",
            [("payments", 12), ("payments", 40), ("deaths", 3)],
        ),
        _hit(
            "paid_after_death",
            "high",
            DEAD2,
            "欧阳修文",
            ["2024-03", "2024-04", "2024-05", "2024-09"],
            4500.5,
            "欧阳修文死亡后仍发放4个月",
            [("payments", 7), ("deaths", 1)],
        ),
        _hit(
            "same_person_two_ids",
            "medium",
            TWIN,
            "李四",
            ["2024-01"],
            1800.0,
            "15位与18位号码一致",
            [("payments", 5), ("payments", 6)],
            other_ids=[TWIN15],
        ),
        _hit(
            "amount_outlier",
            "low",
            BIG,
            "王五",
            ["2024-02"],
            45000.0,
            "=金额为中位数的12倍",
            [("payments", 99)],
        ),
    ]
    summary = Summary(payments=1234, people=100, periods=["2024-01", "2024-12"], by_rule=by_rule)
    return AuditResult(summary=summary, hits=hits)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "疑点清单.xlsx"
    assert write_xlsx(result(), path) == path
    return path


def _rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


# --------------------------------------------------------------------------- the workbook


def test_one_sheet_per_rule_with_hits_after_the_summary_in_risk_then_catalogue_order(book: Path) -> None:
    wb = load_workbook(book)
    assert wb.sheetnames == ["汇总", "死亡后继续发放", "一人多号", "金额异常"]


def test_summary_lists_every_enabled_rule_with_totals(book: Path) -> None:
    ws = load_workbook(book)["汇总"]
    rows = _rows(ws)
    assert rows[0] == [
        "规则代码",
        "规则名称",
        "类别",
        "风险等级",
        "疑点人数",
        "涉及记录数",
        "涉及金额（元）",
        "说明",
    ]
    assert rows[1] == ["paid_after_death", "死亡后继续发放", "待遇资格", "高", 2, 5, 7500.5, None]
    assert rows[2][:7] == ["duplicate_payment", "重复领取", "重复支付", "高", 0, 0, 0]
    assert rows[3][3] == "中" and rows[3][7] == "未执行：缺少 contributions 表"
    assert rows[5][3] == "低"
    assert rows[6][:7] == ["合计", None, None, None, 4, 8, 54300.5]
    assert rows[7][0].startswith("注：")
    assert ws["G2"].number_format == "#,##0.00" and ws["G7"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.b
    assert ws["B2"].font.name == "宋体"


def test_rule_sheet_has_the_facts_then_the_verification_columns(book: Path) -> None:
    ws = load_workbook(book)["死亡后继续发放"]
    rows = _rows(ws)
    assert rows[0] == [
        "序号",
        "身份证号",
        "姓名",
        "期间",
        "涉及金额（元）",
        "疑点说明",
        "依据记录",
        "核查状态",
        "核查说明",
        "追回金额（元）",
    ]
    assert rows[1] == [
        1,
        DEAD,
        "张三",
        "2024-05至2024-06",
        3000,
        "张三死亡（2024-04-17）后仍发放2个月",
        "payments 第12、40条；deaths 第3条",
        "待核查",
        None,
        None,
    ]
    assert rows[2][3] == "2024-03至2024-05、2024-09" and rows[2][4] == 4500.5
    assert len(rows) == 3
    assert ws.freeze_panes == "A2"
    assert ws["C2"].font.name == "宋体" and ws["I2"].font.name == "宋体"  # plain and empty cells alike
    assert ws.column_dimensions["B"].width >= 20  # an 18-character ID is not cut off


def test_ids_are_text_and_amounts_are_numbers(book: Path) -> None:
    ws = load_workbook(book)["死亡后继续发放"]
    for row in (2, 3):
        assert ws[f"B{row}"].data_type == "s" and ws[f"B{row}"].number_format == "@"
        assert isinstance(ws[f"E{row}"].value, float | int) and ws[f"E{row}"].number_format == "#,##0.00"
        assert ws[f"J{row}"].number_format == "#,##0.00"  # 追回金额, to be filled in
    assert ws["B3"].value == DEAD2  # all 18 digits, not 1.10105E+17


def test_status_is_a_drop_down_list_over_every_hit_row(book: Path) -> None:
    ws = load_workbook(book)["死亡后继续发放"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"待核查,核查中,确认违规,已排除"'
    assert str(lists[0].sqref) == "H2:H3"
    recovered = [dv for dv in ws.data_validations.dataValidation if dv.type == "decimal"]
    assert str(recovered[0].sqref) == "J2:J3" and recovered[0].formula1 == "0"


def test_linkage_sheet_names_the_other_ids(book: Path) -> None:
    ws = load_workbook(book)["一人多号"]
    rows = _rows(ws)
    assert rows[0][7] == "其他身份证号" and rows[0][8:] == ["核查状态", "核查说明", "追回金额（元）"]
    assert rows[1][1] == TWIN and rows[1][7] == TWIN15
    assert ws["H2"].data_type == "s"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert str(lists[0].sqref) == "I2"


def test_text_from_the_data_never_becomes_a_formula(book: Path) -> None:
    ws = load_workbook(book)["金额异常"]
    assert ws["F2"].value == "=金额为中位数的12倍" and ws["F2"].data_type == "s"


def test_a_rule_with_more_hits_than_a_sheet_holds_goes_on_in_numbered_sheets(tmp_path: Path) -> None:
    r = result()
    many = [
        _hit(
            "paid_after_death",
            "high",
            f"1101051949123100{k:02d}",
            f"人{k}",
            ["2024-05"],
            100.0 + k,
            "死亡后发放",
            [("payments", k + 1)],
        )
        for k in range(5)
    ]
    r = r.model_copy(update={"hits": many + r.hits[2:]})
    path = tmp_path / "big.xlsx"
    write_xlsx(r, path, sheet_rows=2)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "汇总",
        "死亡后继续发放",
        "死亡后继续发放（2）",
        "死亡后继续发放（3）",
        "一人多号",
        "金额异常",
    ]
    seq = [row[0] for name in wb.sheetnames[1:4] for row in _rows(wb[name])[1:]]
    assert seq == [1, 2, 3, 4, 5]  # 序号 goes on counting across the sheets
    assert _rows(wb["死亡后继续发放（3）"])[1][1] == "110105194912310004"
    assert _rows(wb["死亡后继续发放（2）"])[0][0] == "序号"  # every sheet has its header


def test_the_verification_so_far_can_be_prefilled_hit_by_hit(tmp_path: Path) -> None:
    """The web app's workbook: each hit's 核查状态, 核查说明 and 追回金额 on its own row (a hit
    whose rule is listed later in ``hits`` still gets its own values; None stays 待核查/empty)."""
    r = result()
    r = r.model_copy(update={"hits": [r.hits[3], r.hits[0], r.hits[2], r.hits[1]]})  # not sheet order
    checks = [
        Check("已排除", "系统外已核实，金额为补发"),  # amount_outlier
        Check("确认违规", "已停发并追回", 3000.0),  # paid_after_death, DEAD
        None,  # same_person_two_ids
        Check("核查中", "=待民政回函"),  # paid_after_death, DEAD2: a note that looks like a formula
    ]
    path = write_xlsx(r, tmp_path / "web.xlsx", checks=checks)
    wb = load_workbook(path)
    dead = _rows(wb["死亡后继续发放"])
    assert [row[1] for row in dead[1:]] == [DEAD, DEAD2]  # the CLI's order within the sheet
    assert dead[1][-3:] == ["确认违规", "已停发并追回", 3000]
    assert dead[2][-3:] == ["核查中", "=待民政回函", None]
    assert wb["死亡后继续发放"]["J2"].number_format == "#,##0.00"
    assert wb["死亡后继续发放"]["I3"].data_type == "s"  # text, not a formula
    assert _rows(wb["一人多号"])[1][-3:] == ["待核查", None, None]
    assert _rows(wb["金额异常"])[1][-3:] == ["已排除", "系统外已核实，金额为补发", None]


def test_the_cli_workbook_is_unchanged_by_the_prefill_parameter(tmp_path: Path, book: Path) -> None:
    """``checks=None`` (the CLI) and all-None checks write the same cells as before: 待核查, empty."""
    path = write_xlsx(result(), tmp_path / "none.xlsx", checks=[None] * 4)
    for name in load_workbook(book).sheetnames:
        assert _rows(load_workbook(path)[name]) == _rows(load_workbook(book)[name])


def test_prefill_checks_must_match_the_hits_and_the_status_list(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="3 entries for 4 hits"):
        write_xlsx(result(), tmp_path / "a.xlsx", checks=[None] * 3)
    with pytest.raises(ValueError, match=r"checks\[1\]\.status"):
        write_xlsx(result(), tmp_path / "b.xlsx", checks=[None, Check("confirmed"), None, None])
    assert not list(tmp_path.iterdir())


def test_sheet_names_are_legal_short_and_unique() -> None:
    used: set[str] = {"汇总"}
    long = "城乡居民基本养老保险待遇领取人员死亡后继续发放待遇的疑点[重点]"
    first = sheet_title(long, 1, used)
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    second = sheet_title(long, 2, used)
    assert len(second) <= 31 and second.endswith("（2）")
    assert sheet_title("a/b:c", 1, used) == "abc"
    assert sheet_title("ABC", 1, used) == "ABC（2）"  # Excel: sheet names are case-insensitive


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "疑点清单.xlsx"
    path.write_bytes(b"old")

    def broken(result, target, sheet_rows):
        Path(target).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "_save", broken)
    with pytest.raises(Exception):  # noqa: B017 - the kind is atomic_write's; the point is the files
        write_xlsx(result(), path)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["疑点清单.xlsx"]


def test_an_empty_result_is_a_summary_sheet_only(tmp_path: Path) -> None:
    r = result().model_copy(update={"hits": []})
    path = write_xlsx(r, tmp_path / "empty.xlsx")
    assert load_workbook(path).sheetnames == ["汇总"]


# --------------------------------------------------------------------------- the terminal table


def test_table_has_headline_summary_and_hits() -> None:
    text = format_table(result())
    lines = text.splitlines()
    assert lines[0] == (
        "共筛查支付记录1,234条，涉及100人，期间2024-01至2024-12；发现疑点4条（高风险2条，中风险1条，低风险1条）。"
    )
    assert "疑点汇总（按规则）" in lines and "疑点明细" in lines
    summary = next(i for i, s in enumerate(lines) if s.startswith("规则"))
    assert lines[summary].split() == ["规则", "名称", "风险", "人数", "记录数", "金额（元）", "说明"]
    assert lines[summary + 2].split() == ["paid_after_death", "死亡后继续发放", "高", "2", "5", "7,500.50"]
    assert "未执行：缺少 contributions 表" in text
    assert next(s for s in lines if s.startswith("合计")).split() == ["合计", "4", "8", "54,300.50"]
    hits = lines[lines.index("疑点明细") + 1 :]
    assert hits[0].split() == ["风险", "规则", "身份证号", "姓名", "期间", "金额", "疑点说明"]
    assert hits[2].split()[:6] == ["高", "死亡后继续发放", DEAD, "张三", "2024-05至2024-06", "3,000.00"]
    assert f"（其他身份证号：{TWIN15}）" in hits[4]  # the reason alone does not name it
    assert len(hits) == 2 + 4


def test_table_columns_line_up_by_display_width_with_chinese_text() -> None:
    lines = format_table(result()).splitlines()
    hits = lines[lines.index("疑点明细") + 1 :]
    rows = [hits[0], *hits[2:]]

    def column_of(line: str, value: str) -> int:
        return text_width(line[: line.index(value)])

    starts = {column_of(line, v) for line, v in zip(rows, ["身份证号", DEAD, DEAD2, TWIN, BIG], strict=True)}
    assert len(starts) == 1  # 死亡后继续发放 (14 columns) and 一人多号 (8) pad to one width
    ends = {
        text_width(line[: line.index(v) + len(v)])
        for line, v in zip(rows, ["金额", "3,000.00", "4,500.50", "1,800.00", "45,000.00"], strict=True)
    }
    assert len(ends) == 1  # amounts are right-aligned
    assert (
        len({len(line[: line.index(v)]) for line, v in zip(rows[1:], [DEAD, DEAD2, TWIN, BIG], strict=True)})
        > 1
    )


def test_table_can_bound_the_hits_it_lists() -> None:
    text = format_table(result(), max_hits=1)
    assert DEAD in text and DEAD2 not in text
    assert "……另有3条疑点未列出" in text


def test_table_of_an_empty_result_says_so() -> None:
    assert format_table(result().model_copy(update={"hits": []})).rstrip().endswith("未发现疑点。")


# --------------------------------------------------------------------------- pieces


def test_text_width_counts_wide_chars_as_two() -> None:
    assert text_width("abc") == 3
    assert text_width("张三") == 4
    assert text_width("金额（元）") == 10  # full-width brackets are wide
    assert text_width("ＡＢ") == 4
    assert text_width("e\u0301") == 1  # a combining accent takes no column


def test_periods_join_consecutive_months() -> None:
    assert period_text(["2024-03", "2024-04", "2024-05", "2024-09"]) == "2024-03至2024-05、2024-09"
    assert period_text(["2023-12", "2024-01"]) == "2023-12至2024-01"
    assert period_text(["2024-01"]) == "2024-01"
    assert period_text(["2024-01", "bad", "bad2"]) == "2024-01、bad、bad2"


def test_rows_text_orders_tables_and_stays_within_a_cell() -> None:
    refs = [RowRef(table="deaths", row=3), RowRef(table="payments", row=40), RowRef(table="payments", row=12)]
    assert rows_text(refs) == "payments 第12、40条；deaths 第3条"
    many = [RowRef(table="payments", row=k) for k in range(1, 20001)]
    text = rows_text(many, limit=200)
    assert len(text) <= 200 and text.endswith("……共20,000条")
    assert text.startswith("payments 第1、2、3、")


def test_table_prints_control_characters_from_the_data_as_spaces() -> None:
    r = result()
    r.hits[0].name = "张\x1b[31m三\n"
    text = format_table(r)
    assert "\x1b" not in text and "张 [31m三" in text
    assert len(text.splitlines()) == len(format_table(result()).splitlines())


def test_the_web_demos_hand_made_hits_read_like_a_run() -> None:
    """sifund serve --demo writes its hits with the catalogue's templates (web/payments_demo.py): every
    fact a template names is filled — no empty （） in a 疑点说明, no {placeholder} left."""
    from sifund.web.payments_demo import demo_result

    reasons = [h["reason"] for h in demo_result()["hits"]]
    assert len(reasons) >= 30
    assert not [r for r in reasons if "（）" in r or "{" in r or "}" in r]
