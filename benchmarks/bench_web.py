"""Benchmark: the web platform under load — 3,000 region-year submissions, 50 concurrent clients.

    .venv/bin/python benchmarks/bench_web.py [--submissions 3000] [--clients 50] [--seconds 60]
        [--think 1.0] [--jobs 2] [--threads 8] [--servers 1] [--seed 20240101] [--keep] [--data DIR]
        [--profile OUT.txt --py-spy PATH] [--load-only]

1. A fresh data folder: a synthetic province (1 province, 14 prefectures, 300 counties; seeded,
   :mod:`sifund.web.synth`), a province reviewer; one dataset file per county-year (JSON, all
   counties × as many years as ``--submissions`` needs), imported with ``sifund load DIR
   --jobs N`` as a subprocess — the real path: read, check, evaluate, store, one transaction per
   file. Timed: submissions/s.
2. ``sifund serve`` (waitress, ``--threads``) on a free loopback port, in a subprocess
   (``--servers N``: N of them on N ports over the same data, the clients spread over them — what
   a multi-worker deployment behind a proxy does; one waitress process uses one core, the GIL).
3. ``--clients`` threads, each logged in with the reviewer's session cookie and its own keep-alive
   connection, for ``--seconds``: each request picks an endpoint of the mix (the dashboard page,
   the dashboard API, a submission page, the submission API, the submission list API of one year)
   and a random submission; after each answer the client waits ``--think`` seconds on average
   (uniform 0…2×think; 0 = as fast as it can, i.e. a saturation test). Every answer other than
   200 (or a refused connection, a timeout) is an error.
4. Prints p50/p95/p99/max latency, errors and requests/s per endpoint and overall, the load
   average of the machine before/after, and the ``sifund load`` throughput. The data folder is
   removed unless ``--keep`` (or ``--data``) is given; ``--data DIR`` with an existing loaded
   folder skips step 1. ``--profile OUT`` records the server with py-spy during step 3 (collapsed
   stacks: one line per stack and its sample count; sum them by frame to see where time goes).

Only the standard library on the client side (http.client, threads), so the client's own cost is
small and the numbers are the server's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
SIFUND = [sys.executable, "-m", "sifund"]
REVIEWER, PASSWORD = "bench-reviewer", "Bench-Password-42"
ENDPOINTS = {  # name → (weight, path template); {id} is a random submission, {year} the last year
    "dashboard page": (2, "/dashboard/"),
    "dashboard API": (2, "/api/v1/dashboard?year={year}"),
    "submission page": (3, "/submissions/{id}/"),
    "submission API": (3, "/api/v1/submissions/{id}"),
    "list API": (2, "/api/v1/submissions?year={year}"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process and its live children (``serve --workers``) have used
    (Linux /proc; 0 elsewhere)."""
    total = 0.0
    try:
        pids = [pid] + [
            int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p.name) == pid
        ]
        for p in pids:
            fields = _stat(p)
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        pass
    return total


def _ppid(pid: str) -> int:
    try:
        return int(_stat(pid)[1])
    except (OSError, ValueError, IndexError):
        return -1


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU jiffies of the whole machine so far (Linux /proc/stat)."""
    try:
        v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = v[3] + (v[4] if len(v) > 4 else 0)
        return sum(v) - idle, sum(v)
    except (OSError, ValueError, IndexError):
        return 0.0, 0.0


def loadavg() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


# ---- 1. the data ------------------------------------------------------------------------------


def build(data: Path, n: int, seed: int, jobs: int) -> dict:
    """Regions, the reviewer, N dataset files, ``sifund load``; returns the timings."""
    sys.path.insert(0, str(ROOT / "src"))
    from sifund.web.commands import _start

    _start(data)
    from django.contrib.auth import get_user_model
    from django.db import connections, transaction

    from sifund.web import synth
    from sifund.web.models import Profile, Region

    places = synth.tree(seed)
    counties = [p for p in places if p.level == "county"]
    years = list(range(synth.BASE_YEAR - math.ceil(n / len(counties)) + 1, synth.BASE_YEAR + 1))
    with transaction.atomic():
        made: dict[str, Region] = {}
        for p in places:
            made[p.name] = Region.objects.create(
                name=p.name, level=p.level, parent=made[p.parent] if p.parent else None
            )
        u = get_user_model()(username=REVIEWER)
        u.set_password(PASSWORD)
        u.save()
        Profile.objects.create(user=u, region=made[places[0].name], role="reviewer")
    connections.close_all()
    files_dir = Path(tempfile.mkdtemp(prefix="sifund-bench-files-"))
    try:
        t0 = time.perf_counter()
        pairs = [(c, y) for c in counties for y in years][:n]
        written = 0
        for c, y in pairs:
            ds = synth.dataset(c.name, y, seed, c.level)
            d = files_dir / c.parent
            d.mkdir(exist_ok=True)
            (d / f"{c.name}-{y}.json").write_text(json.dumps(ds, ensure_ascii=False), encoding="utf-8")
            written += 1
        t_gen = time.perf_counter() - t0
        print(f"generated {written} dataset files in {t_gen:.1f} s ({written / t_gen:.0f}/s)", flush=True)
        t0 = time.perf_counter()
        cmd = [*SIFUND, "load", str(files_dir), "--data", str(data), "--jobs", str(jobs)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        t_load = time.perf_counter() - t0
        tail = (r.stdout.strip().splitlines() or [""])[-1]
        print(
            f"sifund load --jobs {jobs}: {tail} in {t_load:.1f} s = {written / t_load:.1f} submissions/s",
            flush=True,
        )
        if r.returncode != 0:
            print(r.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"sifund load failed (exit {r.returncode})")
        return {"files": written, "generate_s": t_gen, "load_s": t_load, "years": years}
    finally:
        shutil.rmtree(files_dir, ignore_errors=True)


# ---- 2. the server ----------------------------------------------------------------------------


class Server:
    def __init__(self, data: Path, threads: int, workers: int = 1):
        self.port = free_port()
        cmd = [*SIFUND, "serve", "--data", str(data), "--port", str(self.port), "--threads", str(threads),
               "--workers", str(workers)]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("sifund web:"):
                break
            if time.monotonic() > deadline:
                break
        else:
            raise SystemExit(f"sifund serve did not start (exit {self.proc.poll()})")
        # keep draining its output (warnings would fill the pipe and block the server)
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def login(port: int) -> str:
    """The session cookie of the reviewer (the login form, with its CSRF token)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/login/")
    r = c.getresponse()
    page = r.read().decode("utf-8", "replace")
    cookies = _cookies(r)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    body = urlencode(
        {"username": REVIEWER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "Referer": f"http://127.0.0.1:{port}/login/",
    }
    c.request("POST", "/login/", body, headers)
    r = c.getresponse()
    r.read()
    cookies.update(_cookies(r))
    if "sessionid" not in cookies:
        raise SystemExit(f"login failed: HTTP {r.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(r: http.client.HTTPResponse) -> dict[str, str]:
    out = {}
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            out[name.strip()] = rest.split(";", 1)[0]
    return out


# ---- 3. the clients ---------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)  # the first error of each endpoint
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds)
            if error:
                self.errors[name] = self.errors.get(name, 0) + 1
                self.samples.setdefault(name, error)


def client(
    port: int, cookie: str, ids: list[int], year: int, until: float, think: float, seed: int, st: Stats
):
    rng = random.Random(seed)
    names = list(ENDPOINTS)
    weights = [ENDPOINTS[n][0] for n in names]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Accept": "text/html,application/json"}
    while time.monotonic() < until:
        name = rng.choices(names, weights)[0]
        path = ENDPOINTS[name][1].format(id=rng.choice(ids), year=year)
        t0 = time.perf_counter()
        error = ""
        try:
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                error = f"HTTP {r.status} {path}: {body[:120]!r}"
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as e:
            error = f"{type(e).__name__}: {e} {path}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        st.add(name, time.perf_counter() - t0, error)
        if think > 0:
            time.sleep(rng.uniform(0, 2 * think))
    conn.close()


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(q / 100 * len(s)) - 1))]


def report(st: Stats, seconds: float) -> list[str]:
    head = "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |"
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    every: list[float] = []
    for name in ENDPOINTS:
        xs = st.latencies.get(name, [])
        every += xs
        lines.append(_row(name, xs, st.errors.get(name, 0), seconds))
    lines.append(_row("**overall**", every, sum(st.errors.values()), seconds))
    return lines


def _row(name: str, xs: list[float], errors: int, seconds: float) -> str:
    ms = [x * 1000 for x in xs]
    return (
        f"| {name} | {len(xs)} | {errors} | {pct(ms, 50):.0f} | {pct(ms, 95):.0f} | {pct(ms, 99):.0f} | "
        f"{max(ms) if ms else float('nan'):.0f} | {len(xs) / seconds:.1f} |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a client's requests (s)")
    ap.add_argument("--jobs", type=int, default=2, help="sifund load --jobs")
    ap.add_argument("--threads", type=int, default=8, help="sifund serve --threads (waitress)")
    ap.add_argument("--servers", type=int, default=1, help="server processes (clients spread over them)")
    ap.add_argument("--workers", type=int, default=1, help="sifund serve --workers (pre-forked, one port)")
    ap.add_argument("--seed", type=int, default=20240101)
    ap.add_argument("--keep", action="store_true", help="keep the data folder")
    ap.add_argument("--load-only", action="store_true", help="step 1 only: time sifund load, no server")
    ap.add_argument("--data", type=Path, help="use (and keep) this data folder; loaded already: no step 1")
    ap.add_argument("--profile", type=Path, help="record the server with py-spy into this file (raw stacks)")
    ap.add_argument("--py-spy", default="py-spy", help="the py-spy executable (pip install py-spy)")
    args = ap.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="sifund-bench-data-"))
    keep = args.keep or args.data is not None
    print(f"data folder: {data}; load average before: {loadavg()}; {os.cpu_count()} CPUs", flush=True)
    built = None
    if not (data / "sifund.sqlite3").exists():
        built = build(data, args.submissions, args.seed, args.jobs)
    if args.load_only:
        if not keep:
            shutil.rmtree(data, ignore_errors=True)
        return
    servers = [Server(data, args.threads, args.workers) for _ in range(args.servers)]
    server = servers[0]
    try:
        cookie = login(server.port)
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        c.request("GET", "/api/v1/submissions", headers={"Cookie": cookie})
        rows = json.loads(c.getresponse().read())["results"]
        ids = [r["id"] for r in rows]
        year = max(r["year"] for r in rows)
        print(f"{len(ids)} submissions visible to {REVIEWER}; list year {year}", flush=True)
        for name, (_, p) in ENDPOINTS.items():  # warm every endpoint once (imports, templates)
            t0 = time.perf_counter()
            c.request("GET", p.format(id=ids[0], year=year), headers={"Cookie": cookie})
            r = c.getresponse()
            size = len(r.read())
            ms = (time.perf_counter() - t0) * 1000
            print(f"  warm-up {name}: HTTP {r.status}, {size / 1024:.0f} KiB, {ms:.0f} ms")
        c.close()
        st = Stats()
        spy = None
        if args.profile:
            spy = subprocess.Popen(
                [args.py_spy, "record", "--pid", str(server.proc.pid), "--duration", str(int(args.seconds)),
                 "--rate", "100", "--format", "raw", "--nonblocking", "-o", str(args.profile)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        until = time.monotonic() + args.seconds
        cpu0 = sum(cpu_seconds(s.proc.pid) for s in servers)
        me0, (busy0, all0) = time.process_time(), machine_busy()
        t0 = time.perf_counter()
        threads = [
            threading.Thread(
                target=client,
                args=(
                    servers[i % len(servers)].port,
                    cookie,
                    ids,
                    year,
                    until,
                    args.think,
                    args.seed + i,
                    st,
                ),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        server_cpu = sum(cpu_seconds(s.proc.pid) for s in servers) - cpu0
        client_cpu = time.process_time() - me0
        busy1, all1 = machine_busy()
        machine = (busy1 - busy0) / (all1 - all0) * (os.cpu_count() or 1) if all1 > all0 else 0.0
        if spy is not None:
            spy.wait(60)
    finally:
        for s in servers:
            s.stop()
        if not keep:
            shutil.rmtree(data, ignore_errors=True)
    print()
    print(
        f"{args.clients} clients × {args.seconds:.0f} s, think {args.think} s, {args.servers} server "
        f"process(es) × {args.threads} waitress threads; load average after: {loadavg()}"
    )
    print(
        f"cores busy: server {server_cpu / elapsed:.2f}, this client {client_cpu / elapsed:.2f}, "
        f"whole machine {machine:.2f} of {os.cpu_count()}"
    )
    for line in report(st, elapsed):
        print(line)
    for name, sample in st.samples.items():
        print(f"first error of {name}: {sample}")
    if built:
        rate = built["files"] / built["load_s"]
        print(f"\nsifund load: {built['files']} files in {built['load_s']:.1f} s = {rate:.1f} submissions/s")
    every = [x for xs in st.latencies.values() for x in xs]
    p95 = pct(every, 95) * 1000
    ok = p95 < 300 and not st.errors
    print(f"target p95 < 300 ms and 0 errors: {'met' if ok else 'NOT met'} (p95 {p95:.0f} ms)")
    if keep:
        print(f"data kept in {data}")


if __name__ == "__main__":
    main()
