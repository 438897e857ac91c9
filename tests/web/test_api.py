"""The JSON API under /api/v1/, row by row of web.md's table: shapes, status codes, token and
session authentication, malformed input, downloads and the OpenAPI description.

Who may see and do what is tested in test_api_roles.py."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart

from .conftest import EXAMPLES, PASSWORD

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The fixture users' passwords hashed quickly (PBKDF2 costs ~0.2 s a user, 7 users a test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SUBMISSION_KEYS = {"id", "region", "year", "status", "version"}
ROW_KEYS = SUBMISSION_KEYS | {"score", "grade"}


def token_of(username: str, password: str = PASSWORD) -> str:
    r = Client().post(
        f"{API}/token", {"username": username, "password": password}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def script(username: str) -> Client:
    """A script's client: a token in the Authorization header, CSRF checks enforced (a token
    needs none)."""
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {token_of(username)}"})


def places(r) -> list[str]:
    assert r.status_code == 400, (r.status_code, r.content)
    body = r.json()
    assert set(body) >= {"errors"} and body["errors"], body
    assert all(set(e) >= {"place", "message"} and e["message"] for e in body["errors"]), body
    return [e["place"] for e in body["errors"]]


def put_file(c: Client, url: str, upload: SimpleUploadedFile, **headers: str):
    boundary = "sifund-test-boundary"
    return c.put(
        url,
        encode_multipart(boundary, {"file": upload}),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers,
    )


def put_json(c: Client, url: str, body: object, **headers: str):
    return c.put(url, json.dumps(body, ensure_ascii=False), content_type="application/json", headers=headers)


def post_json(c: Client, url: str, body: object = None):
    return c.post(url, json.dumps(body or {}, ensure_ascii=False), content_type="application/json")


# ---- POST /token, and what happens without it ----------------------------------------------------


def test_a_script_exchanges_its_password_for_a_token_and_needs_no_csrf(tree, example_upload):
    r = Client().post(
        f"{API}/token", {"username": "county-prep", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 200 and set(r.json()) == {"token"}
    c = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {r.json()['token']}"})
    me = c.get(f"{API}/me").json()
    assert (me["username"], me["role"], me["region"]) == ("county-prep", "preparer", "示例县")
    r = c.post(f"{API}/submissions", {"file": example_upload()})  # unsafe, no CSRF token: fine
    assert r.status_code == 201, r.content


def test_bad_credentials_are_400_and_repeated_failures_are_throttled_429(tree, settings):
    bad = {"username": "county-prep", "password": "wrong"}
    r = Client().post(f"{API}/token", bad, content_type="application/json")
    assert places(r) == ["password"]
    assert "ApiToken" not in r.content.decode()
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert Client().post(f"{API}/token", bad, content_type="application/json").status_code == 400
    r = Client().post(
        f"{API}/token", {"username": "county-prep", "password": PASSWORD}, content_type="application/json"
    )
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["detail"]  # even the right password waits


def test_a_malformed_token_request_is_400_with_places(tree):
    r = Client().post(f"{API}/token", {"username": "county-prep"}, content_type="application/json")
    assert places(r) == ["password"]
    assert r.json()["errors"][0]["message"] == "缺少此项"
    r = Client().post(f"{API}/token", '{"username": "x",\n"password": }', content_type="application/json")
    assert places(r) == ["line 2"]


EVERY_ENDPOINT = [
    ("get", "/me"),
    ("get", "/submissions"),
    ("post", "/submissions"),
    ("get", "/submissions/1"),
    ("put", "/submissions/1"),
    ("post", "/submissions/1/submit"),
    ("post", "/submissions/1/return"),
    ("post", "/submissions/1/approve"),
    ("get", "/submissions/1/files/report.docx"),
    ("get", "/submissions/1/files/selftable.xlsx"),
    ("get", "/submissions/1/files/report.html"),
    ("get", "/reviews"),
    ("post", "/reviews"),
    ("get", "/reviews/1"),
    ("post", "/reviews/1/corrections"),
    ("post", "/reviews/1/comments"),
    ("get", "/dashboard"),
]


@pytest.mark.parametrize("method,path", EVERY_ENDPOINT)
def test_without_a_valid_token_or_session_every_endpoint_is_401(tree, method, path):
    for headers in ({}, {"Authorization": "Token not-a-token"}, {"Authorization": "Bearer x"}):
        r = getattr(Client(enforce_csrf_checks=True, headers=headers), method)(f"{API}{path}")
        assert r.status_code == 401, (headers, r.content)
        assert r.json() == {"detail": "未登录或令牌无效"}


def test_a_revoked_users_token_stops_working(tree):
    tok = token_of("county-prep")
    c = Client(headers={"Authorization": f"Token {tok}"})
    assert c.get(f"{API}/me").status_code == 200
    u = tree["users"]["county-prep"]
    u.is_active = False
    u.save()
    assert c.get(f"{API}/me").status_code == 401


# ---- GET/POST /submissions ---------------------------------------------------------------------


def test_the_list_has_web_md_fields_and_filters_by_year_region_and_status(client_for, county_submission):
    c = client_for("city-rev")
    rows = c.get(f"{API}/submissions").json()["results"]
    assert len(rows) == 1 and set(rows[0]) >= ROW_KEYS
    row = rows[0]
    assert (row["id"], row["region"], row["year"], row["status"], row["version"]) == (
        county_submission.pk,
        "示例县",
        2023,
        "draft",
        1,
    )
    assert row["score"] == county_submission.score and row["grade"] == county_submission.grade
    for query, n in [
        ("year=2023", 1),
        ("year=2022", 0),
        ("region=示例县", 1),
        ("region=邻县", 0),
        ("status=draft", 1),
        ("status=approved", 0),
        ("year=2023&region=示例县&status=draft", 1),
    ]:
        assert len(c.get(f"{API}/submissions?{query}").json()["results"]) == n, query
    assert places(c.get(f"{API}/submissions?status=bogus")) == ["status"]
    assert places(c.get(f"{API}/submissions?year=abc")) == ["year"]


def _filled_template(tmp_path, **cells: object) -> bytes:
    from openpyxl import load_workbook

    from sifund.ingest import load_dataset
    from sifund.render.template import write_template

    # the ingest tests' helper that fills a blank template the way a user would
    spec = importlib.util.spec_from_file_location("_fill", Path(__file__).parents[1] / "ingest" / "fill.py")
    fill = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fill)
    fill_template = fill.fill_template
    ds = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    filled = fill_template(write_template(tmp_path / "blank.xlsx", ds.funds()), ds, tmp_path / "filled.xlsx")
    if cells:
        wb = load_workbook(filled)
        for ref, value in cells.items():
            sheet, cell = ref.split("__")
            wb[sheet][cell] = value
        wb.save(filled)
    return filled.read_bytes()


def test_a_draft_is_created_from_yaml_json_or_the_xlsx_template(tree, client_for, tmp_path):
    from sifund import api

    c = client_for("county-prep")
    dataset = api.load(EXAMPLES / "synthetic-county-2023.yaml").dataset.to_interchange()
    uploads = [
        SimpleUploadedFile(
            "synthetic-county-2023.yaml", (EXAMPLES / "synthetic-county-2023.yaml").read_bytes()
        ),
        SimpleUploadedFile("示例县2023.json", json.dumps(dataset, ensure_ascii=False).encode()),
        SimpleUploadedFile("填报模板.xlsx", _filled_template(tmp_path)),
    ]
    ids = []
    for upload in uploads:
        r = c.post(f"{API}/submissions", {"file": upload})
        assert r.status_code == 201, (upload.name, r.content)
        body = r.json()
        assert set(body) >= SUBMISSION_KEYS
        assert (body["region"], body["year"], body["status"], body["version"]) == ("示例县", 2023, "draft", 1)
        ids.append(body["id"])
    assert len(set(ids)) == 3  # every upload is a new submission (a new version of that year's report)
    scores = {c.get(f"{API}/submissions/{i}").json()["evaluation"]["score"]["total"] for i in ids}
    assert len(scores) == 1  # the same data, whatever the file it came in


def test_a_dataset_can_also_be_posted_as_json(client_for, county_submission):
    r = post_json(client_for("county-prep"), f"{API}/submissions", {"dataset": county_submission.dataset})
    assert r.status_code == 201 and r.json()["id"] != county_submission.pk


def test_malformed_uploads_are_400_naming_the_cell_line_or_field(tree, client_for, tmp_path):
    from sifund.web.models import Submission

    c = client_for("county-prep")

    def post(name: str, content: bytes):
        return c.post(f"{API}/submissions", {"file": SimpleUploadedFile(name, content)})

    xlsx = _filled_template(tmp_path, 基金收支__E12="12,3a")
    assert "基金收支!E12" in places(post("填报模板.xlsx", xlsx))
    broken_yaml = "region: 示例县\nyear: 2023\nfigures:\n  - fund: all\n    item: [unclosed\n".encode()
    assert all(p.startswith("line ") for p in places(post("bad.yaml", broken_yaml)))
    bad_value = (
        "region: 示例县\nyear: 2023\nfigures:\n  - fund: all\n    item: income_total\n    value: 十二\n"
    )
    assert places(post("bad.yaml", bad_value.encode())) == ["line 6, figures[0].value"]
    ds = {
        "region": "示例县",
        "year": 2023,
        "figures": [{"fund": "all", "item": "income_total", "value": "x"}],
    }
    assert places(post("bad.json", json.dumps(ds, indent=1).encode())) == ["line 8, figures[0].value"]
    assert [p.split(",")[0] for p in places(post("bad.json", b'{"region": "x",\n "year": }'))] == ["line 2"]
    assert places(post("virus.exe", b"MZ\x90\x00")) == ["file"]
    assert places(post("renamed.xlsx", b"MZ\x90\x00 not a zip")) == ["file"]
    assert places(c.post(f"{API}/submissions", {})) == ["file"]
    assert not Submission.objects.exists()  # nothing half-created


# ---- GET /submissions/{id} ---------------------------------------------------------------------


def test_a_submission_has_its_dataset_evaluation_history_and_actions(client_for, county_submission):
    r = client_for("county-prep").get(f"{API}/submissions/{county_submission.pk}")
    assert r.status_code == 200 and r["ETag"] == '"1"'
    s = r.json()
    assert set(s) >= SUBMISSION_KEYS | {"dataset", "evaluation", "history", "actions"}
    assert s["dataset"]["region"] == "示例县" and s["dataset"]["figures"]
    ev = s["evaluation"]
    assert set(ev) >= {"metrics", "indicators", "score", "risks", "findings", "corrections", "warnings"}
    assert ev["metrics"] and ev["indicators"]
    assert set(ev["score"]) >= {"total", "grade"} and ev["score"]["total"] == county_submission.score
    assert ev["risks"] and {x["level"] for x in ev["risks"]} <= {"high", "medium", "low"}
    assert all(x["message"] for x in ev["risks"])
    assert {x["level_name"] for x in ev["risks"]} <= {"高", "中", "低"}
    assert ev["findings"] and all(set(f) >= {"code", "severity", "message"} for f in ev["findings"])
    assert [set(h) >= {"at", "user", "action", "comment"} for h in s["history"]] == [True]
    assert (s["history"][0]["action"], s["history"][0]["user"]) == ("create", "county-prep")
    assert s["actions"] == ["update", "submit"]


def test_an_unknown_id_is_404_json(client_for, county_submission):
    c = client_for("county-prep")
    for path in ("/submissions/999999", "/submissions/abc", "/submissions/999999/files/report.docx", "/nope"):
        r = c.get(f"{API}{path}")
        assert (r.status_code, r["Content-Type"], r.json()) == (
            404,
            "application/json; charset=utf-8",
            {"detail": "未找到"},
        )


# ---- PUT /submissions/{id} ---------------------------------------------------------------------


def test_put_saves_a_new_version_and_a_stale_if_match_is_409(client_for, county_submission, example_upload):
    c, url = client_for("county-prep"), f"{API}/submissions/{county_submission.pk}"
    edited = dict(county_submission.dataset, project="社会保险基金预算（修订）")
    r = put_json(c, url, {"dataset": edited}, **{"If-Match": "1"})
    assert r.status_code == 200 and r.json()["version"] == 2 and r["ETag"] == '"2"'
    assert set(r.json()) >= SUBMISSION_KEYS
    stale = dict(county_submission.dataset, project="另一个人的修改")
    r = put_json(c, url, {"dataset": stale}, **{"If-Match": "1"})
    assert r.status_code == 409 and "county-prep" in r.json()["detail"]  # names who saved in between
    s = c.get(url).json()
    assert (s["version"], s["dataset"]["project"]) == (2, "社会保险基金预算（修订）")  # nothing overwritten
    r = put_file(c, url, example_upload(), **{"If-Match": 'W/"2"'})  # the ETag form is accepted too
    assert r.status_code == 200 and r.json()["version"] == 3
    h = c.get(url).json()["history"]
    assert [e["action"] for e in h] == ["create", "update", "update"]
    assert any(ch["field"] == "project" for ch in h[1]["changes"])
    assert places(put_json(c, url, {"dataset": edited}, **{"If-Match": "latest"})) == ["If-Match"]


def test_put_with_a_malformed_body_is_400_and_changes_nothing(client_for, county_submission):
    c, url = client_for("county-prep"), f"{API}/submissions/{county_submission.pk}"
    r = c.put(
        url,
        '{"dataset": {\n  "region": "示例县",\n  "year": 2023,\n  "figures": [,]}}',
        content_type="application/json",
    )
    assert places(r) == ["line 4"]
    broken = json.loads(json.dumps(county_submission.dataset))
    broken["figures"][2]["value"] = "abc"
    assert places(put_json(c, url, {"dataset": broken}, **{"If-Match": "1"})) == ["figures[2].value"]
    assert places(put_json(c, url, {"data": broken})) == ["dataset"]
    assert places(c.put(url, "", content_type="application/json")) == ["file"]
    assert all(
        p.startswith("line ") for p in places(put_file(c, url, SimpleUploadedFile("x.yaml", b"region: [\n")))
    )
    assert c.get(url).json()["version"] == 1


# ---- the workflow ------------------------------------------------------------------------------


def test_submit_return_with_comment_resubmit_approve(client_for, county_submission):
    prep, rev = client_for("county-prep"), client_for("city-rev")
    url = f"{API}/submissions/{county_submission.pk}"
    r = prep.post(f"{url}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted" and set(r.json()) >= SUBMISSION_KEYS
    assert places(rev.post(f"{url}/return")) == ["comment"]  # a return needs its comment
    assert places(post_json(rev, f"{url}/return", {"comment": "   "})) == ["comment"]
    r = post_json(rev, f"{url}/return", {"comment": "请补充失业保险支出偏差原因"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert prep.post(f"{url}/submit").json()["status"] == "submitted"
    assert rev.post(f"{url}/approve").json()["status"] == "approved"
    h = prep.get(url).json()["history"]
    assert [e["action"] for e in h] == ["create", "submit", "return", "submit", "approve"]
    assert (h[2]["user"], h[2]["comment"]) == ("city-rev", "请补充失业保险支出偏差原因")


def test_a_form_post_carries_the_comment_too(client_for, county_submission):
    url = f"{API}/submissions/{county_submission.pk}"
    client_for("county-prep").post(f"{url}/submit")
    r = client_for("city-rev").post(f"{url}/return", {"comment": "表单提交的意见"})
    assert r.status_code == 200 and r.json()["status"] == "returned"


# ---- files -------------------------------------------------------------------------------------


def test_the_docx_report_opens_and_names_the_region(client_for, county_submission):
    import docx

    r = client_for("county-prep").get(f"{API}/submissions/{county_submission.pk}/files/report.docx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    cd = r["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''" in cd and "%E7%A4%BA%E4%BE%8B%E5%8E%BF" in cd
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "示例县" in text


def test_the_selftable_and_html_are_the_reports_renderers_output(client_for, county_submission):
    from openpyxl import load_workbook

    c, url = client_for("city-rev"), f"{API}/submissions/{county_submission.pk}/files"
    r = c.get(f"{url}/selftable.xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith(".xlsx")
    assert load_workbook(io.BytesIO(r.content)).sheetnames
    r = c.get(f"{url}/report.html")
    assert (
        r.status_code == 200 and r["Content-Type"].startswith("text/html") and "示例县" in r.content.decode()
    )
    assert c.get(f"{url}/report.pdf").status_code == 404
    assert c.get(f"{url}/..%2Fsettings.py").status_code == 404


def test_an_unexpected_error_is_a_json_500_not_an_html_page(
    client_for, county_submission, monkeypatch, caplog
):
    from sifund.web import services

    def broken(*a, **k):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(services, "render_file", broken)
    with caplog.at_level(logging.ERROR):
        r = client_for("county-prep").get(f"{API}/submissions/{county_submission.pk}/files/report.docx")
    assert (r.status_code, r["Content-Type"]) == (500, "application/json; charset=utf-8")
    assert r.json() == {"detail": "服务器内部错误"}
    assert any(rec.exc_info and "renderer exploded" in str(rec.exc_info[1]) for rec in caplog.records)


# ---- reviews -----------------------------------------------------------------------------------

REPORT = EXAMPLES.parent / "tests" / "blind" / "jiangning-2023.txt"


@pytest.fixture
def review(client_for):
    r = client_for("city-rev").post(
        f"{API}/reviews", {"file": SimpleUploadedFile("江宁区2023自评报告.txt", REPORT.read_bytes())}
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_an_uploaded_report_is_extracted_and_audited(review):
    assert set(review) >= {"id", "figures", "indicators", "findings", "unresolved", "region", "year"}
    assert (review["region"], review["year"]) == ("南京市江宁区", 2023)
    assert review["figures"] and review["findings"]
    assert all({"code", "severity", "message", "key"} <= set(f) for f in review["findings"])


def test_a_review_is_read_corrected_and_commented(client_for, review):
    c, url = client_for("city-rev"), f"{API}/reviews/{review['id']}"
    r = c.get(url)
    assert r.status_code == 200 and r["ETag"] == '"1"'
    body = r.json()
    assert body["text"] and body["comments"] == [] and body["version"] == 1
    fig = body["figures"][0]
    other = "expenditure_total" if fig["item"] != "expenditure_total" else "income_total"
    bad = {"corrections": [{"index": 9999, "fund": "no_such_fund"}]}
    assert places(c.post(f"{url}/corrections", bad, content_type="application/json")) == [
        "corrections[0].index"
    ]
    no_index = {"corrections": [{"fund": "all"}]}
    assert places(c.post(f"{url}/corrections", no_index, content_type="application/json")) == [
        "corrections[0].index"
    ]
    fix = {"corrections": [{"index": 0, "item": other}]}
    r = c.post(f"{url}/corrections", fix, content_type="application/json", headers={"If-Match": "1"})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2 and r.json()["figures"][0]["item"] == other
    assert r.json()["corrections"] == [{"index": 0, "item": other}]
    r = c.post(f"{url}/corrections", fix, content_type="application/json", headers={"If-Match": "1"})
    assert r.status_code == 409
    key = body["findings"][0]["key"]
    r = c.post(
        f"{url}/comments",
        {"finding": key, "state": "to_fix", "text": "请核实"},
        content_type="application/json",
    )
    assert r.status_code == 201 and set(r.json()) >= {"id", "finding", "state", "text", "user", "at"}
    assert places(
        c.post(f"{url}/comments", {"finding": key, "state": "maybe"}, content_type="application/json")
    ) == ["state"]
    assert places(c.post(f"{url}/comments", {"state": "to_fix"}, content_type="application/json")) == [
        "finding"
    ]
    assert [x["state"] for x in c.get(url).json()["comments"]] == ["to_fix"]
    assert [x["id"] for x in c.get(f"{API}/reviews").json()["results"]] == [review["id"]]


def test_a_bad_correction_is_placed_at_the_callers_index_after_earlier_corrections(client_for, review):
    c, url = client_for("city-rev"), f"{API}/reviews/{review['id']}/corrections"
    first = {"corrections": [{"index": 0, "fund": "all"}]}
    assert c.post(url, first, content_type="application/json").status_code == 200
    bad = {"corrections": [{"index": 9999}]}
    assert places(c.post(url, bad, content_type="application/json")) == ["corrections[0].index"]


def test_a_report_upload_must_be_a_report(client_for):
    c = client_for("city-rev")
    assert places(c.post(f"{API}/reviews", {"file": SimpleUploadedFile("x.yaml", b"region: x\n")})) == [
        "file"
    ]
    assert places(c.post(f"{API}/reviews", {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})) == ["file"]
    assert places(c.post(f"{API}/reviews", {})) == ["file"]
    r = c.post(
        f"{API}/reviews", {"file": SimpleUploadedFile("empty.txt", "这是一段没有数字的文字。".encode())}
    )
    assert r.status_code == 400


# ---- dashboard and schema ----------------------------------------------------------------------


def test_the_dashboard_rows_have_web_md_fields(client_for, county_submission):
    c = client_for("city-rev")
    rows = c.get(f"{API}/dashboard").json()["rows"]
    assert len(rows) == 1
    row = rows[0]
    keys = {"region", "year", "status", "score", "grade", "expenditure_completion", "payable_months", "risks"}
    assert set(row) >= keys and set(row["risks"]) == {"high", "medium", "low"}
    assert (row["region"], row["year"], row["score"]) == ("示例县", 2023, county_submission.score)
    assert row["risks"]["high"] == county_submission.risk_high
    assert c.get(f"{API}/dashboard?year=2022").json() == {"rows": []}
    assert places(c.get(f"{API}/dashboard?year=twenty")) == ["year"]


WEB_MD_PATHS = [
    ("post", "/api/v1/token"),
    ("get", "/api/v1/submissions"),
    ("post", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/{id}"),
    ("put", "/api/v1/submissions/{id}"),
    ("post", "/api/v1/submissions/{id}/submit"),
    ("post", "/api/v1/submissions/{id}/return"),
    ("post", "/api/v1/submissions/{id}/approve"),
    ("get", "/api/v1/submissions/{id}/files/report.docx"),
    ("get", "/api/v1/submissions/{id}/files/selftable.xlsx"),
    ("get", "/api/v1/submissions/{id}/files/report.html"),
    ("post", "/api/v1/reviews"),
    ("get", "/api/v1/dashboard"),
]


def test_the_openapi_description_lists_every_path_of_web_md(db):
    r = Client().get(f"{API}/schema")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    missing = [(m, p) for m, p in WEB_MD_PATHS if m not in schema["paths"].get(p, {})]
    assert not missing
    body = schema["paths"]["/api/v1/submissions"]["post"]["requestBody"]["content"]
    assert "file" in body["multipart/form-data"]["schema"]["properties"]
    token = schema["components"]["securitySchemes"]["TokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert Client().get(f"{API}/docs").status_code == 200


# ---- the browser: session and CSRF -------------------------------------------------------------


def test_a_session_needs_the_csrf_token_for_unsafe_requests(client_for, county_submission):
    c, url = client_for("county-prep", csrf=True), f"{API}/submissions/{county_submission.pk}"
    assert c.get(url).status_code == 200  # reading needs no CSRF token
    r = c.post(f"{url}/submit")
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert c.get(url).json()["status"] == "draft"
    secret = "a" * 32
    c.cookies["csrftoken"] = secret
    r = c.post(f"{url}/submit", headers={"X-CSRFToken": secret})
    assert r.status_code == 200 and r.json()["status"] == "submitted"


def test_multipart_put_works_without_ninjas_files_middleware(client_for, county_submission):
    """Django parses multipart bodies only for POST; the API reads a PUT's file itself."""
    edited = dict(county_submission.dataset, agency="某县社会保险事业管理局")
    upload = SimpleUploadedFile("edited.json", json.dumps(edited, ensure_ascii=False).encode())
    r = put_file(
        client_for("county-prep"), f"{API}/submissions/{county_submission.pk}", upload, **{"If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["version"] == 2


def test_a_broken_multipart_body_is_400_not_500(client_for, county_submission):
    c = client_for("county-prep")
    truncated = b"--x\r\nContent-Disposition: form-data; name=file; filename=a.yaml\r\n\r\nregion"
    for method, url in (("post", f"{API}/submissions"), ("put", f"{API}/submissions/{county_submission.pk}")):
        send = getattr(c, method)
        for body, ctype in ((truncated, "multipart/form-data; boundary=x"), (b"x", "multipart/form-data")):
            assert places(send(url, body, content_type=ctype, headers={"If-Match": "1"})) == ["file"], ctype


def test_a_method_the_api_does_not_take_is_a_json_405(client_for, county_submission):
    """DELETE on a submission is not part of web.md: 405 in JSON like every API error, with Allow."""
    c = client_for("county-prep")
    r = c.delete(f"/api/v1/submissions/{county_submission.pk}")
    assert r.status_code == 405
    assert r["Content-Type"].startswith("application/json")
    assert "DELETE" in r.json()["detail"] and "GET" in r["Allow"]
