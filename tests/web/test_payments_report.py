"""The feed into the self-evaluation report: a dataset's ``payment_audit`` becomes the sentence of
三（四）基金运行风险评估 ("核查疑点数据N条，确认问题M条，追回资金X万元"), and the web app writes it from
the region's latest 疑点筛查 of the submission's year."""

from __future__ import annotations

import io

import pytest
import yaml

from .conftest import EXAMPLES
from .payments_sample import create_run, result
from .test_api import API, script


def report_text(payment_audit):
    from sifund import api
    from sifund.render.report import render_text

    data = yaml.safe_load((EXAMPLES / "synthetic-county-2023.yaml").read_text(encoding="utf-8"))
    if payment_audit is not None:
        data["payment_audit"] = payment_audit
    loaded = api.parse(data)
    text = render_text(api.evaluate(loaded.dataset, None, loaded.warnings))
    start = text.index("（四）基金运行风险评估")
    return text[start : text.index("四、存在问题和下一步计划")]


INTRO = "开展社会保险待遇支付疑点数据筛查，"


@pytest.mark.parametrize(
    ("figures", "sentence"),
    [
        ({"checked": 12, "confirmed": 2, "recovered": 1.5}, "核查疑点数据十二条，确认问题两条，追回资金1.50万元。"),  # noqa: E501
        (
            {"hits": 1500, "checked": 1234, "confirmed": 56, "recovered": 78.905},
            "筛查出疑点数据1500条，核查疑点数据1234条，确认问题56条，追回资金78.91万元。",
        ),
        ({"hits": 5, "checked": 5, "confirmed": 0}, "核查疑点数据五条，未发现违规问题。"),
        ({"checked": 3, "confirmed": 1}, "核查疑点数据三条，确认问题一条。"),
        ({"hits": 5, "checked": 0, "confirmed": 0}, "筛查出疑点数据五条，核查工作正在进行。"),
        ({"hits": 0, "checked": 0, "confirmed": 0}, "未发现疑点数据。"),
    ],
)
def test_the_risk_section_states_the_verification(figures, sentence):
    assert INTRO + sentence in report_text(figures)


def test_without_payment_audit_the_section_is_as_before():
    assert "疑点" not in report_text(None)


def test_impossible_figures_are_refused_at_their_field():
    from sifund import api
    from sifund.core.errors import SifundError

    data = yaml.safe_load((EXAMPLES / "synthetic-county-2023.yaml").read_text(encoding="utf-8"))
    data["payment_audit"] = {"checked": 2, "confirmed": 3}
    with pytest.raises(SifundError, match="payment_audit"):
        api.parse(data)


def run_2023(tree):
    data = result()
    data["summary"]["periods"] = ["2023-01", "2023-12"]
    return create_run(tree, data=data)


def test_the_figures_of_the_latest_run_are_written_into_the_submission(tree, county_submission):
    from sifund.web import payments
    from sifund.web.scope import actor

    run = run_2023(tree)
    prep = actor(tree["users"]["county-prep"])
    verified = [("confirmed", "6840"), ("confirmed", "1000.5"), ("excluded", None)]
    for h, (status, rec) in zip(payments.hits(run)[:3], verified, strict=True):
        payments.verify(prep, h.pk, status, "核查完毕", rec)
    c = script("county-prep")
    r = c.post(f"{API}/payments/submissions/{county_submission.pk}/feed", {}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["payment_audit"] == {"hits": 5, "checked": 3, "confirmed": 2, "recovered": 0.78}
    sub = c.get(f"{API}/submissions/{county_submission.pk}").json()
    assert sub["version"] == 2 and sub["dataset"]["payment_audit"]["confirmed"] == 2
    change = sub["history"][-1]
    assert change["action"] == "update" and change["user"] == "county-prep"
    assert change["changes"] == [
        {"field": "payment_audit", "before": None, "after": r.json()["payment_audit"]}
    ]
    txt = c.get(f"{API}/submissions/{county_submission.pk}/files/report.txt").content.decode("utf-8")
    assert "筛查出疑点数据五条，核查疑点数据三条，确认问题两条，追回资金0.78万元。" in txt


def test_feeding_needs_a_run_of_the_year_and_an_editable_submission(tree, county_submission, client_for):
    c = script("county-prep")
    url = f"{API}/payments/submissions/{county_submission.pk}/feed"
    r = c.post(url, {}, content_type="application/json")
    assert r.status_code == 400 and "示例县2023年尚无疑点筛查结果" in r.json()["errors"][0]["message"]
    other_year = create_run(tree)  # 2024
    r = c.post(url, {"run": other_year.pk}, content_type="application/json")
    assert r.status_code == 400
    run = run_2023(tree)
    assert script("city-rev").post(url, {"run": run.pk}, content_type="application/json").status_code == 403
    assert script("other-prep").post(url, {}, content_type="application/json").status_code == 404
    page = client_for("county-prep").post(
        f"/payments/runs/{run.pk}/feed/", {"submission": county_submission.pk}
    )
    assert page.status_code == 302 and page["Location"] == f"/submissions/{county_submission.pk}/"


def test_the_run_page_offers_the_workbook_and_the_feed(tree, county_submission, client_for):
    from urllib.parse import quote

    import openpyxl

    run = run_2023(tree)
    c = client_for("county-prep")
    page = c.get(f"/payments/runs/{run.pk}/").content.decode()
    assert "写入自评报告" in page and "2023年 · 草稿 · 版本1" in page and "疑点清单 XLSX" in page
    assert 'name="submission"' not in client_for("city-rev").get(f"/payments/runs/{run.pk}/").content.decode()
    r = c.get(f"/payments/runs/{run.pk}/workbook.xlsx")
    assert r.status_code == 200 and quote("疑点清单.xlsx") in r["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) >= 5  # 汇总 and one sheet per rule found
    api = script("county-prep").get(f"{API}/payments/runs/{run.pk}/files/疑点清单.xlsx")
    assert api.status_code == 200 and api.content[:2] == b"PK"
