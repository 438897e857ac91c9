"""The evaluation part of a submission page is rendered by Jinja2 (sifund.web.jinja) with the
Django pages' filters: text from the data is escaped, the filters' badges are not, a key missing
from a stored evaluation reads "—" (as in the Django templates) rather than failing the page."""

from __future__ import annotations

from sifund.web.models import Submission


def _page(client_for, pk):
    r = client_for("county-prep").get(f"/submissions/{pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_text_from_the_data_is_escaped_and_badges_are_not(client_for, county_submission):
    s = county_submission
    ev = dict(s.evaluation)
    row = dict(ev["indicators"][0])
    row["indicator"] = {**row["indicator"], "name": "<script>alert(1)</script>"}
    ev["indicators"] = [row, *ev["indicators"][1:]]
    finding = {"code": "sum_mismatch", "severity": "error", "message": "合计<b>不符</b>", "evidence": []}
    ev["findings"] = [finding]
    Submission.objects.filter(pk=s.pk).update(evaluation=ev, version=s.version + 1)
    html = _page(client_for, s.pk)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "合计&lt;b&gt;不符&lt;/b&gt;" in html
    assert '<span class="badge sev-error">' in html  # the severity badge is markup, not text


def test_a_sparse_stored_evaluation_reads_dashes(client_for, county_submission):
    s = county_submission
    ev = {
        "indicators": [{"indicator": {"name": "参保率"}}],  # no target, actual, weight, score, status
        "metrics": [{"code": "x", "name": "某指标", "fund": "all"}],  # no value, unit
        "risks": [{"message": "某风险"}],  # no level, fund, why
        "findings": [{"message": "某发现"}],
        "score": {},
    }
    Submission.objects.filter(pk=s.pk).update(evaluation=ev, version=s.version + 1)
    html = _page(client_for, s.pk)
    assert "参保率" in html and "某风险" in html and "某发现" in html
    row = html[html.index("参保率") :]
    row = row[: row.index("</tr>")]
    assert row.count("—") >= 3  # target, actual, weight/score: "—", never 0 or "None"
    assert "None" not in html[html.index('id="score"') : html.index('id="history"')]
