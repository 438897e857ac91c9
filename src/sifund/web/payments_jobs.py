"""Background audits of uploaded payment tables: a queue that is the ``PaymentRun`` table itself.

Why this design: a province's .zip takes minutes to audit, far longer than a web request may hold a
worker, and the product runs as one ``sifund serve`` on one machine (SQLite or PostgreSQL) with no
broker to operate. So the upload stores the file, writes a run in state 排队中 (``queued``) and
answers at once; a job thread in every ``sifund serve`` process (:func:`start_thread`) — or an
operator's ``sifund web run-jobs`` — takes queued runs one at a time:

- **claim** (:func:`claim`): ``UPDATE … SET state='running' WHERE id=? AND state='queued'``. The
  conditional UPDATE is atomic on SQLite and on PostgreSQL (a second claimant re-reads the row after
  the first commits and updates nothing), so two processes never execute one run, and no transaction
  or row lock is held while the audit runs.
- **execute** (:func:`execute`): unpack and audit (:func:`sifund.web.payments.audit_tables`), then in
  one transaction store the hits and set 已完成 — only if the run is still this attempt's (``state``
  and ``attempts`` unchanged), so a run taken away from a presumed-dead worker is not stored twice.
  Bad input (a bad amount, a missing column, a zip bomb) and crashes set 失败 with one Chinese
  line. The uploaded file is deleted when the run is finished either way.
- **heartbeat**: while a run executes, a timer thread stamps ``heartbeat`` every
  :data:`HEARTBEAT_SECONDS`. **reap** (:func:`reap`, before every claim): a run 筛查中 whose heartbeat
  is older than :data:`STALE_SECONDS` lost its worker (the process was killed or restarted) and is
  queued again, at most :data:`MAX_ATTEMPTS` executions in all, then 失败; a run 筛查中 for longer
  than :func:`max_seconds` (``$SIFUND_PAYMENTS_JOB_MAX_MINUTES``, default 240) is 失败 (超时)
  whatever its heartbeat — no run stays 筛查中 forever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from sifund.web.payment_models import DONE, FAILED, QUEUED, RUNNING, PaymentRun

log = logging.getLogger("sifund.web.payments_jobs")

POLL_SECONDS = 2.0  # how often an idle job thread looks for queued runs (an upload here wakes it)
HEARTBEAT_SECONDS = 15.0
STALE_SECONDS = 120.0  # no heartbeat for this long: the worker is gone
MAX_ATTEMPTS = 2  # executions of one run (the first and one retry after a lost worker)

_wake = threading.Event()
_thread: threading.Thread | None = None


def max_seconds() -> float:
    """The longest a run may be 筛查中 before it is failed (超时)."""
    return float(os.environ.get("SIFUND_PAYMENTS_JOB_MAX_MINUTES", "240")) * 60


def worker_enabled() -> bool:
    """Whether ``sifund serve`` starts its job thread (``SIFUND_PAYMENTS_JOBS=0``: not, e.g. when
    a separate ``sifund web run-jobs`` service executes the runs)."""
    return os.environ.get("SIFUND_PAYMENTS_JOBS", "1") != "0"


def wake() -> None:
    """Tell this process's job thread that a run was queued (on the upload's commit)."""
    _wake.set()


def upload_path(r: PaymentRun) -> Path:
    return Path(settings.UPLOAD_DIR) / Path(r.upload).name


def _fail(r: PaymentRun, problems: list[dict[str, str]], attempt: int | None = None) -> bool:
    """Set run ``r`` 失败 with ``problems`` (if it is still queued or running, and still execution
    ``attempt`` when given); delete its file. True if this call failed it."""
    qs = PaymentRun.objects.filter(pk=r.pk, state__in=[QUEUED, RUNNING])
    if attempt is not None:
        qs = qs.filter(attempts=attempt)
    n = qs.update(state=FAILED, problems=problems[:50], finished_at=timezone.now())
    if n and r.upload:
        upload_path(r).unlink(missing_ok=True)
    return bool(n)


def reap(now: Any = None) -> int:
    """Queue again or fail the runs 筛查中 whose worker is gone, and fail those over the time bound.
    Returns how many runs it changed."""
    now = now or timezone.now()
    changed = 0
    stale = now - timedelta(seconds=STALE_SECONDS)
    late = now - timedelta(seconds=max_seconds())
    for r in PaymentRun.objects.filter(state=RUNNING).only(
        "pk", "upload", "attempts", "heartbeat", "started_at"
    ):
        if r.started_at is not None and r.started_at < late:
            minutes = round(max_seconds() / 60)
            msg = f"筛查超时（超过{minutes}分钟未完成），请拆分数据后重新上传，或联系管理员"
            changed += _fail(r, [{"place": "file", "message": msg}], r.attempts)
        elif r.heartbeat is None or r.heartbeat < stale:
            if r.attempts >= MAX_ATTEMPTS:
                msg = f"筛查中断（已执行{r.attempts}次，执行进程均未完成），请重新上传"
                changed += _fail(r, [{"place": "file", "message": msg}], r.attempts)
            else:
                changed += PaymentRun.objects.filter(
                    pk=r.pk, state=RUNNING, attempts=r.attempts, heartbeat=r.heartbeat
                ).update(state=QUEUED)
    return changed


def claim() -> PaymentRun | None:
    """The oldest queued run, now 筛查中 and this caller's (see the module docstring), or None."""
    for pk in PaymentRun.objects.filter(state=QUEUED).order_by("id").values_list("pk", flat=True)[:20]:
        now = timezone.now()
        n = PaymentRun.objects.filter(pk=pk, state=QUEUED).update(
            state=RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat=now
        )
        if n:
            return PaymentRun.objects.select_related("region", "created_by").get(pk=pk)
    return None


class _Heartbeat:
    """Stamps the run's ``heartbeat`` every :data:`HEARTBEAT_SECONDS` from a thread of its own (the
    audit holds the executing thread; DuckDB releases the GIL while it works)."""

    def __init__(self, pk: int, attempt: int) -> None:
        self.pk, self.attempt = pk, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"sifund-heartbeat-{pk}", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                PaymentRun.objects.filter(pk=self.pk, state=RUNNING, attempts=self.attempt).update(
                    heartbeat=timezone.now()
                )
        except Exception:  # a missed beat is retried by the reaper, never fatal here
            log.exception("heartbeat of payment run %s", self.pk)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join(timeout=HEARTBEAT_SECONDS)


def execute(r: PaymentRun) -> PaymentRun:
    """Audit a claimed run's file and finish the run: 已完成 with its hits, or 失败 with the reason."""
    from sifund.web import payments as pay

    attempt = r.attempts
    try:
        with _Heartbeat(r.pk, attempt):
            result = pay.audit_tables(upload_path(r), r.source_name, r.engine or "duckdb")
            version = pay.builtin_catalogue_version()
        with transaction.atomic():
            mine = (
                PaymentRun.objects.select_for_update()
                .filter(pk=r.pk, state=RUNNING, attempts=attempt)
                .first()
            )
            if mine is None:  # reaped meanwhile: another attempt (or the time bound) has it
                log.warning("payment run %s attempt %s was taken away; result discarded", r.pk, attempt)
                return PaymentRun.objects.get(pk=r.pk)
            mine.catalogue_version = version[:64]
            mine.state, mine.finished_at, mine.problems = DONE, timezone.now(), []
            pay.fill_run(mine, pay.parse_result(result))
        upload_path(r).unlink(missing_ok=True)
    except pay.BadInput as e:
        _fail(r, e.problems or [{"place": "file", "message": "文件无法读取"}], attempt)
    except FileNotFoundError:
        _fail(r, [{"place": "file", "message": "待筛查的文件已不存在，请重新上传"}], attempt)
    except Exception as e:  # a crash: the run says so in one line, the log has the traceback
        log.exception("payment run %s failed", r.pk)
        what = " ".join(str(e).split())[:200]
        _fail(r, [{"place": "", "message": f"筛查出错（{type(e).__name__}：{what}），请联系管理员"}], attempt)
    return PaymentRun.objects.get(pk=r.pk)


def run_once() -> PaymentRun | None:
    """Reap, then execute one queued run if there is one; returns it (finished) or None."""
    reap()
    r = claim()
    return execute(r) if r is not None else None


def run_pending(limit: int | None = None) -> int:
    """Execute queued runs until none is left (or ``limit``); returns how many were executed."""
    n = 0
    while limit is None or n < limit:
        if run_once() is None:
            break
        n += 1
    return n


def _loop(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            busy = run_once() is not None
        except Exception:  # the database is away for a moment: try again on the next round
            log.exception("payment job thread")
            busy = False
        finally:
            with contextlib.suppress(Exception):
                connection.close()
        if not busy:
            _wake.wait(POLL_SECONDS)
            _wake.clear()


def start_thread() -> threading.Thread | None:
    """Start this process's job thread (once; a daemon: it ends with the process, and a run it was
    executing is queued again by the next reap). None when disabled (:func:`worker_enabled`)."""
    global _thread
    if not worker_enabled():
        return None
    if _thread is None or not _thread.is_alive():
        _thread = threading.Thread(
            target=_loop, args=(threading.Event(),), name="sifund-payment-jobs", daemon=True
        )
        _thread.start()
    return _thread
