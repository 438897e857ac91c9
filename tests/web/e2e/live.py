"""The real server and the real browser for the end-to-end tests.

``cli(..., data=DIR)`` runs the ``sifund`` command of this virtualenv (on a data folder for ``regions
add`` and ``users add``); ``Server(data)`` starts ``sifund serve`` on a free loopback port, waits for its
``sifund web: http://…/`` line and stops it with SIGTERM; ``chromium()`` launches Debian's
/usr/bin/chromium through Playwright (never a downloaded browser).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIFUND = Path(sys.executable).with_name("sifund")
START_TIMEOUT_S = 60


def env() -> dict[str, str]:
    """The server's environment: its own SQLite in the data folder, whatever the test run uses."""
    e = {k: v for k, v in os.environ.items() if not k.startswith("SIFUND_")}
    e["PYTHONUNBUFFERED"] = "1"
    return e


def cli(*args: str, data: Path | None = None, stdin: str | None = None) -> str:
    r = subprocess.run(
        [str(SIFUND), *args, *(["--data", str(data)] if data else [])],
        input=stdin,
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert r.returncode == 0, f"sifund {' '.join(args)} → {r.returncode}: {r.stderr.strip()}"
    return r.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``with Server(data) as url:`` — ``sifund serve --data DATA --port P``, ready when it says so."""

    def __init__(self, data: Path, *args: str) -> None:
        self.data = data
        self.args = args
        self.port = free_port()
        self.output: list[str] = []
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> Server:
        """Start the process (returns at once; :meth:`wait` for it to be ready)."""
        self.proc = subprocess.Popen(
            [str(SIFUND), "serve", "--data", str(self.data), "--port", str(self.port), *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env(),
        )
        self._lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:  # keep reading, so a chatty server never blocks on a full pipe
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line.rstrip("\n"))
                self._lines.put(line)
            self._lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        return self

    def wait(self) -> str:
        """The base URL (``http://127.0.0.1:PORT``) once the server has printed its ready line."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                line = self._lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None or time.monotonic() > deadline:
                self.__exit__()
                raise AssertionError("sifund serve did not start:\n" + "\n".join(self.output[-20:]))
            if line.startswith("sifund web: http://"):
                url = line.split(": ", 1)[1].strip()
                assert url == f"http://127.0.0.1:{self.port}/", url
                return url.rstrip("/")

    def __enter__(self) -> str:
        if self.proc is None:
            self.start()
        return self.wait()

    def __exit__(self, *exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium under Playwright (the caller skips when it is absent)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def logged_in_page(browser: Any, base: str, username: str, password: str, timeout_ms: int = 20_000) -> Any:
    """A 1400×1000 zh-CN page of ``browser`` logged in as ``username`` through the login form."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.set_default_timeout(timeout_ms)
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    return page
