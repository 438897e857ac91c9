"""The review page tells the reviewer how each figure was read (issue #12 item 6): the figure panel's
「读作」 row, filled by review.js from the page's JSON (``review-data``), says which rule read the
figure and where its fund and item came from — the same sentence as ``sifund explain``. After a
reviewer corrects a figure's fund, the sentence says the fund was corrected, not how it was read."""

from __future__ import annotations

import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from sifund.web.models import Review

REPORT = (
    "示例县2023年社会保险基金预算绩效自评报告\n"
    "一、基本情况\n"
    "（一）企业职工基本养老保险基金\n"
    "1、基金收入12000万元，同比增长5.3%。\n"
    "2、基金支出11800万元，完成全年预算11500万元的102.61%。\n"
    "（二）失业保险基金\n"
    "失业保险基金收入600万元，支出580万元。\n"
)


def upload(client) -> Review:
    f = SimpleUploadedFile("示例县2023年自评报告.txt", REPORT.encode("utf-8"), content_type="text/plain")
    resp = client.post("/reviews/", {"file": f})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    return Review.objects.get(pk=int(re.fullmatch(r"/reviews/(\d+)/", resp["Location"]).group(1)))


def page_data(html: str) -> dict:
    """The JSON the page's script reads (``{{ js|json_script:"review-data" }}``)."""
    m = re.search(r'<script id="review-data" type="application/json">(.*?)</script>', html, re.S)
    assert m, "no review-data on the page"
    return json.loads(m.group(1))


def test_every_figure_of_the_page_data_has_its_read_as_sentence(client_for):
    c = client_for("city-rev")
    r = upload(c)
    html = c.get(f"/reviews/{r.pk}/").content.decode()
    figures = page_data(html)["figures"]
    assert len(figures) == len(r.result["figures"]) >= 5
    assert all(f["read_as"].startswith("读作：" + f["fund_name"]) for f in figures)
    income = next(f for f in figures if (f["fund"], f["item"], f["measure"]) == (
        "enterprise_pension", "income_total", "actual"))  # fmt: skip
    heading = r.text.index("（一）")
    assert f"基金来自第{heading}字处的标题「（一）企业职工基本养老保险基金」" in income["read_as"]
    # the panel has the row the script fills
    assert '<dt>读作</dt><dd class="rv-read-as" data-f="read_as"></dd>' in html


def test_after_a_fund_correction_the_sentence_says_the_fund_was_corrected(client_for):
    c = client_for("city-rev")
    r = upload(c)
    i = next(n for n, f in enumerate(r.result["figures"]) if f["fund"] == "unemployment")
    resp = c.post(f"/reviews/{r.pk}/correct/", {"index": i, "fund": "work_injury", "version": 1})
    assert resp.status_code == 302
    figure = page_data(c.get(f"/reviews/{r.pk}/").content.decode())["figures"][i]
    assert figure["read_as"].startswith("读作：工伤保险基金 ")
    assert "基金由审核人员人工更正" in figure["read_as"]
