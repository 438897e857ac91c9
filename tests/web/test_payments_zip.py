"""Uploading the payment tables as a .zip: checked at once (a zip, safe member names, only the
table files: 400 otherwise), queued (202), then unpacked safely (no zip bomb) and audited by
``sifund.api.payments_audit`` in the background into a run — or the run fails saying why."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .test_api import API, places, script

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def person_id(body17: str) -> str:
    """An 18-character ID with its GB 11643 check character (ISO 7064 MOD 11-2)."""
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


DEAD = person_id("65280119450307123")
ALIVE = person_id("65280119480512224")
HEADER = "person_id,name,fund,benefit,period,amount,account,region\n"


def tables_zip(folder: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """payments.csv (张建国 paid for May and June after dying in April; 李秀兰 clean) and deaths.csv."""
    people = [(DEAD, "张建国"), (ALIVE, "李秀兰")]
    rows = [f"{pid},{name},enterprise_pension,basic_pension,2024-{m:02d},3420.00,62220{k},652801\n"
            for k, (pid, name) in enumerate(people) for m in range(1, 7)]  # fmt: skip
    files = {
        f"{folder}payments.csv": (HEADER + "".join(rows)).encode(),
        f"{folder}deaths.csv": f"person_id,name,death_date\n{DEAD},张建国,2024-04-17\n".encode(),
        **(extra or {}),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def post_zip(c, data: bytes, name: str = "县支付数据.zip"):
    return c.post(f"{API}/payments/runs", {"file": SimpleUploadedFile(name, data), "region": "示例县"})


def queued_then_run(c, r) -> dict:
    """A 202 upload's run after the job has executed it (as the job thread of ``sifund serve``
    would), polled at the run's url."""
    from sifund.web import payments_jobs

    assert r.status_code == 202, r.content
    assert r.json()["state"] == "queued" and r["Location"] == r.json()["url"]
    assert payments_jobs.run_once() is not None
    return c.get(r.json()["url"]).json()


def test_a_zip_of_tables_is_audited_into_a_run(tree):
    c = script("county-prep")
    queued = post_zip(c, tables_zip("2024年/"))
    assert queued.status_code == 202
    polled = c.get(queued.json()["url"]).json()
    assert (polled["state"], polled["state_name"], polled["results"]) == ("queued", "排队中", [])
    run = queued_then_run(c, queued)
    assert (run["state"], run["source"], run["periods"], run["payments"], run["people"]) == (
        "done",
        "upload",
        ["2024-01", "2024-06"],
        12,
        2,
    )
    assert run["catalogue_version"].startswith("sha256:")
    hits = c.get(f"{API}/payments/runs/{run['id']}?rule=paid_after_death").json()["results"]
    assert [(h["person_id"], h["periods"], h["amount"]) for h in hits] == [
        (DEAD, ["2024-05", "2024-06"], 6840.0)
    ]
    detail = c.get(f"{API}/payments/hits/{hits[0]['id']}").json()
    assert {"table": "deaths", "row": 1} in detail["rows"]


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ({"../payments.csv": b"x"}, "路径不安全"),
        ({"/etc/people.csv": b"x"}, "路径不安全"),
        ({"a/b/people.csv": b"x"}, "路径不安全"),
        ({"evil.sh": b"x"}, "不认识的文件"),
        ({"PAYMENTS.csv": b"x"}, "文件重复"),
    ],
)
def test_unsafe_or_unknown_members_are_refused(tree, extra, why):
    from sifund.web.payment_models import PaymentRun

    r = post_zip(script("county-prep"), tables_zip(extra=extra))
    places(r)
    assert why in r.json()["errors"][0]["message"]
    assert PaymentRun.objects.count() == 0


def test_a_zip_bomb_stops_at_the_unpacked_limit(tree, settings):
    settings.PAYMENTS_UNZIPPED_MAX = 64 * 1024
    big = HEADER.encode() + b"0" * (1024 * 1024)  # 1 MB of zeros: compresses to ~1 KB
    c = script("county-prep")
    run = queued_then_run(c, post_zip(c, tables_zip(extra={"people.csv": big})))
    assert run["state"] == "failed" and "解压后过大" in run["errors"][0]["message"]


def test_the_upload_itself_is_bounded(tree, settings):
    settings.PAYMENTS_UPLOAD_MAX = 1024
    r = post_zip(script("county-prep"), tables_zip() + b"\0" * 2048)
    assert places(r) == ["file"] and "文件过大" in r.json()["errors"][0]["message"]


def test_bad_table_content_fails_the_run_naming_the_member_row_and_column(tree, settings):
    from pathlib import Path

    bad = HEADER + f"{DEAD},张建国,enterprise_pension,basic_pension,2024-01,三千,6222,652801\n"
    c = script("county-prep")
    r = post_zip(c, tables_zip(extra={"payments.csv": bad.encode()}), name="t.zip")
    # the generated payments.csv of tables_zip is replaced by this one (same name in the dict)
    run = queued_then_run(c, r)
    (p,) = run["errors"]
    assert run["state"] == "failed" and run["hits"] == 0 and run["finished_at"]
    assert p["place"].startswith("payments.csv") and "amount" in p["place"] + p["message"], p
    assert list(Path(settings.UPLOAD_DIR).iterdir()) == []  # the uploaded file goes with the run


def test_no_payments_table_is_400(tree):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("deaths.csv", "person_id,name,death_date\n")
    r = post_zip(script("county-prep"), buf.getvalue())
    assert "缺少 payments 表" in r.json()["errors"][0]["message"]
