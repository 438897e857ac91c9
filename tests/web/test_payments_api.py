"""/api/v1/payments/…: runs, hits and their verification for scripts (token) and the browser
(session + CSRF), with web.md's status codes: 401 without credentials, 404 outside the caller's
scope, 403 for a forbidden action, 400 ``{"errors": [{"place", "message"}]}`` for malformed input."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .payments_sample import create_run, result
from .test_api import API, places, script

PAY = f"{API}/payments"


def upload(data, name="audit.json"):
    return SimpleUploadedFile(name, json.dumps(data, ensure_ascii=False).encode())


def test_without_credentials_every_endpoint_is_401(tree):
    run = create_run(tree)
    hit = run.hits.first()
    c = Client()
    for method, url in [
        ("get", f"{PAY}/runs"),
        ("post", f"{PAY}/runs"),
        ("get", f"{PAY}/runs/{run.pk}"),
        ("get", f"{PAY}/hits/{hit.pk}"),
        ("patch", f"{PAY}/hits/{hit.pk}"),
        ("post", f"{PAY}/submissions/1/feed"),
    ]:
        r = getattr(c, method)(url)
        assert r.status_code == 401, (method, url, r.content)
    bad = Client(headers={"Authorization": "Token nope"}).get(f"{PAY}/runs")
    assert bad.status_code == 401 and bad.json() == {"detail": "未登录或令牌无效"}


def test_import_a_result_then_list_and_page_through_its_hits(tree):
    c = script("county-prep")
    r = c.post(f"{PAY}/runs", {"file": upload(result()), "region": "示例县"})
    assert r.status_code == 201, r.content
    run = r.json()
    assert {k: run[k] for k in ("region", "periods", "hits", "amount", "source", "created_by")} == {
        "region": "示例县", "periods": ["2024-01", "2024-12"], "hits": 5, "amount": 35125.5,
        "source": "import", "created_by": "county-prep",
    }  # fmt: skip
    assert [x["id"] for x in c.get(f"{PAY}/runs?year=2024").json()["results"]] == [run["id"]]
    assert c.get(f"{PAY}/runs?year=2023").json()["results"] == []
    d = c.get(f"{PAY}/runs/{run['id']}?per_page=2&page=2").json()
    assert (d["count"], d["pages"], d["page"]) == (5, 3, 2)
    assert [h["name"] for h in d["results"]] == ["王志强", "赵玉梅"]
    assert d["results"][1]["other_ids"] == ["652801580321123"]
    assert d["totals"]["n"] == 5 and d["totals"]["confirmed"] == 0
    assert [x["risk"] for x in d["by_risk"]] == ["high", "medium", "low"]
    assert len(d["by_rule"]) == 10
    f = c.get(f"{PAY}/runs/{run['id']}?rule=paid_after_death&q=李").json()
    assert [h["name"] for h in f["results"]] == ["李秀兰"] and f["count"] == 1
    assert places(c.get(f"{PAY}/runs/{run['id']}?status=done")) == ["status"]


def test_the_result_json_may_also_be_the_body(tree):
    c = script("city-rev")
    r = c.post(f"{PAY}/runs?region=示例县", json.dumps(result()), content_type="application/json")
    assert r.status_code == 201 and r.json()["region"] == "示例县"


@pytest.mark.parametrize(
    ("mutate", "place"),
    [
        (lambda d: d["hits"][1].update(amount="很多"), "hits[1].amount"),
        (lambda d: d["hits"][0].pop("person_id"), "hits[0].person_id"),
        (lambda d: d["hits"][2]["rows"][0].update(row="x"), "hits[2].rows[0].row"),
        (lambda d: d["hits"][3].update(risk="severe"), "hits[3].risk"),
        (lambda d: d.pop("summary"), "summary"),
        (lambda d: d["summary"].update(periods="2024"), "summary.periods"),
    ],
)
def test_a_malformed_result_is_400_naming_the_field(tree, mutate, place):
    from sifund.web.payment_models import PaymentRun

    data = result()
    mutate(data)
    r = script("county-prep").post(f"{PAY}/runs", {"file": upload(data)})
    assert place in places(r)
    assert PaymentRun.objects.count() == 0  # nothing half-stored


def test_not_json_and_wrong_files_are_400(tree):
    c = script("county-prep")
    r = c.post(f"{PAY}/runs", {"file": SimpleUploadedFile("audit.json", b'{"summary": \n  oops}')})
    assert places(r) == ["line 2"]
    assert places(c.post(f"{PAY}/runs", {"file": SimpleUploadedFile("a.txt", b"x")})) == ["file"]
    assert places(c.post(f"{PAY}/runs", {"region": "示例县"})) == ["file"]
    assert places(c.post(f"{PAY}/runs", {"file": SimpleUploadedFile("t.zip", b"not a zip")})) == ["file"]


def test_scope_404_and_forbidden_403(tree):
    run = create_run(tree)
    hit = run.hits.first()
    other = script("other-rev")
    assert other.get(f"{PAY}/runs/{run.pk}").status_code == 404
    assert other.get(f"{PAY}/hits/{hit.pk}").status_code == 404
    assert (
        other.patch(
            f"{PAY}/hits/{hit.pk}", {"status": "checking"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert other.get(f"{PAY}/runs").json()["results"] == []
    assert other.post(f"{PAY}/runs", {"file": upload(result()), "region": "示例县"}).status_code == 404
    assert script("county-prep").get(f"{PAY}/runs/999999").status_code == 404
    admin = script("admin")
    assert admin.get(f"{PAY}/hits/{hit.pk}").json()["may_verify"] is False
    r = admin.patch(f"{PAY}/hits/{hit.pk}", {"status": "checking"}, content_type="application/json")
    assert r.status_code == 403 and "核查" in r.json()["detail"]


def test_patch_a_hit_records_history_and_checks_the_version(tree):
    run = create_run(tree)
    hit = run.hits.first()
    prep = script("county-prep")
    r = prep.patch(
        f"{PAY}/hits/{hit.pk}",
        {"status": "confirmed", "note": "死亡后冒领属实", "recovered": 6840},
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["recovered"], body["version"], r["ETag"]) == ("confirmed", 6840.0, 2, '"2"')
    assert body["history"][0] | {"at": None} == {
        "at": None, "user": "county-prep", "status_before": "pending", "status_after": "confirmed",
        "note": "死亡后冒领属实", "recovered_before": 0.0, "recovered_after": 6840.0, "version": 2,
    }  # fmt: skip
    stale = script("city-rev").patch(
        f"{PAY}/hits/{hit.pk}",
        {"status": "excluded"},
        content_type="application/json",
        headers={"If-Match": "1"},
    )
    assert stale.status_code == 409
    r = prep.patch(
        f"{PAY}/hits/{hit.pk}", {"status": "excluded", "note": "误报"}, content_type="application/json"
    )
    assert r.status_code == 403  # the conclusion is the reviewers' to change
    r = prep.patch(f"{PAY}/hits/{hit.pk}", {"recovered": "abc"}, content_type="application/json")
    assert places(r) == ["recovered"]
    r = prep.patch(f"{PAY}/hits/{hit.pk}", {"status": 3}, content_type="application/json")
    assert r.status_code == 400
    got = prep.get(f"{PAY}/hits/{hit.pk}").json()
    assert got["rows"][-1] == {"table": "deaths", "row": 3} and len(got["history"]) == 1


def test_the_browser_session_needs_csrf_for_patch(tree, client_for):
    run = create_run(tree)
    hit = run.hits.first()
    c = client_for("county-prep", csrf=True)
    r = c.patch(f"{PAY}/hits/{hit.pk}", {"status": "checking"}, content_type="application/json")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_the_schema_describes_the_payment_endpoints(tree):
    paths = script("county-prep").get(f"{API}/schema").json()["paths"]
    assert {f"{PAY}/runs", f"{PAY}/runs/{{id}}", f"{PAY}/hits/{{id}}"} <= set(paths)
    assert "patch" in paths[f"{PAY}/hits/{{id}}"]
