"""Background audits of uploaded .zip files (sifund.web.payments_jobs): the upload answers at once
with a queued run, a job executes it, and every way it can go wrong ends in 失败 with one Chinese
line — never a run left 筛查中 for ever. The job is run here in the test's thread
(``payments_jobs.run_once``), as the job thread of ``sifund serve`` or ``sifund web run-jobs`` does."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .test_api import API, script
from .test_payments_zip import HEADER, post_zip, tables_zip


def upload_page(c, data: bytes = b"", region: str = "示例县", name: str = "县支付数据.zip"):
    from sifund.web.models import Region

    pk = Region.objects.get(name=region).pk
    return c.post("/payments/", {"region": pk, "file": SimpleUploadedFile(name, data or tables_zip())})


def queued(tree, c=None):
    """A run of 示例县 queued by its preparer through the API."""
    from sifund.web.payment_models import PaymentRun

    r = post_zip(c or script("county-prep"), tables_zip())
    assert r.status_code == 202, r.content
    return PaymentRun.objects.get(pk=r.json()["id"])


def test_the_upload_page_answers_at_once_and_the_run_page_refreshes_until_done(tree, client_for):
    from sifund.web import payments_jobs

    c = client_for("county-prep")
    r = upload_page(c)
    assert r.status_code == 302 and r["Location"].startswith("/payments/runs/")
    page = c.get(r["Location"]).content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page and "正在排队筛查" in page
    assert "排队中" in c.get("/payments/").content.decode()  # the list says so too
    assert c.get(r["Location"] + "workbook.xlsx").status_code == 404  # nothing to download yet

    done = payments_jobs.run_once()
    assert (done.state, done.hit_count, done.attempts) == ("done", 1, 1)
    page = c.get(r["Location"]).content.decode()
    assert "疑点（1条）" in page and 'http-equiv="refresh"' not in page and "张建国" in page
    assert c.get(r["Location"] + "workbook.xlsx").status_code == 200
    assert payments_jobs.run_once() is None  # nothing left in the queue


def test_a_running_run_says_so_and_keeps_refreshing(tree, client_for):
    from sifund.web import payments_jobs

    run = queued(tree)
    assert payments_jobs.claim().pk == run.pk
    page = client_for("county-prep").get(f"/payments/runs/{run.pk}/").content.decode()
    assert "筛查中" in page and 'http-equiv="refresh"' in page
    assert payments_jobs.claim() is None  # a claimed run is nobody else's


def test_bad_tables_fail_the_run_with_the_message_on_its_page(tree, client_for, settings):
    from sifund.web import payments_jobs

    bad = HEADER + "65280119450307123X,张建国,enterprise_pension,basic_pension,2024-13,3420.00,6222,652801\n"
    c = client_for("county-prep")
    r = upload_page(c, tables_zip(extra={"payments.csv": bad.encode()}))
    run = payments_jobs.run_once()
    assert run.state == "failed" and run.finished_at is not None
    assert run.error.startswith("payments.csv") and "period" in run.error, run.error
    page = c.get(r["Location"]).content.decode()
    assert "筛查失败" in page and "payments.csv" in page and 'http-equiv="refresh"' not in page
    assert list(Path(settings.UPLOAD_DIR).iterdir()) == []


def test_a_file_that_is_no_safe_zip_is_refused_at_the_upload_not_queued(tree, client_for, settings):
    from sifund.web.payment_models import PaymentRun

    c = client_for("county-prep")
    r = upload_page(c, b"PK not really a zip")
    assert r.status_code == 400 and "不是有效的 .zip" in r.content.decode()
    assert PaymentRun.objects.count() == 0 and list(Path(settings.UPLOAD_DIR).iterdir()) == []


def test_a_crash_fails_the_run_in_one_line(tree, monkeypatch):
    from sifund.web import payments, payments_jobs

    run = queued(tree)

    def boom(*args, **kwargs):
        raise RuntimeError("disk\nfull")

    monkeypatch.setattr(payments, "audit_tables", boom)
    done = payments_jobs.run_once()
    assert (done.pk, done.state) == (run.pk, "failed")
    assert done.error == "筛查出错（RuntimeError：disk full），请联系管理员"


def test_the_api_answers_202_with_the_url_to_poll(tree):
    from sifund.web import payments_jobs

    c = script("county-prep")
    r = post_zip(c, tables_zip())
    body = r.json()
    assert r.status_code == 202 and r["Location"] == body["url"] == f"{API}/payments/runs/{body['id']}"
    assert (body["state"], body["hits"], body["source_name"]) == ("queued", 0, "县支付数据.zip")
    assert c.get(body["url"]).json()["state"] == "queued"
    assert c.get(f"{body['url']}/files/疑点清单.xlsx").status_code == 404
    early = c.get(f"{body['url']}/figures")  # no report figures (zeros) before the audit ran
    assert early.status_code == 400 and "排队中" in early.json()["errors"][0]["message"]
    payments_jobs.run_once()
    polled = c.get(body["url"]).json()
    assert (polled["state"], polled["hits"], polled["count"]) == ("done", 1, 1)
    assert polled["started_at"] <= polled["finished_at"]
    assert c.get(f"{body['url']}/files/疑点清单.xlsx").status_code == 200
    assert c.get(f"{body['url']}/figures").json()["hits"] == 1


def test_the_json_import_stays_synchronous(tree):
    import json

    from .payments_sample import result

    upload = SimpleUploadedFile("audit.json", json.dumps(result(), ensure_ascii=False).encode())
    r = script("county-prep").post(f"{API}/payments/runs", {"file": upload, "region": "示例县"})
    assert r.status_code == 201 and r.json()["state"] == "done" and r.json()["hits"] == 5


@pytest.mark.parametrize(
    ("who", "status"),
    [("county-prep", 202), ("city-rev", 202), ("prov-rev", 202), ("admin", 202), ("city-prep", 404),
     ("other-prep", 404), ("other-rev", 404)],
)  # fmt: skip
def test_who_may_upload_tables_is_as_for_every_run(tree, settings, who, status):
    """Admins, the reviewers of the region or above and its own preparer; a preparer sees (and
    files for) only their own region, so for another it is not found, as for a JSON import."""
    from sifund.web.payment_models import PaymentRun

    r = post_zip(script(who), tables_zip())
    assert r.status_code == status, r.content
    assert PaymentRun.objects.count() == (status == 202)
    assert len(list(Path(settings.UPLOAD_DIR).glob("*"))) == (status == 202)  # a refused file is not kept


def test_a_queued_run_is_seen_only_inside_the_scope(tree):
    run = queued(tree)
    assert script("other-rev").get(f"{API}/payments/runs/{run.pk}").status_code == 404
    assert script("city-rev").get(f"{API}/payments/runs/{run.pk}").json()["state"] == "queued"


def test_a_run_whose_worker_died_is_retried_once_then_failed(tree):
    from sifund.web import payments_jobs
    from sifund.web.payment_models import PaymentRun

    run = queued(tree)
    payments_jobs.claim()  # a worker took it … and died: no more heartbeats
    gone = timezone.now() - timedelta(seconds=payments_jobs.STALE_SECONDS + 1)
    PaymentRun.objects.filter(pk=run.pk).update(heartbeat=gone)
    assert payments_jobs.reap() == 1
    assert PaymentRun.objects.get(pk=run.pk).state == "queued"

    payments_jobs.claim()  # the second execution dies too
    PaymentRun.objects.filter(pk=run.pk).update(heartbeat=gone)
    assert payments_jobs.reap() == 1
    r = PaymentRun.objects.get(pk=run.pk)
    assert (r.state, r.attempts) == ("failed", 2) and "筛查中断" in r.error


def test_a_live_heartbeat_keeps_the_run_and_the_time_bound_ends_it(tree, monkeypatch):
    from sifund.web import payments_jobs
    from sifund.web.payment_models import PaymentRun

    run = queued(tree)
    payments_jobs.claim()
    assert payments_jobs.reap() == 0  # beating: left alone
    monkeypatch.setenv("SIFUND_PAYMENTS_JOB_MAX_MINUTES", "1")
    PaymentRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=2))
    assert payments_jobs.reap() == 1
    r = PaymentRun.objects.get(pk=run.pk)
    assert (
        r.state == "failed"
        and r.error == "file 筛查超时（超过1分钟未完成），请拆分数据后重新上传，或联系管理员"
    )


def test_a_result_of_an_attempt_taken_away_is_not_stored(tree, monkeypatch):
    """The reaper gave the run to another attempt while this one was still auditing: this one's
    hits are discarded, so a run is never stored twice."""
    from sifund.web import payments, payments_jobs
    from sifund.web.payment_models import PaymentHit, PaymentRun

    run = queued(tree)
    mine = payments_jobs.claim()
    real = payments.audit_tables

    def slow(*args, **kwargs):
        PaymentRun.objects.filter(pk=run.pk).update(state="queued")  # presumed dead, re-queued …
        assert payments_jobs.claim().attempts == 2  # … and taken by another worker
        return real(*args, **kwargs)

    monkeypatch.setattr(payments, "audit_tables", slow)
    after = payments_jobs.execute(mine)
    assert (after.state, after.attempts) == ("running", 2) and PaymentHit.objects.count() == 0


def test_a_run_not_finished_gives_no_report_figures(tree, county_submission):
    from sifund.web import payments
    from sifund.web.scope import actor

    run = queued(tree)
    PaymentRun = type(run)
    PaymentRun.objects.filter(pk=run.pk).update(year_first=2023, year_last=2023)  # as if it covered 2023
    assert payments.latest_run(run.region, 2023) is None
    with pytest.raises(payments.BadInput, match="排队中"):
        payments.feed_submission(actor(tree["users"]["county-prep"]), county_submission.pk, run.pk)


QUEUE_ONE = """
import sys
from pathlib import Path
from sifund.web.commands import _start
_start(sys.argv[1])
from django.conf import settings
from django.contrib.auth import get_user_model
from sifund.web import payments
from sifund.web.models import Profile, Region
from sifund.web.scope import actor
region = Region.objects.create(name="丙县", level="county")
user = get_user_model().objects.create(username="prep")
Profile.objects.create(user=user, region=region, role="preparer")
Path(settings.UPLOAD_DIR).mkdir(parents=True, exist_ok=True)
zpath = Path(settings.UPLOAD_DIR) / "queued.zip"
zpath.write_bytes(Path(sys.argv[2]).read_bytes())
print(payments.queue_run(actor(user), region, zpath, "丙县.zip").pk)
"""


def test_run_jobs_once_executes_one_queued_run_from_the_command_line(tmp_path):
    """``sifund web run-jobs --once``: what an operator (or a cron job) runs beside the server."""
    import subprocess
    import sys

    from .test_commands import run

    data, tables = tmp_path / "data", tmp_path / "t.zip"
    tables.write_bytes(tables_zip())
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("SIFUND_", "DJANGO_"))}
    q = subprocess.run([sys.executable, "-c", QUEUE_ONE, str(data), str(tables)], capture_output=True,
                       text=True, env=env, timeout=120)  # fmt: skip
    assert q.returncode == 0, q.stderr
    p = run("web", "run-jobs", "--once", data=data)
    assert (
        p.returncode == 0 and p.stdout.strip() == f"疑点筛查 {q.stdout.strip()}（丙县）：已完成，疑点1条"
    ), p
    again = run("web", "run-jobs", "--once", data=data)
    assert again.returncode == 0 and "没有排队的疑点筛查" in again.stdout
    assert not list((data / "uploads").iterdir())
