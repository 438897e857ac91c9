"""Who may see and do what through the API — one test per role boundary of issue #10.

The tree of conftest.py: 示例省 → 示例市 → 示例县 and 示例省 → 邻市 → 邻县. An object outside a
caller's area is *not found* (404, the same answer as an id that does not exist); a forbidden
action on an object the caller can see is 403."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .conftest import EXAMPLES

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The fixture users' passwords hashed quickly (PBKDF2 costs ~0.2 s a user, 7 users a test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def neighbour_submission(tree, county_submission):
    """A draft of 邻县 2023 filed by its own preparer (the example dataset under 邻县's name)."""
    from sifund.web import scope, services

    data = dict(county_submission.dataset, region="邻县")
    return services.create_submission(scope.actor(tree["users"]["other-prep"]), services.parse_body(data))


def put_json(c, url: str, body: object, version: int | None = None):
    headers = {"If-Match": str(version)} if version is not None else {}
    return c.put(url, json.dumps(body, ensure_ascii=False), content_type="application/json", headers=headers)


def submitted(client_for, sub):
    r = client_for("county-prep").post(f"{API}/submissions/{sub.pk}/submit")
    assert r.status_code == 200, r.content
    return sub


# ---- preparer of county A vs county B ------------------------------------------------------------


def test_a_preparer_of_county_a_cannot_read_or_edit_county_b(
    client_for, county_submission, neighbour_submission
):
    c = client_for("other-prep")  # 邻县's preparer; county_submission is 示例县's
    url = f"{API}/submissions/{county_submission.pk}"
    missing = c.get(f"{API}/submissions/999999")
    for r in (
        c.get(url),
        put_json(c, url, {"dataset": dict(county_submission.dataset, project="改")}, 1),
        c.post(f"{url}/submit"),
        c.get(f"{url}/files/report.docx"),
        c.get(f"{url}/files/selftable.xlsx"),
    ):
        assert (r.status_code, r.content) == (404, missing.content)  # its existence does not leak
    assert [s["id"] for s in c.get(f"{API}/submissions").json()["results"]] == [neighbour_submission.pk]
    assert [row["region"] for row in c.get(f"{API}/dashboard").json()["rows"]] == ["邻县"]
    county_submission.refresh_from_db()
    assert (county_submission.version, county_submission.status) == (1, "draft")


def test_a_preparer_sees_only_its_own_region_not_the_counties_below_it(client_for, county_submission):
    # a preparer of 示例市: 示例县 is below it, but a preparer sees its own region only
    c = client_for("city-prep")
    assert c.get(f"{API}/submissions").json() == {"results": []}
    assert c.get(f"{API}/submissions/{county_submission.pk}").status_code == 404


# ---- reviewer of prefecture P ------------------------------------------------------------------


def test_a_reviewer_of_a_prefecture_sees_exactly_its_counties(
    client_for, county_submission, neighbour_submission
):
    def seen(username: str) -> tuple[set[str], set[str]]:
        c = client_for(username)
        listed = {s["region"] for s in c.get(f"{API}/submissions").json()["results"]}
        grid = {row["region"] for row in c.get(f"{API}/dashboard").json()["rows"]}
        return listed, grid

    assert seen("city-rev") == ({"示例县"}, {"示例县"})
    assert seen("other-rev") == ({"邻县"}, {"邻县"})
    assert seen("prov-rev") == ({"示例县", "邻县"}, {"示例县", "邻县"})
    assert client_for("city-rev").get(f"{API}/submissions/{neighbour_submission.pk}").status_code == 404
    assert client_for("city-rev").get(f"{API}/submissions?region=邻县").json() == {"results": []}


def test_a_reviewer_outside_the_area_cannot_act_on_it(client_for, county_submission):
    submitted(client_for, county_submission)
    c, url = client_for("other-rev"), f"{API}/submissions/{county_submission.pk}"
    assert c.post(f"{url}/approve").status_code == 404
    assert (
        c.post(f"{url}/return", {"comment": "越权退回"}, content_type="application/json").status_code == 404
    )
    assert client_for("prov-rev").post(f"{url}/approve").status_code == 200  # the province is above


# ---- what each role may do on what it sees ---------------------------------------------------------


def test_a_preparer_cannot_approve_or_return(client_for, county_submission):
    submitted(client_for, county_submission)
    c, url = client_for("county-prep"), f"{API}/submissions/{county_submission.pk}"
    r = c.post(f"{url}/approve")
    assert r.status_code == 403 and r.json()["detail"]
    assert (
        c.post(f"{url}/return", {"comment": "自己退回"}, content_type="application/json").status_code == 403
    )
    assert c.get(url).json()["status"] == "submitted"


def test_submitted_and_approved_data_cannot_be_edited(client_for, county_submission):
    prep, url = client_for("county-prep"), f"{API}/submissions/{county_submission.pk}"
    edited = {"dataset": dict(county_submission.dataset, project="提交后修改")}
    submitted(client_for, county_submission)
    r = put_json(prep, url, edited, 1)
    assert r.status_code == 403 and "只读" in r.json()["detail"]
    file_put = prep.put(url, b"", content_type="multipart/form-data; boundary=x", headers={"If-Match": "1"})
    assert file_put.status_code == 403  # refused before the body is read
    assert client_for("city-rev").post(f"{url}/approve").status_code == 200
    assert put_json(prep, url, edited, 1).status_code == 403
    assert prep.post(f"{url}/submit").status_code == 403
    s = prep.get(url).json()
    assert (s["version"], s["dataset"]["project"], s["actions"]) == (
        1,
        county_submission.dataset["project"],
        [],
    )


def test_returned_data_is_editable_again(client_for, county_submission):
    prep, url = client_for("county-prep"), f"{API}/submissions/{county_submission.pk}"
    submitted(client_for, county_submission)
    client_for("city-rev").post(f"{url}/return", {"comment": "请修改"}, content_type="application/json")
    assert prep.get(url).json()["actions"] == ["update", "submit"]
    r = put_json(prep, url, {"dataset": dict(county_submission.dataset, project="按意见修改")}, 1)
    assert r.status_code == 200 and r.json()["version"] == 2


def test_a_reviewer_cannot_edit_or_submit(client_for, county_submission):
    rev, url = client_for("city-rev"), f"{API}/submissions/{county_submission.pk}"
    assert rev.get(url).json()["actions"] == []
    assert put_json(rev, url, {"dataset": county_submission.dataset}, 1).status_code == 403
    assert rev.post(f"{url}/submit").status_code == 403


def test_a_dataset_whose_region_is_not_the_uploaders_is_refused(
    client_for, county_submission, example_upload
):
    from sifund.web.models import Submission

    for username in ("other-prep", "city-prep", "city-rev"):  # 示例县's dataset, none of them its preparer
        r = client_for(username).post(f"{API}/submissions", {"file": example_upload()})
        assert r.status_code == 403 and r.json()["detail"], username
    moved = {"dataset": dict(county_submission.dataset, region="邻县")}  # re-filing 示例县's draft as 邻县
    r = put_json(client_for("county-prep"), f"{API}/submissions/{county_submission.pk}", moved, 1)
    assert r.status_code == 403 and "邻县" in r.json()["detail"]
    unknown = json.dumps(dict(county_submission.dataset, region="不存在县"), ensure_ascii=False).encode()
    r = client_for("county-prep").post(f"{API}/submissions", {"file": SimpleUploadedFile("x.json", unknown)})
    assert r.status_code == 403
    assert list(Submission.objects.values_list("pk", flat=True)) == [county_submission.pk]


def test_a_reviewer_returns_with_a_comment_and_approves_only_from_submitted(client_for, county_submission):
    rev, url = client_for("city-rev"), f"{API}/submissions/{county_submission.pk}"

    def ret(comment: str | None = "请补充偏差原因"):
        body = {} if comment is None else {"comment": comment}
        return rev.post(f"{url}/return", body, content_type="application/json")

    assert rev.post(f"{url}/approve").status_code == 403  # a draft
    assert ret().status_code == 403
    submitted(client_for, county_submission)
    assert rev.get(url).json()["actions"] == ["return", "approve"]
    r = ret(None)
    assert r.status_code == 400 and r.json()["errors"][0]["place"] == "comment"
    assert ret().status_code == 200
    assert rev.post(f"{url}/approve").status_code == 403  # returned: the preparer must resubmit
    assert ret().status_code == 403
    submitted(client_for, county_submission)
    assert rev.post(f"{url}/approve").status_code == 200
    assert rev.post(f"{url}/approve").status_code == 403  # approved is final
    assert ret().status_code == 403


def test_an_admin_may_file_and_edit_for_any_region_but_not_submit(
    client_for, county_submission, example_upload
):
    c, url = client_for("admin"), f"{API}/submissions/{county_submission.pk}"
    assert c.get(url).json()["actions"] == ["update"]
    fixed = {"dataset": dict(county_submission.dataset, project="管理员更正")}
    assert put_json(c, url, fixed, 1).status_code == 200
    assert c.post(f"{API}/submissions", {"file": example_upload()}).status_code == 201


# ---- reviews of uploaded reports ---------------------------------------------------------------


def test_an_uploaded_report_is_seen_in_the_uploaders_area_only(client_for):
    report = (EXAMPLES.parent / "tests" / "blind" / "jiangning-2023.txt").read_bytes()
    r = client_for("city-rev").post(f"{API}/reviews", {"file": SimpleUploadedFile("报告.txt", report)})
    assert r.status_code == 201
    url = f"{API}/reviews/{r.json()['id']}"
    assert client_for("prov-rev").get(url).status_code == 200  # above 示例市
    for outsider in ("other-rev", "county-prep"):
        c = client_for(outsider)
        assert c.get(url).status_code == 404
        note = {"finding": "x", "state": "accepted"}
        assert c.post(f"{url}/comments", note, content_type="application/json").status_code == 404
        assert c.get(f"{API}/reviews").json() == {"results": []}
