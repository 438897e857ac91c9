"""Small shared helpers: writing a set of output files all-or-nothing, and the line of a field in
a YAML/JSON file so a validation error can point at it.

How outputs are written (:class:`OutputSet`), and why:

* Every file of one set (the four formats of one ``sifund report``, the template of ``sifund
  template``, a dumped dataset) is first written into one temporary folder *inside* the output
  folder, named visibly ``.sifund-tmp-<host>-<pid>-XXXX``; only when all of them are complete are
  they renamed into place. A failure (disk full, permission denied) or a signal (SIGINT, SIGTERM,
  SIGHUP, turned into :class:`Interrupted` by the CLI) removes that folder, so no partial set and
  no hidden ``.x.docx.XXXX`` debris remain; a rename that fails half-way puts the earlier files
  back as they were.
* SIGKILL cannot be handled. What it leaves is at most that single, clearly named folder; the
  next run writing to the same folder removes any ``.sifund-tmp-*`` folder that is older than
  an hour, or that belongs to a process of this host that no longer exists. (The age rule alone
  would leave it for an hour; the pid rule alone would be wrong on a folder shared between hosts.)
* File names come from data (the region), so each name must be exactly one path component and
  every path we open must resolve inside the output folder; an existing target that is not a
  regular file (a directory, ``/dev/full``, a FIFO) is refused before anything is created —
  ``os.replace`` onto a device node would, as root, replace the device itself.
* Files get mode ``0o666 & ~umask`` (0644 under the usual 022), not mkstemp's 0600.
* Every error names the target file the user asked for, never our temporary.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

from sifund.core.errors import Problem, SifundError

TMP_PREFIX = ".sifund-tmp-"
STALE_SECONDS = 3600
HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(BaseException):
    """A signal (SIGINT/SIGTERM/SIGHUP) during a command, raised by the CLI's handler.

    A BaseException, like KeyboardInterrupt, so no ``except Exception`` on the way swallows it and
    every ``finally`` (removing temporary files) runs. ``written`` lists the files that were
    already complete and in place when it arrived (the signal came during the final renames).
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.written: list[Path] = []
        super().__init__(signum)

    @property
    def name(self) -> str:
        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"


def _read_umask() -> int:
    """The process umask without the set-and-restore race where possible (Linux ≥ 4.7 shows it
    in /proc/self/status); otherwise by setting and restoring it, once."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@cache
def file_mode() -> int:
    """Mode of every file we write: what ``open()`` would give, i.e. 0o666 minus the umask."""
    return 0o666 & ~_read_umask()


_deferral = {"depth": 0, "pending": 0}  # signal handlers always run in the main thread


def on_signal(signum: int, frame: object = None) -> None:
    """The handler the CLI installs for SIGINT/SIGTERM/SIGHUP: raise :class:`Interrupted`, or,
    inside :func:`signals_deferred`, remember the signal and raise it when the block ends."""
    if _deferral["depth"]:
        _deferral["pending"] = _deferral["pending"] or signum
        return
    raise Interrupted(signum)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP while the block runs; one that arrived is raised after it.

    Used around the final renames and the clean-up, so a signal can neither leave half a set in
    place nor stop the removal of the temporary folder. Why not ``pthread_sigmask``: it masks
    only the calling thread, and a native thread (numpy's, a BLAS pool) then takes the signal
    and Python runs the handler in the main thread anyway.
    """
    _deferral["depth"] += 1
    try:
        yield
    finally:
        _deferral["depth"] -= 1
        if not _deferral["depth"] and _deferral["pending"]:
            signum, _deferral["pending"] = _deferral["pending"], 0
            raise Interrupted(signum)


def _fail(path: Path | str, message: str) -> SifundError:
    return SifundError(Problem(str(path), "", message))


def _os_error(e: OSError, target: Path) -> OSError:
    """The same error, naming the file the user asked for (not a temporary one)."""
    return OSError(e.errno, e.strerror or type(e).__name__, str(target))


def _check_name(name: str, outdir: Path) -> None:
    """The last line of defence behind render.safe.safe_filename: one component, nothing else."""
    separators = {"/", "\0", os.sep, os.altsep or "/"}
    if not name or name in (".", "..") or any(s in name for s in separators):
        raise _fail(outdir / name, "输出文件名不是单个文件名 (output name is not a single file name)")


def check_target(target: Path, outdir: Path) -> None:
    """Refuse a target that resolves outside ``outdir`` or exists and is not a regular file."""
    try:
        inside = target.resolve().parent == outdir.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        raise _fail(target, f"输出路径不在输出目录内 (output path is outside the output folder {outdir})")
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as e:
        raise _os_error(e, target) from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail(target, "目标是目录，不能覆盖 (the target is a directory; not overwritten)")
    if not stat.S_ISREG(st.st_mode):
        raise _fail(
            target, "目标不是普通文件（设备、管道或套接字），不能覆盖 (not a regular file; not overwritten)"
        )


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname())[:40] or "host"


def _tmp_tag() -> str:
    """Prefix of our temporary folder: ``.sifund-tmp-<host>-<pid>-`` (mkdtemp adds the rest)."""
    return f"{TMP_PREFIX}{_host()}-{os.getpid()}-"


def sweep_stale(outdir: Path, now: float | None = None) -> list[Path]:
    """Remove temporary folders a killed run left in ``outdir`` (see the module docstring)."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    host = _host()
    try:
        entries = list(os.scandir(outdir))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TMP_PREFIX):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):  # never follow a link someone planted
            continue
        stale = now - st.st_mtime > STALE_SECONDS
        m = re.fullmatch(re.escape(TMP_PREFIX) + r"(.+)-(\d+)-[^-]+", entry.name)
        if not stale and m and m.group(1) == host:
            stale = not _pid_alive(int(m.group(2)))
        if stale:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists (someone else's) or cannot tell: keep it
    return True


class OutputSet:
    """Files written all-or-nothing into ``outdir`` (see the module docstring).

    Usage::

        with OutputSet(outdir, ["a.docx", "a.xlsx"]) as out:
            out.write("a.docx", lambda p: p.write_bytes(data))
            ...
        # here all files are in place, or none is and the error/signal propagates
    """

    def __init__(self, outdir: Path, names: list[str]) -> None:
        self.outdir = Path(outdir)
        self.names = list(dict.fromkeys(names))
        self.tmp: Path | None = None
        self.written: list[Path] = []
        self._staged: dict[str, Path] = {}
        for name in self.names:  # before anything is created: a bad name or target changes nothing
            _check_name(name, self.outdir)
            if self.outdir.exists():
                check_target(self.outdir / name, self.outdir)

    def target(self, name: str) -> Path:
        return self.outdir / name

    def __enter__(self) -> OutputSet:
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _os_error(e, self.target(self.names[0]) if self.names else self.outdir) from None
        for name in self.names:  # the folder may only now exist (or be a link): check again
            check_target(self.target(name), self.outdir)
        sweep_stale(self.outdir)
        try:
            with signals_deferred():  # a signal right after mkdtemp must not orphan the folder
                self.tmp = Path(tempfile.mkdtemp(prefix=_tmp_tag(), dir=self.outdir))
                _LIVE_TMP.add(self.tmp)
        except OSError as e:
            raise _os_error(e, self.target(self.names[0]) if self.names else self.outdir) from None
        except BaseException:  # the held signal is raised here; __exit__ never runs for a failed __enter__
            self._cleanup()
            raise
        return self

    def write(self, name: str, write: Callable[[Path], None]) -> Path:
        """Stage one file: ``write(path)`` writes it into the temporary folder."""
        assert self.tmp is not None, "use OutputSet as a context manager"
        if name not in self.names:
            raise ValueError(f"{name!r} was not declared")
        target = self.target(name)
        staged = self.tmp / f"{len(self._staged)}{Path(name).suffix}"  # short: a long name fits
        try:
            write(staged)
            os.chmod(staged, file_mode())
        except OSError as e:
            raise _os_error(e, target) from None
        self._staged[name] = staged
        return target

    def commit(self) -> list[Path]:
        """Rename every staged file into place; if one rename fails, undo the earlier ones."""
        assert self.tmp is not None
        missing = [n for n in self.names if n not in self._staged]
        if missing:
            raise RuntimeError(f"not written: {missing}")
        done: list[tuple[Path, Path | None, bool]] = []  # (target, backup of what it replaced, existed)
        with signals_deferred():
            try:
                for i, name in enumerate(self.names):
                    target = self.target(name)
                    check_target(target, self.outdir)
                    existed = os.path.lexists(target)
                    backup = self._backup(target, i) if existed else None
                    try:
                        os.replace(self._staged[name], target)
                    except OSError as e:
                        raise _os_error(e, target) from None
                    done.append((target, backup, existed))
            except BaseException:
                self._rollback(done)
                raise
            self.written = [t for t, _, _ in done]
        return self.written

    def _backup(self, target: Path, i: int) -> Path | None:
        """A hard link to the file ``target`` is about to replace, to restore it on rollback."""
        assert self.tmp is not None
        backup = self.tmp / f"old-{i}"
        try:
            os.link(target, backup, follow_symlinks=False)
        except OSError:
            return None  # no hard links here: a failed later rename then cannot restore this one
        return backup

    @staticmethod
    def _rollback(done: list[tuple[Path, Path | None, bool]]) -> None:
        for target, backup, existed in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, target)
                elif not existed:
                    target.unlink(missing_ok=True)
                # else: replaced a file we could not keep a link to; the new one is better than none
            except OSError:
                pass

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            with signals_deferred():
                if exc is None and not self.written:
                    try:
                        self.commit()
                    except BaseException:
                        self._cleanup()
                        raise
                self._cleanup()
        except Interrupted as e:  # arrived while deferred: say what is already in place
            e.written = list(self.written)
            raise

    def _cleanup(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            _LIVE_TMP.discard(self.tmp)
            self.tmp = None


_LIVE_TMP: set[Path] = set()  # staging folders of this process not yet removed


def remove_orphans() -> None:
    """Remove every staging folder this process still has. Why: a signal that lands between
    ``__enter__`` returning and the ``with`` block starting (CPython checks for signals between
    the two) skips ``__exit__``; the command's failure path calls this so no folder is left."""
    for tmp in list(_LIVE_TMP):
        shutil.rmtree(tmp, ignore_errors=True)
        _LIVE_TMP.discard(tmp)


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` then move tmp over ``path``; on any error the target is untouched."""
    path = Path(path)
    with OutputSet(path.parent, [path.name]) as out:
        out.write(path.name, write)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def yaml_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the field at ``loc`` (a pydantic error location) in a composed YAML tree;
    of its nearest present parent when the field itself is missing."""
    node = root
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
            if nxt is None:
                break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return None if node is None else node.start_mark.line + 1
