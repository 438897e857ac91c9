"""The 疑点清单 workbook the web app hands out carries the verification as it stands: each hit's
核查状态, 核查说明 and 追回金额 from the database (the CLI's workbook has 待核查 and empty cells) —
read back with openpyxl as a 经办机构 opens it, from the page and from the API alike."""

from __future__ import annotations

import io

from .payments_sample import create_run
from .test_api import API, script
from .test_payments_workflow import actor_of

DEAD, DEAD2, DUP, TWIN, BIG = (
    "65280119450307123X", "652801195011224526", "652801196208153317", "652801195803211234",
    "652801197001015555",
)  # fmt: skip


def checks_of(content: bytes) -> dict[str, list]:
    """身份证号 → [核查状态, 核查说明, 追回金额（元）] over every rule sheet of a workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content))
    out = {}
    for ws in wb.worksheets[1:]:
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0][-3:]) == ["核查状态", "核查说明", "追回金额（元）"], ws.title
        for row in rows[1:]:
            out[row[1]] = list(row[-3:])
    return out


def test_the_workbook_carries_each_hits_status_note_and_recovered_money(tree, client_for):
    from sifund.web import payments

    run = create_run(tree)
    h = {x.person_id: x.pk for x in payments.hits(run)}
    prep, rev = actor_of(tree, "county-prep"), actor_of(tree, "city-rev")
    payments.verify(prep, h[DEAD], "confirmed", "经比对民政死亡信息属实，已追回", "6840.00")
    payments.verify(prep, h[DEAD2], "confirmed", "属实，追回中")  # confirmed, nothing back yet
    payments.verify(prep, h[DUP], "checking", "=已调取发放批次")  # a note that looks like a formula
    payments.verify(rev, h[BIG], "excluded", "补发历史欠发待遇，金额属实")

    page = client_for("county-prep").get(f"/payments/runs/{run.pk}/workbook.xlsx")
    assert page.status_code == 200
    assert checks_of(page.content) == {
        DEAD: ["确认违规", "经比对民政死亡信息属实，已追回", 6840],
        DEAD2: ["确认违规", "属实，追回中", 0],
        DUP: ["核查中", "=已调取发放批次", None],
        TWIN: ["待核查", None, None],
        BIG: ["已排除", "补发历史欠发待遇，金额属实", None],
    }
    by_api = script("city-rev").get(f"{API}/payments/runs/{run.pk}/files/疑点清单.xlsx")
    assert checks_of(by_api.content) == checks_of(page.content)


def test_a_run_nobody_has_verified_yet_gives_the_clis_workbook(tree, client_for, tmp_path):
    """Every hit 待核查 with empty cells: the same rows as ``sifund payments audit --format xlsx``."""
    import openpyxl

    from sifund.payments.output import write_xlsx
    from sifund.web import payments

    run = create_run(tree)
    web = openpyxl.load_workbook(
        io.BytesIO(client_for("county-prep").get(f"/payments/runs/{run.pk}/workbook.xlsx").content)
    )
    cli = openpyxl.load_workbook(write_xlsx(payments.result_of(run), tmp_path / "cli.xlsx"))
    assert web.sheetnames == cli.sheetnames
    for name in cli.sheetnames:
        assert list(web[name].iter_rows(values_only=True)) == list(cli[name].iter_rows(values_only=True))


def test_the_rules_keep_the_audits_order_whatever_the_database_does_to_json_keys(tree, client_for):
    """PostgreSQL's jsonb stores an object's keys in its own order: the 汇总 sheet, the run page
    and the API still list the rules as the audit did (``rule_order``; before it, the catalogue's)."""
    import openpyxl

    from sifund.web import payments
    from sifund.web.payment_models import PaymentRun

    from .payments_sample import RULES

    run = create_run(tree)
    want = [code for code, *_ in RULES]
    scrambled = {**run.summary, "by_rule": dict(reversed(list(run.summary["by_rule"].items())))}
    for order in (run.rule_order, []):  # a run of today, and one stored before migration 0004
        PaymentRun.objects.filter(pk=run.pk).update(summary=scrambled, rule_order=order)
        stored = PaymentRun.objects.get(pk=run.pk)
        content = client_for("county-prep").get(f"/payments/runs/{run.pk}/workbook.xlsx").content
        summary = openpyxl.load_workbook(io.BytesIO(content))["汇总"]
        assert [row[0] for row in summary.iter_rows(min_row=2, values_only=True)][: len(want)] == want
        assert (
            list(script("county-prep").get(f"{API}/payments/runs/{run.pk}").json()["summary"]["by_rule"])
            == want
        )
        assert [x["rule"] for x in payments.by_rule(stored)][:4] == want[:4]  # the high risks, in order
