"""The report-review pages: a reviewer uploads a report and sees its text with every extracted
figure highlighted at its source span, the findings beside it (linked to the spans they rest on),
the unresolved numbers and the 绩效指标; corrects a figure (the audit is re-run); comments on a
finding; downloads the result. Scoped like everything else: outside the region it is a 404."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reportscore import CORPUS  # ../shared/corpus, or absent under SIFUND_NO_SHARED=1
from sifund import api
from sifund.web import services
from sifund.web.models import Event, FindingComment, Review
from sifund.web.views.reviews import Span, highlight, lay_out

KORLA = CORPUS / "korla-2020.txt"

# A small report of the genre with a deliberate inconsistency: 支出 11800 against 上年 10000 is an
# increase of 18%, not the 10% stated. The last line carries HTML that must come out as text.
SYNTHETIC = (
    "示例县2023年社会保险基金支出预算绩效自评报告\n\n"
    "一、基本情况\n"
    "（一）企业职工基本养老保险基金\n"
    "2023年企业职工基本养老保险基金收入12000万元，其中：保险费收入8000万元，财政补贴收入3500万元。"
    "基金支出11800万元，上年支出10000万元，较上年增长10%。当年收支结余200万元，年末滚存结余5600万元。"
    "参保人数21000人。\n"
    "（二）失业保险基金\n"
    "失业保险基金收入600万元，基金支出580万元，完成全年预算500万元的116%。\n"
    "<script>alert(1)</script> 满意度达到90%。\n"
)


def synthetic_upload(name: str = "示例县2023年自评报告.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SYNTHETIC.encode("utf-8"), content_type="text/plain")


def upload(client, file) -> Review:
    resp = client.post("/reviews/", {"file": file})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    pk = int(re.fullmatch(r"/reviews/(\d+)/", resp["Location"]).group(1))
    return Review.objects.get(pk=pk)


class Pane(HTMLParser):
    """The report-text pane parsed back: its plain text, every mark (attributes, text) and whether
    every element closed where it should."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.marks, self.stack, self.balanced = "", [], [], True

    def handle_starttag(self, tag, attrs):
        self.balanced &= tag == "mark"
        m = {"attrs": dict(attrs), "start": len(self.text), "text": ""}
        self.marks.append(m)
        self.stack.append(m)

    def handle_endtag(self, tag):
        if tag != "mark" or not self.stack:
            self.balanced = False
            return
        m = self.stack.pop()
        m["text"] = self.text[m["start"] :]

    def handle_data(self, data):
        self.text += data


def pane_of(html: str) -> Pane:
    m = re.search(r'<div class="report-text" id="report-text">(.*?)</div>', html, re.S)
    assert m, "no report-text pane"
    p = Pane()
    p.feed(m.group(1))
    p.close()
    assert p.balanced and not p.stack, "the marks do not nest"
    return p


def figure_marks(p: Pane) -> list[dict]:
    return [
        m for m in p.marks if m["attrs"].get("class", "").split()[:1] == ["fig"] and "data-i" in m["attrs"]
    ]


@pytest.fixture
def synthetic(client_for):
    """The synthetic report uploaded by the reviewer of 示例市 (its review is filed under 示例市)."""
    return upload(client_for("city-rev"), synthetic_upload())


# ---- highlighting ------------------------------------------------------------------------------


def test_crossing_spans_are_clipped_and_nested_ones_nest_deterministically():
    text = "0123456789abcdefghij"
    spans = [
        Span(2, 8, "fig", 0),
        Span(4, 6, "fig", 1),  # inside 0: nests
        Span(6, 12, "fig", 2),  # crosses 0: clipped to begin where 0 ends
        Span(2, 8, "fig", 3),  # the same stretch as 0: nests inside it
        Span(10, 15, "ind", 0),  # crosses figure 2 (a figure wins): clipped to 12..15
        Span(14, 40, "unres", 0),  # runs past the end: clipped to the text, then crosses ind 0
        Span(5, 5, "fig", 4),  # empty: dropped
    ]
    laid = lay_out(spans, len(text))
    assert [(s.kind, s.key, s.start, s.end) for s in laid] == [
        ("fig", 0, 2, 8),
        ("fig", 3, 2, 8),
        ("fig", 1, 4, 6),
        ("fig", 2, 8, 12),
        ("ind", 0, 12, 14),
        ("unres", 0, 14, 20),
    ]
    assert lay_out(list(reversed(spans)), len(text)) == laid  # the input order does not matter
    for a in laid:  # laminar: any two are disjoint or one contains the other
        for b in laid:
            assert not (a.start < b.start < a.end < b.end)

    html = highlight(text, spans, lambda s: {"class": s.kind, "data-k": f"{s.kind}{s.key}"})
    assert str(html) == (
        '01<mark class="fig" data-k="fig0"><mark class="fig" data-k="fig3">23<mark class="fig" '
        'data-k="fig1">45</mark>67</mark></mark><mark class="fig" data-k="fig2">89ab</mark>'
        '<mark class="ind" data-k="ind0">cd</mark><mark class="unres" data-k="unres0">efghij</mark>'
    )


def test_the_text_and_the_attributes_are_escaped():
    text = '<b>"x"</b> & 1<2'
    html = str(highlight(text, [Span(0, 3, "fig", 0)], lambda s: {"title": '"><script>'}))
    assert (
        html == '<mark title="&quot;&gt;&lt;script&gt;">&lt;b&gt;</mark>&quot;x&quot;&lt;/b&gt; &amp; 1&lt;2'
    )


# ---- the pages -------------------------------------------------------------------------------


def test_upload_shows_the_text_with_every_figure_highlighted(client_for, synthetic):
    r = synthetic
    assert r.region.name == "示例市" and r.result["region"] == "示例县" and r.result["year"] == 2023
    html = client_for("city-rev").get(f"/reviews/{r.pk}/").content.decode()
    p = pane_of(html)
    assert p.text == r.text  # the pane shows the text exactly, nothing lost or added
    figs = r.result["figures"]
    with_offsets = [
        i for i, f in enumerate(figs) if f.get("source") and f["source"]["end"] > f["source"]["start"]
    ]
    marks = figure_marks(p)
    assert len(marks) == len(with_offsets) == 13
    for m in marks:  # each mark stands on its figure's own source text
        f = figs[int(m["attrs"]["data-i"])]
        assert m["text"] == f["source"]["text"] == r.text[f["source"]["start"] : f["source"]["end"]]
    # 完成全年预算500万元的116% contains 全年预算500万元: the inner figure's mark is nested in the outer's
    nested = [m for m in marks if m["text"] == "全年预算500万元"]
    assert len(nested) == 1 and '<mark class="fig" data-i="11"' in html
    # the unresolved number is marked differently
    unres = [m for m in p.marks if m["attrs"].get("class") == "fig unres"]
    assert [m["text"] for m in unres] == [u["text"] for u in r.result["unresolved"]]
    assert "满意度达到90%" in unres[0]["text"]
    # summary and tables below
    assert "未归类的数字（1个）" in html and "比率含义不明" in html
    assert "识别的数字（13个已在正文中标出）" in html


def test_a_finding_is_linked_to_the_spans_its_evidence_rests_on(client_for, synthetic):
    r = synthetic
    html = client_for("city-rev").get(f"/reviews/{r.pk}/").content.decode()
    ids = {m["attrs"]["id"] for m in pane_of(html).marks}
    findings = r.result["findings"]
    yoy = next(i for i, f in enumerate(findings) if f["code"] == "yoy_rate_mismatch")
    li = re.search(
        rf'<li class="rv-finding sev-line-error" id="finding-{yoy}"[^>]*data-marks="([^"]*)"', html
    )
    assert li, "the yoy finding is listed with its marks"
    marks = li.group(1).split()
    assert len(marks) == len(findings[yoy]["evidence"]) == 3 and set(marks) <= ids
    spans = set()
    for m in marks:
        at = re.search(rf'id="{m}" data-s="(\d+)" data-e="(\d+)"', html)
        spans.add((int(at.group(1)), int(at.group(2))))
    assert spans == {(e["start"], e["end"]) for e in findings[yoy]["evidence"]}
    assert "较上年增长10%" in {r.text[s:e] for s, e in spans}
    # severity badge, message and code beside the text
    assert '<span class="badge sev-error">错误</span>' in html and "yoy_rate_mismatch" in html
    assert "17.98%~18.02%" in html


def test_the_report_html_is_escaped(client_for, synthetic):
    html = client_for("city-rev").get(f"/reviews/{synthetic.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_correction_changes_the_measure_and_reruns_the_audit(client_for, synthetic):
    r = synthetic
    c = client_for("city-rev")
    prior = next(i for i, f in enumerate(r.result["figures"]) if f["measure"] == "prior")
    assert "yoy_rate_mismatch" in [f["code"] for f in r.result["findings"]]
    resp = c.post(
        f"/reviews/{r.pk}/correct/",
        {
            "index": prior,
            "fund": "enterprise_pension",
            "item": "expenditure_total",
            "measure": "budget",
            "version": 1,
        },
    )
    assert resp.status_code == 302 and resp["Location"] == f"/reviews/{r.pk}/#fig-{prior}"
    r.refresh_from_db()
    assert r.version == 2 and r.corrections == [{"index": prior, "measure": "budget"}]
    assert r.result["figures"][prior]["measure"] == "budget"
    # no prior-year figure any more: the 较上年增长 rate cannot contradict it
    assert "yoy_rate_mismatch" not in [f["code"] for f in r.result["findings"]]
    ev = Event.objects.filter(review=r, action="correct").get()
    assert ev.version == 2 and ev.user.username == "city-rev"
    page = c.get(resp["Location"]).content.decode()
    assert "版本2" in page and "已更正第" in page and "年初预算数" in page
    assert f'class="fig corrected" data-i="{prior}"' in page
    # a second correction from the stale version is refused with a message, nothing changes
    page = c.post(
        f"/reviews/{r.pk}/correct/", {"index": prior, "measure": "actual", "version": 1}, follow=True
    ).content.decode()
    assert "当前版本2" in page
    r.refresh_from_db()
    assert r.version == 2 and r.result["figures"][prior]["measure"] == "budget"


def test_a_comment_on_a_finding_is_kept_and_shown(client_for, synthetic):
    r = synthetic
    c = client_for("city-rev")
    key = re.search(r'name="finding" value="([^"]+)"', c.get(f"/reviews/{r.pk}/").content.decode()).group(1)
    resp = c.post(
        f"/reviews/{r.pk}/comment/", {"finding": key, "state": "to_fix", "text": "请核对上年支出数"}
    )
    assert resp.status_code == 302 and resp["Location"].startswith(f"/reviews/{r.pk}/#comment-")
    kept = FindingComment.objects.get(review=r)
    assert (kept.finding_key, kept.state, kept.text, kept.user.username) == (
        key,
        "to_fix",
        "请核对上年支出数",
        "city-rev",
    )
    page = c.get(f"/reviews/{r.pk}/").content.decode()
    assert "请核对上年支出数" in page and "需整改" in page and "<strong>city-rev</strong>" in page
    assert Event.objects.filter(review=r, action="comment").count() == 1
    # an unknown state is refused, nothing stored
    c.post(f"/reviews/{r.pk}/comment/", {"finding": key, "state": "ignore", "text": "x"})
    assert FindingComment.objects.filter(review=r).count() == 1


def test_outside_the_region_everything_is_not_found(client_for, synthetic):
    r = synthetic
    c = client_for("other-rev")
    assert c.get(f"/reviews/{r.pk}/").status_code == 404
    assert c.get(f"/reviews/{r.pk}/export.json").status_code == 404
    resp = c.post(f"/reviews/{r.pk}/correct/", {"index": 0, "measure": "budget", "version": 1})
    assert resp.status_code == 404
    assert c.post(f"/reviews/{r.pk}/comment/", {"finding": "x", "state": "accepted"}).status_code == 404
    r.refresh_from_db()
    assert r.version == 1 and not r.comments.exists()
    assert synthetic_upload().name not in c.get("/reviews/").content.decode()
    # above the region it is seen
    assert client_for("prov-rev").get(f"/reviews/{r.pk}/").status_code == 200


def test_the_export_is_the_extract_and_audit_content(client_for, synthetic):
    r = synthetic
    resp = client_for("city-rev").get(f"/reviews/{r.pk}/export.json")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/json")
    assert resp["Content-Disposition"].startswith("attachment;")
    got = json.loads(resp.content)
    fresh = api.review(services.review_path(r))
    for k in ("region", "year", "figures", "indicators", "unresolved", "findings"):
        assert got[k] == fresh[k], k
    assert got["id"] == r.pk and got["version"] == 1 and got["file"] == r.original_name


def test_the_list_shows_the_reviews_and_their_findings(client_for, synthetic):
    html = client_for("city-rev").get("/reviews/").content.decode()
    assert synthetic.original_name in html and f'href="/reviews/{synthetic.pk}/"' in html
    assert "示例县" in html and "2023" in html
    assert '<span class="badge sev-error" title="错误">错误 1</span>' in html
    assert "不超过 20 MB" in html


def test_an_executable_renamed_pdf_is_refused_with_a_message(client_for):
    exe = SimpleUploadedFile(
        "报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    resp = client_for("city-rev").post("/reviews/", {"file": exe})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "报告未能上传" in html and "<code>file</code> 文件内容不是 PDF 格式" in html
    assert not Review.objects.exists()


@pytest.mark.skipif(not KORLA.exists(), reason="../shared/corpus not present")
def test_the_korla_report(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile as F

    c = client_for("admin")
    r = upload(c, F("korla-2020.txt", KORLA.read_bytes()))
    html = c.get(f"/reviews/{r.pk}/").content.decode()
    p = pane_of(html)
    assert p.text == r.text
    n = sum(1 for f in r.result["figures"] if f.get("source"))
    assert len(figure_marks(p)) == n == len(r.result["figures"])
    ids = {m["attrs"]["id"] for m in p.marks}
    lis = re.findall(r'<li class="rv-finding[^"]*" id="finding-\d+"[^>]*data-marks="([^"]*)"', html)
    assert len(lis) == len(r.result["findings"])
    for marks in lis:  # every finding points at spans that are there
        assert marks.split() and set(marks.split()) <= ids
    assert "库尔勒市" in html and "2020年" in html
    assert f"未归类的数字（{len(r.result['unresolved'])}个）" in html
    assert f"绩效指标（{len(r.result['indicators'])}项）" in html
