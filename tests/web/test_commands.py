"""The web commands of web.md, run as a user runs them (a fresh process, a fresh data folder):
``sifund regions add``, ``sifund users add`` (password on stdin) and ``sifund serve``'s refusals.
Each problem is one line on stderr with exit 1, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

SIFUND = [sys.executable, "-m", "sifund"]


def run(*args: str, data: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SIFUND_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [*SIFUND, *args, "--data", str(data)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def one_error_line(p: subprocess.CompletedProcess[str]) -> str:
    assert p.returncode == 1, p.stdout + p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误 error:"), p.stderr
    return lines[0]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("web-data")
    assert run("regions", "add", "甲省", "--level", "province", data=d).returncode == 0
    assert run("regions", "add", "乙市", "--level", "city", "--parent", "甲省", data=d).returncode == 0
    p = run("regions", "add", "丙县", "--level", "county", "--parent", "乙市", data=d)
    assert p.returncode == 0 and "丙县" in p.stdout
    return d


def test_a_region_tree_and_a_user_are_added_and_the_user_can_log_in(data):
    p = run(
        "users",
        "add",
        "bing",
        "--role",
        "preparer",
        "--region",
        "丙县",
        data=data,
        stdin="Bing-county-2026\n",
    )
    assert p.returncode == 0 and "bing" in p.stdout
    check = (
        "from sifund.web import setup; setup(); from django.contrib.auth import authenticate;"
        "u = authenticate(username='bing', password='Bing-county-2026');"
        "print(u.sifund.region.name, u.sifund.region.parent.name, u.sifund.role)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SIFUND_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         env={**env, "SIFUND_DATA": str(data)}, timeout=60)  # fmt: skip
    assert out.stdout.split() == ["丙县", "乙市", "preparer"], out.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (("regions", "add", "甲省", "--level", "province"), "", "已存在"),
        (("regions", "add", "丁县", "--level", "county", "--parent", "无此地"), "", "不存在"),
        (("regions", "add", "戊省", "--level", "province", "--parent", "丙县"), "", "不能隶属于"),
        (("users", "add", "x", "--role", "reviewer", "--region", "无此地"), "Good-pass-2026\n", "不存在"),
        (("users", "add", "y", "--role", "preparer", "--region", "丙县"), "12345678\n", "密码不符合要求"),
    ],
)
def test_a_bad_command_is_one_line_and_exit_1(data, args, stdin, says):
    assert says in one_error_line(run(*args, data=data, stdin=stdin))


def test_serve_refuses_a_taken_port_and_an_unusable_folder(data, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert "端口" in one_error_line(run("serve", "--port", str(port), data=data))
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    assert "不是文件夹" in one_error_line(run("serve", "--port", str(port), data=a_file))  # port free again


def test_serve_with_two_workers_answers_and_stops_on_sigterm(data):
    import signal
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("SIFUND_DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    proc = subprocess.Popen([*SIFUND, "serve", "--port", str(port), "--workers", "2", "--data", str(data)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == f"sifund web: http://127.0.0.1:{port}/"
        codes = []
        for _ in range(6):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as r:
                codes.append(r.status)
        assert codes == [200] * 6
    finally:
        proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert proc.returncode == 0, proc.stderr.read()
    with socket.socket() as s:  # the workers are gone with it: nothing listens on the port any more
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # closed connections may linger
        s.bind(("127.0.0.1", port))


def test_pre_forked_workers_rotate_keep_alive_connections():
    """With --workers N an answer now and then closes its keep-alive connection, so clients
    reconnect and land on the idler worker (see commands.rotating_channel)."""
    import contextlib
    import socket as socketlib
    import threading

    from waitress import create_server

    from sifund.web.commands import rotating_channel

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    def answers(rand):
        sock = socketlib.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        server = create_server(app, sockets=[sock], threads=1)
        server.channel_class = rotating_channel(every=32, rand=rand)
        def run():
            with contextlib.suppress(OSError):  # select() on the socket closed below
                server.run()

        t = threading.Thread(target=run, daemon=True)
        t.start()
        try:
            import http.client

            c = http.client.HTTPConnection("127.0.0.1", sock.getsockname()[1], timeout=10)
            c.request("GET", "/")
            r = c.getresponse()
            return r.status, r.read(), r.getheader("Connection")
        finally:
            server.close()

    assert answers(lambda: 0.01) == (200, b"ok", "close")
    assert answers(lambda: 0.5) == (200, b"ok", None)


def test_password_reasons_are_chinese():
    """Django 5.2's zh-hans catalogue lacks the too-short text; sifund says each reason itself."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from sifund.web.commands import password_problems

    try:
        validate_password("1234")
    except ValidationError as e:
        reasons = password_problems(e)
    assert "密码太短，至少需要 8 个字符" in reasons and "密码不能全是数字" in reasons
    assert not any(c.isascii() and c.isalpha() for r in reasons for c in r)
