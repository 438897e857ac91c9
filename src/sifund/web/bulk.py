"""``sifund load DIR``: import every dataset and report under a folder as submissions.

Each file is all-or-nothing: it is read, checked and evaluated first (outside any database
transaction, so the write lock is held for milliseconds, not for an evaluation), then its
submission and the ``create`` event are written in one transaction. A file that fails leaves
nothing behind and is reported with what the CLI would say about it (``FILE: PLACE: message``);
the others are imported.

Who files them: without ``--as`` the system does (``created_by`` empty, the event's user empty,
its comment “批量导入 sifund load”), and any existing region is accepted; with ``--as USER`` the
same scope rule as an upload applies (:func:`sifund.web.scope.can_create`), file by file.

Why a module of its own and not :func:`sifund.web.services.create_submission`: that function
evaluates inside its transaction; here the evaluation happens before it (and may run in worker
processes, ``--jobs``), and the stored columns are copied from that prepared evaluation.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sifund.core.errors import SifundError
from sifund.web.prepare import DATASET_SUFFIXES, REPORT_SUFFIXES

COMMENT = "批量导入 sifund load"


@dataclass
class Prepared:
    """What one file becomes before the database sees it (plain data: it crosses processes)."""

    name: str  # the file as shown to the user (DIR/sub/file.yaml)
    kind: str = ""  # yaml | json | xlsx | txt | docx | pdf
    region: str = ""
    year: int = 0
    dataset: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)  # [{"place", "message"}]: failed


@dataclass
class Result:
    imported: list[tuple[str, int]] = field(default_factory=list)  # (file, submission id)
    failed: list[tuple[str, list[dict[str, str]]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files of other types
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """One line per failed file: ``FILE: PLACE: message`` (several problems joined by ；)."""
        return [f"{name}: {describe(problems)}" for name, problems in self.failed]

    def summary(self) -> str:
        return f"已导入 {len(self.imported)} 个，失败 {len(self.failed)} 个"


def describe(problems: list[dict[str, str]]) -> str:
    return "；".join(
        f"{p['place']}: {p['message']}" if p.get("place") else p["message"] for p in problems
    ).replace("\n", " ")


def files_under(root: Path) -> tuple[list[Path], list[Path]]:
    """(importable files, other files) under ``root``, recursively, in sorted path order; hidden
    files and folders (``.git``, ``~$lock`` files of Office) are neither."""
    take, other = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if f.startswith((".", "~$")):
                continue
            p = Path(dirpath) / f
            (take if p.suffix.lower() in DATASET_SUFFIXES + REPORT_SUFFIXES else other).append(p)
    return sorted(take), sorted(other)


# ---- outside the database --------------------------------------------------------------------


def prepare(path: Path, name: str = "") -> Prepared:
    """Read, check and evaluate one file (no database). Never raises for a bad file: its
    problems are on the result, as the CLI would print them."""

    name = name or str(path)
    suffix = path.suffix.lower()
    out = Prepared(name=name, kind=suffix.lstrip("."))
    try:
        from sifund.web.prepare import load_path, ready

        loaded = load_path(path, name)
        r = ready(loaded)
        out.dataset, out.evaluation, out.summary, out.warnings = (
            r.dataset,
            r.evaluation,
            r.summary,
            r.warnings,
        )
        out.region, out.year = (loaded.dataset.region or "").strip(), r.year
        if not out.region:
            out.problems = [{"place": "region", "message": "数据集未写明地区（region），无法归入任何地区"}]
    except SifundError as e:
        out.problems = [{"place": p.place or "", "message": p.message} for p in e.problems] or [
            {"place": "", "message": str(e)}
        ]
    except (MemoryError, RecursionError) as e:
        out.problems = [{"place": "", "message": f"文件过大或嵌套过深，无法读取（{type(e).__name__}）"}]
    except Exception as e:  # a bug of ours on a strange file: that file fails, the others go on
        out.problems = [{"place": "", "message": f"内部错误 internal error ({type(e).__name__}: {e})"[:300]}]
    return out


def _prepare_task(args: tuple[str, str]) -> Prepared:
    return prepare(Path(args[0]), args[1])


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means


def prepared_stream(items: list[tuple[Path, str]], jobs: int = 1) -> Iterator[Prepared]:
    """``prepare`` of every file, in order; with ``jobs`` > 1 in worker processes, at most a few
    files ahead of the consumer (memory stays flat on thousands of files)."""
    if jobs <= 1 or len(items) < 4:
        for path, name in items:
            yield prepare(path, name)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init) as pool:
        window: deque = deque()
        it = iter(items)
        try:
            for path, name in it:
                window.append(pool.submit(_prepare_task, (str(path), name)))
                if len(window) >= 3 * jobs:
                    break
            while window:
                fut = window.popleft()
                nxt = next(it, None)
                if nxt is not None:
                    window.append(pool.submit(_prepare_task, (str(nxt[0]), nxt[1])))
                yield fut.result()
        finally:
            for f in window:
                f.cancel()


# ---- in the database -------------------------------------------------------------------------


def file_prepared(p: Prepared, actor: Any = None) -> Any:
    """Write one prepared file as a draft submission with its ``create`` event, in one
    transaction. ``actor`` None: filed by the system. Raises BadInput / scope.Forbidden."""
    from django.db import transaction

    from sifund.web import scope
    from sifund.web.prepare import Ready
    from sifund.web.services import BadInput, insert_submission, region_named

    with transaction.atomic():
        region = region_named(p.region)
        if region is None:
            why = f"地区“{p.region}”不存在（先用 sifund regions add 添加）"
            raise BadInput([{"place": "region", "message": why}])
        if actor is not None:
            scope.can_create(actor, region, p.region)
        user = actor.user if actor is not None else None
        r = Ready(p.dataset, p.year, p.evaluation, p.summary, p.warnings)
        sub = insert_submission(region, r, user, p.name, p.kind, COMMENT)
    return sub


def load_dir(
    root: str | Path,
    username: str | None = None,
    jobs: int = 1,
    progress: Callable[[Iterable[Any], int], Any] | None = None,
    result: Result | None = None,
) -> Result:
    """Import every file under ``root`` (Django set up) into ``result`` (also returned, and
    complete so far if interrupted). ``progress(iterable, length)`` wraps the per-file loop (a
    progress bar). SifundError for an unusable folder or an unknown user."""
    from sifund.web import scope
    from sifund.web.services import BadInput

    root = Path(root)
    if not root.is_dir():
        raise SifundError(f"不是文件夹或不存在 not a folder: {root}", file=str(root))
    actor = None
    if username is not None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise SifundError(f"用户“{username}”不存在 user not found（--as）")
        actor = scope.actor(user)
    files, other = files_under(root)
    result = result if result is not None else Result()
    result.skipped = [str(p) for p in other]
    if not files:
        raise SifundError(
            f"文件夹中没有可导入的文件 no dataset or report found "
            f"（{'/'.join(DATASET_SUFFIXES + REPORT_SUFFIXES)}）",
            file=str(root),
        )
    t0 = time.perf_counter()
    stream = prepared_stream([(p, str(p)) for p in files], jobs)
    bar = progress(stream, len(files)) if progress else None
    try:
        for p in bar if bar is not None else stream:
            if p.problems:
                result.failed.append((p.name, p.problems))
                continue
            try:
                sub = file_prepared(p, actor)
            except BadInput as e:
                result.failed.append((p.name, e.problems))
            except scope.Forbidden as e:
                result.failed.append((p.name, [{"place": "region", "message": str(e)}]))
            else:
                result.imported.append((p.name, sub.pk))
    finally:
        result.seconds = time.perf_counter() - t0
        stream.close()
    return result


def run(directory: str | Path, data: str | Path | None, username: str | None, jobs: int = 1) -> int:
    """The command: Django on ``data``, :func:`load_dir` with a progress bar on stderr, one line
    per failed file, the summary; returns the exit status (1 when any file failed)."""
    import typer

    from sifund.util import Interrupted
    from sifund.web.commands import _start

    _start(data)

    result = Result()
    try:
        load_dir(directory, username, max(1, jobs), _Bar, result)
    except (Interrupted, KeyboardInterrupt):
        for line in result.lines():
            typer.echo(f"错误 error: {line}", err=True)
        typer.echo(f"{result.summary()}（已中断：已导入的文件完整保留，中断时的文件未写入）", err=True)
        raise
    for line in result.lines():
        typer.echo(f"错误 error: {line}", err=True)
    if result.skipped:
        typer.echo(
            f"跳过 {len(result.skipped)} 个非数据文件 skipped (not .xlsx/.yaml/.json/.txt/.docx/.pdf)",
            err=True,
        )
    typer.echo(result.summary())
    n = len(result.imported) + len(result.failed)
    rate = n / result.seconds if result.seconds > 0 else 0.0
    typer.echo(f"用时 {result.seconds:.1f} 秒（{rate:.1f} 个文件/秒）", err=True)
    return 1 if result.failed else 0


class _Bar:
    """typer's progress bar on stderr around the prepared stream (label: the file count)."""

    def __init__(self, it: Iterable[Any], n: int):
        import typer

        self._cm = typer.progressbar(it, length=n, label=f"导入 {n} 个文件", file=sys.stderr)

    def __iter__(self) -> Iterator[Any]:
        with self._cm as items:
            yield from items
