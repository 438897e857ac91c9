"""The web commands of ``sifund`` (web.md): ``serve``, ``regions add``, ``users add``,
``web run-jobs`` (and ``load``, see :mod:`sifund.web.bulk`). Each starts Django on the data
folder, does its one job in a transaction and answers with one line; a problem is one line on
stderr and exit 1.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from sifund.core.errors import SifundError


def _start(data: str | Path | None, migrate: bool = True) -> Path:
    """Django on ``data`` (created when missing), migrated. SifundError when DIR is unusable."""
    from sifund.web import data_dir

    d = data_dir(data)
    try:
        if d.exists() and not d.is_dir():
            raise SifundError(f"数据目录不是文件夹 data folder is not a directory: {d}", file=str(d))
        d.mkdir(parents=True, exist_ok=True)
        probe = d / ".sifund-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise SifundError(f"数据目录不可用 data folder unusable: {e.strerror or e}", file=str(d)) from None
    from sifund.web import setup

    setup(d)
    from django.utils import translation

    translation.activate("zh-hans")  # Django's own messages (password rules) in Chinese, as on the pages
    if migrate:
        from django.core.management import call_command

        try:
            call_command("migrate", verbosity=0, interactive=False)
        except Exception as e:  # a database that cannot be reached or written
            raise SifundError(
                f"数据库不可用 database unusable: {' '.join(str(e).split())[:300]}", file=str(d)
            ) from None
    return d


def add_region(name: str, level: str, parent: str | None, data: str | Path | None) -> str:
    _start(data)
    from django.db import transaction

    from sifund.web.models import LEVEL_NAMES, LEVEL_SYNONYMS, Region

    name = (name or "").strip()
    level = LEVEL_SYNONYMS.get(level, level)
    if not name or len(name) > 100 or "\n" in name:
        raise SifundError("地区名称应为 1–100 个字符的一行 region name must be one line of 1–100 characters")
    if level not in LEVEL_NAMES:
        raise SifundError(f"级别应为 province/prefecture/county，而不是 {level!r}")
    with transaction.atomic():
        if Region.objects.filter(name=name).exists():
            raise SifundError(f"地区“{name}”已存在 region already exists")
        up = None
        if parent:
            up = Region.objects.filter(name=parent.strip()).first()
            if up is None:
                raise SifundError(f"上级地区“{parent}”不存在 parent region not found")
            order = list(LEVEL_NAMES)
            if order.index(level) <= order.index(up.level):
                raise SifundError(
                    f"“{name}”（{LEVEL_NAMES[level]}）不能隶属于同级或下级地区“{up.name}”（{up.level_name}）"
                )
        Region.objects.create(name=name, level=level, parent=up)
    where = f"，上级 {up.name}" if up else ""
    return f"已添加地区 region added: {name}（{LEVEL_NAMES[level]}{where}）"


def add_user(username: str, role: str, region: str, password: str, data: str | Path | None) -> str:
    _start(data)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from sifund.web.models import ROLE_NAMES, Profile, Region

    username = (username or "").strip()
    if not username or len(username) > 150 or any(c.isspace() for c in username):
        raise SifundError(
            "用户名应为 1–150 个字符且不含空白 username must be 1–150 characters without spaces"
        )
    if role not in ROLE_NAMES:
        raise SifundError(f"角色应为 preparer/reviewer/admin，而不是 {role!r}")
    User = get_user_model()
    with transaction.atomic():
        reg = Region.objects.filter(name=(region or "").strip()).first()
        if reg is None:
            raise SifundError(f"地区“{region}”不存在 region not found（先用 sifund regions add 添加）")
        if User.objects.filter(username=username).exists():
            raise SifundError(f"用户“{username}”已存在 user already exists")
        user = User(username=username, is_staff=role == "admin", is_superuser=role == "admin")
        try:
            validate_password(password, user)
        except ValidationError as e:
            reasons = "；".join(password_problems(e))
            raise SifundError(f"密码不符合要求 password rejected: {reasons}") from None
        user.set_password(password)
        user.save()
        Profile.objects.create(user=user, region=reg, role=role)
    return f"已添加用户 user added: {username}（{reg.name} · {ROLE_NAMES[role]}）"


def read_password() -> str:
    """One line from standard input (web.md): no echo prompt, no trailing newline kept."""
    line = sys.stdin.readline(1024)
    return line.rstrip("\r\n")


def _port_free(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise SifundError(f"无法解析主机 cannot resolve host {host!r}: {e.strerror}") from None
    fam, _, _, _, addr = infos[0]
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.bind(addr)
    except OSError as e:
        raise SifundError(
            f"端口 {port} 已被占用或无法绑定 port in use or cannot bind ({host}:{port}): {e.strerror or e}"
        ) from None
    finally:
        s.close()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, made here so that pre-forked workers share it (one port, the kernel
    hands each connection to whichever worker accepts first)."""
    fam, _, _, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(fam, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(1024)
    except OSError as e:
        sock.close()
        raise SifundError(
            f"端口 {port} 已被占用或无法绑定 port in use ({host}:{port}): {e.strerror or e}"
        ) from None
    return sock


ROTATE_EVERY = 32  # a pre-forked worker closes a keep-alive connection after ~this many answers


def rotating_channel(every: int = ROTATE_EVERY, rand: Any = None) -> type:
    """A waitress channel class whose answers close their keep-alive connection about one time in
    ``every`` (``Connection: close``).

    Why: pre-forked workers share one listening socket, and a client that keeps its connection
    stays with the worker that happened to accept it. Measured with 50 keep-alive clients on two
    workers: 32 and 18 connections, 75 % and 45 % of a core, and the busier worker's queue made
    the slow tail. A client whose connection closes reconnects at once (browsers and http.client
    do), and the new connection goes to whichever worker accepts first — usually the idler one —
    so the load evens out (nginx's ``keepalive_requests`` exists for the same reason). Done in the
    server, not the app: PEP 3333 forbids an application to set ``Connection``."""
    import random

    from waitress.channel import HTTPChannel
    from waitress.task import WSGITask

    chance = rand or random.random

    class RotatingTask(WSGITask):
        def execute(self) -> None:
            if chance() * every < 1:
                self.set_close_on_finish()  # before the app's headers: adds Connection: close
            super().execute()

    class RotatingChannel(HTTPChannel):
        task_class = RotatingTask

    return RotatingChannel


def _run_worker(sock: socket.socket, threads: int, rotate: bool = False) -> None:
    """One waitress server on the (shared) socket until SIGINT/SIGTERM; ``rotate``: see
    :func:`rotating_channel`."""
    from waitress import create_server

    from sifund.web.wsgi import application

    server: Any = create_server(
        application,
        sockets=[sock],
        threads=threads,
        ident="sifund",
        clear_untrusted_proxy_headers=True,
        max_request_body_size=_body_cap(),
    )
    if rotate:
        server.channel_class = rotating_channel()
    from sifund.web import payments_jobs

    payments_jobs.start_thread()  # this process's background audits of uploaded .zip files

    def stop(signum: int, frame: Any = None) -> None:
        server.close()
        raise SystemExit(0)

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, stop)
    _settle_gc()
    with contextlib.suppress(SystemExit):
        server.run()


def _settle_gc() -> None:
    """Move everything loaded so far (Django, the URL map, schemas, code lists) out of the cyclic
    collector's reach, and let it run less often.

    Why: a full collection walks every tracked object while holding the GIL, so all of a worker's
    threads stop; over ~10⁵ start-up objects that was up to 130 ms at a time, several times a
    minute under load (measured on the bench data: 4 full passes in 600 requests, 484 ms in all;
    after freeze 44 ms, the longest 10 ms) — the slowest requests of bench_web were those pauses.
    Request garbage is mostly acyclic and freed by reference counting anyway."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports every view module (and the API) now, not at the first request
    gc.collect()
    gc.freeze()
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, 10_000), gen1, gen2)


# Django's zh-hans catalogue lacks some validator texts of 5.2 (they came out in English); ours, by code
PASSWORD_TEXTS = {
    "password_too_short": "密码太短，至少需要 {min_length} 个字符",
    "password_too_common": "这个密码太常见了",
    "password_entirely_numeric": "密码不能全是数字",
    "password_too_similar": "密码与用户名等个人信息太相似",
}


def password_problems(e: Any) -> list[str]:
    """The Chinese reason of each failed password check (Django's own text for a check we do
    not know)."""
    out = []
    for err in e.error_list:
        text = PASSWORD_TEXTS.get(err.code or "")
        out.append(text.format(**(err.params or {})) if text else " ".join(err.messages))
    return out


def serve(
    host: str, port: int, data: str | Path | None, demo: bool, threads: int = 8, workers: int = 1
) -> None:
    """Migrate, (load the demo), and serve with waitress until SIGINT/SIGTERM.

    ``workers`` > 1 pre-forks that many processes on one socket (POSIX): Python runs one thread
    at a time per process, so a 2-core machine serves about twice as many pages with 2 workers
    (measured in benchmarks/bench_web.py). SQLite in WAL mode takes writers from several
    processes; each waits for the other's commit (busy timeout)."""
    if not 0 < port < 65536:
        raise SifundError(f"端口应在 1–65535 之间 port out of range: {port}")
    if not 1 <= workers <= 64 or not 1 <= threads <= 256:
        raise SifundError("--workers 应在 1–64、--threads 应在 1–256 之间")
    if workers > 1 and not hasattr(os, "fork"):
        raise SifundError("此系统不支持 --workers（需要 fork）；请用 --workers 1 或 gunicorn")
    _port_free(host, port)
    d = _start(data)
    if demo:
        from sifund.web.demo import load_demo

        for line in load_demo():
            print(line, flush=True)
    sock = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    if workers == 1:
        print(f"sifund web: http://{shown}:{port}/", flush=True)
        print(f"数据目录 data: {d}", flush=True)
        _run_worker(sock, threads)
        return
    from django.db import connections

    connections.close_all()  # no database connection crosses a fork
    children: set[int] = set()

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                _run_worker(sock, threads, rotate=True)
            finally:
                os._exit(0)
        children.add(pid)

    for _ in range(workers):
        spawn()
    stopping = {"now": False}

    def stop(signum: int, frame: Any = None) -> None:
        stopping["now"] = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, stop)
    print(f"sifund web: http://{shown}:{port}/", flush=True)
    print(f"数据目录 data: {d}（{workers} 个工作进程 × {threads} 线程）", flush=True)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping["now"]:  # a worker died: keep the service up
            print(f"sifund web: 工作进程 {pid} 已退出，重新启动 worker exited, restarting", flush=True)
            spawn()


def run_jobs(data: str | Path | None, once: bool = False) -> str:
    """``sifund web run-jobs``: execute the queued payment audits (uploaded .zip files) — all of
    them, or one with ``once`` — and say how many; without ``once`` it then keeps polling until
    SIGINT/SIGTERM, as a service beside ``sifund serve`` with ``SIFUND_PAYMENTS_JOBS=0``."""
    import time

    _start(data)
    from sifund.web import payments_jobs

    if once:
        r = payments_jobs.run_once()
        if r is None:
            return "没有排队的疑点筛查 no queued payment audit"
        return f"疑点筛查 {r.pk}（{r.region.name}）：{r.state_name}" + (
            f"，疑点{r.hit_count}条" if r.state == "done" else f"：{r.error}"
        )
    stop = {"now": False}

    def on_signal(signum: int, frame: Any = None) -> None:
        stop["now"] = True

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, on_signal)
    n = 0
    print("sifund web run-jobs: 等待排队的疑点筛查 waiting for queued payment audits", flush=True)
    while not stop["now"]:
        done = payments_jobs.run_pending()
        n += done
        if not done:
            time.sleep(payments_jobs.POLL_SECONDS)
    return f"已执行疑点筛查 {n} 次 payment audits executed: {n}"


def _body_cap() -> int:
    from django.conf import settings

    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) + 4 * 1024 * 1024
