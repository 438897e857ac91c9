"""The ``sifund`` command: a thin layer over ingest → engine → render.

Every command catches SifundError and prints one line per problem (file and place), exit 1.
Heavy modules are imported inside commands so ``sifund --version`` stays instant.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.exceptions import TyperException

from sifund import __version__
from sifund.core.errors import SifundError
from sifund.util import HANDLED_SIGNALS, Interrupted, on_signal, signals_deferred

app = typer.Typer(
    name="sifund",
    help="社会保险基金预算绩效管理：编制、评价与审核自评报告 / social insurance fund budget performance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")
REPORT_SUFFIXES = (".txt", ".docx", ".pdf")
DATASET_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm")


class Fmt(StrEnum):
    json = "json"
    table = "table"


_late: dict[str, int] = {"signum": 0}


def _late_signal(signum: int, frame: object = None) -> None:
    """Outside a command body nothing is half-done: remember the signal, end after the output."""
    if _late["signum"]:  # a second one: the user means it
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    _late["signum"] = signum


@contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    """For the command's duration, SIGINT/SIGTERM/SIGHUP raise :class:`Interrupted`.

    Why: the default actions kill the process on the spot (SIGTERM, SIGHUP) or raise
    KeyboardInterrupt wherever it lands (SIGINT), so no clean-up ran and temporary files were
    left behind. As an exception, every ``finally`` on the way (OutputSet removing its temporary
    folder) runs, and :func:`_guard` prints one line. Only the main thread may set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    previous = {s: signal.signal(s, on_signal) for s in HANDLED_SIGNALS}
    try:
        if _late["signum"]:  # arrived during start-up: stop before any work is done
            signum, _late["signum"] = _late["signum"], 0
            raise Interrupted(signum)
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _failure(e: BaseException, where: str, writes: bool = False) -> int:
    """Print the one line for ``e`` on stderr and return the exit code (see :func:`_guard`)."""
    if isinstance(e, SifundError):
        for p in e.problems:
            typer.echo(f"错误 error: {p}".replace("\r", " ").replace("\n", " "), err=True)  # one line each
        return 1
    if isinstance(e, Interrupted | KeyboardInterrupt):
        sig = e if isinstance(e, Interrupted) else Interrupted(signal.SIGINT)
        if sig.written:
            n = len(sig.written)
            done = f"，{n} 个文件已完整写入 ({n} files were complete and kept)"
        elif writes:
            done = "，未写入任何文件 (nothing written)"
        else:
            done = ""
        typer.echo(f"错误 error: 已中断 interrupted ({sig.name}){done}", err=True)
        return 128 + sig.signum
    if isinstance(e, OSError):  # unwritable output folder, disk full, permission denied …
        name = e.filename if e.filename not in (None, "") else where
        reason = _one_line(e.strerror or str(e) or type(e).__name__)
        typer.echo(f"错误 error: {name}: 无法读写文件 cannot read/write: {reason}", err=True)
        return 1
    if isinstance(e, RecursionError):
        detail = "RecursionError: 嵌套过深 nested too deeply"
    elif isinstance(e, MemoryError):
        detail = "MemoryError: 内存不足 out of memory"
    else:  # a bug of ours: still one line, and the file that triggered it
        detail = _one_line(f"{type(e).__name__}: {e}" if str(e) else type(e).__name__)
    typer.echo(f"错误 error: {where}: 内部错误 internal error ({detail})", err=True)
    return 2


def _guard(fn: Callable[[], T], file: Path | str = "", writes: bool = False) -> T:
    """Run a command body; every failure is one line on stderr, never a traceback.

    SifundError (a problem with the user's input) → exit 1, one line per problem. OSError →
    exit 1, naming ``e.filename`` or else ``file`` (the command's file), never an empty name.
    SIGINT/SIGTERM/SIGHUP → exit 128+n after clean-up. Anything else is our bug: still one line
    naming ``file``, exit 2, so a hostile input never shows a user a traceback.
    """
    try:
        with _signals_as_exceptions():
            return fn()
    except (typer.Exit, typer.Abort, TyperException):
        raise  # typer's own exits (Exit is a RuntimeError) pass through
    except (Exception, Interrupted, KeyboardInterrupt) as e:
        if writes:
            from sifund.util import remove_orphans

            with contextlib.suppress(Interrupted), signals_deferred():  # a second signal: stopping anyway
                remove_orphans()
        raise typer.Exit(_failure(e, str(file) or "sifund", writes)) from None


def _extract_report(path: Path):  # -> ExtractResult
    """Extract a report (``sifund.api.extract``). Nothing recognised is said on stderr, once, and the
    command goes on: the JSON lists the unresolved numbers and the audit of what there is (exit 0)."""
    from sifund import api

    result = api.extract(path)
    if api.nothing_recognised(result):
        from sifund.render.phrases import cn_count

        n = len(result.unresolved)
        tail = f"；{cn_count(n, '个')}数字未能归属（见 unresolved）" if n else ""
        typer.echo(f"{path}: 提示：{api.NOTHING_RECOGNISED}{tail}", err=True)
    return result


def _print_json(obj: Any, file: Path | str = "") -> None:
    """Print strict JSON. NaN/Infinity are not JSON (``json.dumps`` would print the bare tokens
    ``NaN``/``Infinity`` that other parsers reject), so a non-finite number is an error naming the
    file, and nothing is printed to stdout."""
    try:
        text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError as e:
        raise SifundError(
            f"结果含非有限数值（NaN/Infinity），不能输出为 JSON (result holds a non-finite number: {e})",
            file=str(file),
        ) from None
    sys.stdout.write(text + "\n")


STRICT_HELP = "有任何警告即以状态1退出（report 则不写文件） exit 1 on any warning (report writes nothing)"


def _warn(findings: list[Any]) -> None:
    """Every disagreement between stated figures, one line each on stderr (stdout stays pure
    for ``--format json``)."""
    for f in findings:
        typer.echo(_one_line(f.line(), 1000), err=True)


def _strict_stop(findings: list[Any], strict: bool, writes: bool = False) -> None:
    if strict and findings:
        n = len(findings)
        tail = "，未写入任何文件 (nothing written)" if writes else ""
        typer.echo(f"错误 error: --strict：有 {n} 条警告 ({n} warnings){tail}", err=True)
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sifund {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本 show version")
    ] = False,
) -> None:
    """sifund"""


@app.command()
def codes(
    kind: Annotated[str, typer.Argument(help="funds | items | measures | all")] = "all",
) -> None:
    """打印代码表 Print the code table (funds, items, measures, aliases)."""
    from sifund.core.codes import codebook

    cb = codebook()
    if kind not in ("all", "funds", "items", "measures"):
        typer.echo(f"错误 error: 未知类别 unknown kind {kind!r}（funds/items/measures/all）", err=True)
        raise typer.Exit(1)
    if kind in ("all", "funds"):
        typer.echo("# 基金 funds")
        for f in cb.funds.values():
            typer.echo(f"{f.code:24} {f.name}  ({'、'.join(f.aliases[1:6])})")
    if kind in ("all", "items"):
        typer.echo("# 项目 items")
        for it in cb.items.values():
            parent = f" ⊂ {it.parent}" if it.parent else ""
            typer.echo(f"{it.code:28} {it.group:11} {it.name}{parent}  ({'、'.join(it.aliases[1:5])})")
    if kind in ("all", "measures"):
        typer.echo("# 口径 measures")
        for m in cb.measures.values():
            typer.echo(f"{m.code:16} {m.name}")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="数据集文件 dataset files (.yaml/.json/.xlsx)")],
    strict: Annotated[bool, typer.Option("--strict", help=STRICT_HELP)] = False,
) -> None:
    """校验数据集 Validate datasets; one line per problem with its place, exit 1 on any error.

    Stated figures that disagree with their recomputation are warnings (with the place, both
    values and the recomputation); 通过 alone means there is none."""
    from sifund import api

    bad = 0
    for f in files:
        try:
            with _signals_as_exceptions():
                loaded = api.load(f)
        except (Exception, Interrupted, KeyboardInterrupt) as e:  # one line, then the next file
            code = _failure(e, str(f))
            if code > 2:  # interrupted: stop here
                raise typer.Exit(code) from None
            bad = max(bad, code)
            continue
        ds, warnings = loaded.dataset, loaded.warnings
        _warn(warnings)
        verdict = f"通过（{len(warnings)}条警告） ok with {len(warnings)} warnings" if warnings else "通过 ok"
        typer.echo(
            f"{f}: {verdict} — {ds.region} {ds.year}年，{len(ds.funds())}项基金，"
            f"{len(ds.figures)}个数据，{len(ds.indicators)}个指标"
        )
        if strict and warnings:
            bad = max(bad, 1)
    if bad:
        raise typer.Exit(bad)


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="报告 report (.txt/.docx/.pdf)")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.json,
    text: Annotated[bool, typer.Option("--text", help="打印规范化文本 print the normalised text")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="每个数字附“读作”说明（仅 JSON） add read_as to each figure")
    ] = False,
) -> None:
    """从报告提取数据 Extract every figure and indicator of a report, with its source offsets."""

    def run() -> None:
        if explain and (text or format is not Fmt.json):
            raise SifundError("--explain 只用于 JSON 输出 (--explain needs --format json)", file=str(path))
        result = _extract_report(path)
        if text:
            sys.stdout.write(result.text)
        elif format is Fmt.json:
            obj = result.dataset.to_interchange()
            if explain:
                _add_read_as(obj, result)
            _print_json(obj, path)
        else:
            from sifund.render.console import figures_table

            typer.echo(figures_table(result.dataset))

    _guard(run, path)


def _add_read_as(obj: dict[str, Any], result: Any) -> None:
    """``--explain``: each figure of the extract JSON gets its ``read_as`` sentence (an additive key)."""
    from sifund import api

    for fig, ex in zip(obj.get("figures", []), api.explain(result), strict=True):
        fig["read_as"] = ex.read_as


@app.command("explain")
def explain_cmd(
    path: Annotated[Path, typer.Argument(help="报告 report (.txt/.docx/.pdf)")],
    at: Annotated[
        int | None, typer.Option("--at", help="只说明覆盖规范化文本该位置的数字 figures covering this offset")
    ] = None,
) -> None:
    """说明数字的读法 One line per figure: what it was read as, by which rule, where its fund and item
    came from. Offsets are those of ``sifund extract --text`` (the normalised text)."""

    def run() -> None:
        from sifund import api
        from sifund.review.explain import wording

        result = _extract_report(path)
        w = wording()
        shown = api.explain(result, at=at)
        for ex in shown:
            quote = " ".join(ex.quote.split())
            n = (ex.index or 0) + 1
            typer.echo(w.line.format(n=n, start=ex.start, end=ex.end, quote=quote, read_as=ex.read_as))
        if at is not None and not shown:
            typer.echo(f"{path}: {w.none_at.format(at=at)}", err=True)

    _guard(run, path)


@app.command()
def audit(
    path: Annotated[Path, typer.Argument(help="报告或数据集 report (.txt/.docx/.pdf) or dataset")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table,
) -> None:
    """审核 Cross-check a report or dataset within printed precision."""

    def run() -> None:
        from sifund.engine.findings import audit_json

        if path.suffix.lower() in REPORT_SUFFIXES:
            from sifund.review.audit import audit_report

            findings = audit_report(_extract_report(path))
        else:
            from sifund.engine.audit import audit_dataset
            from sifund.ingest import load_dataset

            findings = audit_dataset(load_dataset(path))
        if format is Fmt.json:
            _print_json(audit_json(findings), path)
        else:
            from sifund.render.console import findings_table

            typer.echo(findings_table(findings))

    _guard(run, path)


@app.command()
def evaluate(
    dataset: Annotated[Path, typer.Argument(help="数据集 dataset (.yaml/.json/.xlsx)")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table,
    config: Annotated[Path | None, typer.Option(help="评分/风险配置 scoring & risk config (YAML)")] = None,
    strict: Annotated[bool, typer.Option("--strict", help=STRICT_HELP)] = False,
) -> None:
    """评价 Metrics, indicator results, score and grade, risks and audit findings of a dataset.

    Disagreeing stated figures are printed as warnings and evaluated at their recomputed value."""

    def run() -> None:
        from sifund import api
        from sifund.engine.config import load_config

        loaded = api.load(dataset)
        _warn(loaded.warnings)
        _strict_stop(loaded.warnings, strict)
        ev = api.evaluate(loaded.dataset, load_config(config), loaded.warnings)
        if format is Fmt.json:
            obj = ev.to_json()
            obj["corrections"] = [c.model_dump(mode="json", exclude_none=True) for c in api.corrections(ev)]
            _print_json(obj, dataset)
        else:
            from sifund.render.console import evaluation_table

            typer.echo(evaluation_table(ev))

    _guard(run, dataset)


@app.command()
def report(
    dataset: Annotated[Path, typer.Argument(help="数据集 dataset (.yaml/.json/.xlsx)")],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出目录 output directory")] = Path("out"),
    format: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="docx | xlsx | html | txt (可重复)")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="评分/风险配置 scoring & risk config (YAML)")] = None,
    strict: Annotated[bool, typer.Option("--strict", help=STRICT_HELP)] = False,
    audit_appendix: Annotated[
        bool, typer.Option("--audit-appendix", help="附“数据审核情况”，列出被更正的数字 list corrections")
    ] = False,
) -> None:
    """生成自评报告与自评表 Write the report (DOCX/HTML/TXT) and the 自评表 (XLSX).

    Disagreeing stated figures are printed as warnings; the report uses their recomputed value
    and is still written (exit 0), unless ``--strict``: then nothing is written and the exit is 1."""
    formats = format or ["docx", "xlsx", "html"]

    def run() -> list[Path]:
        from sifund import api
        from sifund.engine.config import load_config

        loaded = api.load(dataset)
        _warn(loaded.warnings)
        _strict_stop(loaded.warnings, strict, writes=True)
        ev = api.evaluate(loaded.dataset, load_config(config), loaded.warnings)
        return api.render(loaded.dataset, ev, out, formats, audit_appendix)

    for p in _guard(run, dataset, writes=True):
        typer.echo(f"已写入 written: {p}")


@app.command()
def template(
    out: Annotated[Path, typer.Option("-o", "--out", help="模板文件 template file (.xlsx)")] = Path(
        "模板.xlsx"
    ),
    funds: Annotated[list[str] | None, typer.Option("--funds", help="基金代码 fund codes")] = None,
) -> None:
    """生成填报模板 Write a blank XLSX input template."""

    def run() -> Path:
        from sifund.render.template import write_template

        return write_template(out, funds)

    p = _guard(run, out, writes=True)
    typer.echo(f"已写入 written: {p}")


# ---- the web platform (web.md) -----------------------------------------------------------------

DATA_HELP = "数据目录 data folder（默认 $SIFUND_DATA，否则 ./sifund-data）"
regions_app = typer.Typer(help="地区 regions of the web platform", no_args_is_help=True)
users_app = typer.Typer(help="用户 users of the web platform", no_args_is_help=True)
app.add_typer(regions_app, name="regions")
app.add_typer(users_app, name="users")
web_app = typer.Typer(help="网页系统的后台任务 background jobs of the web platform", no_args_is_help=True)
app.add_typer(web_app, name="web")


class Level(StrEnum):
    province = "province"
    prefecture = "prefecture"
    county = "county"
    city = "city"


class Role(StrEnum):
    preparer = "preparer"
    reviewer = "reviewer"
    admin = "admin"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址 host")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口 port")] = 8000,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    demo: Annotated[bool, typer.Option("--demo", help="载入示例地区、用户与样例数据 load the demo")] = False,
    threads: Annotated[int, typer.Option(help="每个进程的线程数 threads per worker process")] = 8,
    workers: Annotated[int, typer.Option(help="工作进程数 worker processes (POSIX; 2 for 2 cores)")] = 1,
) -> None:
    """启动网页系统 Migrate the database and serve the web app (waitress)."""
    from sifund.web.commands import serve as run_serve

    _guard(lambda: run_serve(host, port, data, demo, threads, workers), data or "sifund-data")


@regions_app.command("add")
def regions_add(
    name: Annotated[str, typer.Argument(help="地区名称 region name (unique)")],
    level: Annotated[Level, typer.Option("--level", help="province | prefecture | county")],
    parent: Annotated[str | None, typer.Option("--parent", help="上级地区名称 parent region")] = None,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
) -> None:
    """添加地区 Add a region."""
    from sifund.web.commands import add_region

    typer.echo(_guard(lambda: add_region(name, level.value, parent, data), data or "sifund-data"))


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="用户名 user name")],
    role: Annotated[Role, typer.Option("--role", help="preparer | reviewer | admin")],
    region: Annotated[str, typer.Option("--region", help="所属地区 region name")],
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
) -> None:
    """添加用户 Add a user; the password is read from standard input (one line)."""
    from sifund.web.commands import add_user, read_password

    def run() -> str:
        return add_user(username, role.value, region, read_password(), data)

    typer.echo(_guard(run, data or "sifund-data"))


@web_app.command("run-jobs")
def web_run_jobs(
    once: Annotated[
        bool, typer.Option("--once", help="只执行一个排队的筛查后退出 execute one queued run")
    ] = False,
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
) -> None:
    """执行排队的支付数据筛查 Execute the queued payment audits of uploaded .zip files
    (``sifund serve`` runs them itself; this is for operators and a separate job service)."""
    from sifund.web.commands import run_jobs

    typer.echo(_guard(lambda: run_jobs(data, once), data or "sifund-data"))


@app.command("load")
def load_cmd(
    directory: Annotated[Path, typer.Argument(help="文件夹 folder of datasets and reports (recursive)")],
    data: Annotated[Path | None, typer.Option("--data", help=DATA_HELP)] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", help="以此用户身份导入（按其地区权限）file as this user")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行读取与评价的进程数 worker processes")] = 1,
) -> None:
    """批量导入 Import every dataset (.xlsx/.yaml/.yml/.json) and report (.txt/.docx/.pdf,
    extracted) under DIR as draft submissions; their regions must exist.

    Each file is all-or-nothing: a file that fails (a bad figure, an unknown region, a region the
    --as user may not file for) leaves nothing in the database and is named with its place
    (FILE: PLACE: message); the others are imported. Without --as the system files them. Prints
    "已导入 N 个，失败 M 个"; the exit status is 1 when any file failed."""
    from sifund.web.bulk import run

    code = _guard(lambda: run(directory, data, as_user, jobs), directory)
    raise typer.Exit(code)


# ---- payment audit 待遇支付疑点筛查 (docs/payments.md) -----------------------------------------

payments_app = typer.Typer(help="待遇支付疑点筛查 payment-record audit", no_args_is_help=True)
app.add_typer(payments_app, name="payments")


class PayEngine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class PayFmt(StrEnum):
    json = "json"
    table = "table"
    xlsx = "xlsx"


@payments_app.command("audit")
def payments_audit(
    directory: Annotated[
        Path, typer.Argument(help="数据文件夹 folder of payments/deaths/contributions/people")
    ],
    engine: Annotated[
        PayEngine, typer.Option("--engine", help="duckdb（内嵌，默认）| spark")
    ] = PayEngine.duckdb,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="省级规则文件 province rules override (YAML)")
    ] = None,
    format: Annotated[PayFmt, typer.Option("--format", "-f", help="json | table | xlsx")] = PayFmt.json,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="输出文件 output file")] = None,
) -> None:
    """疑点筛查 Run the rule catalogue over a folder of payment tables (exit 0 whatever it finds)."""

    def run() -> Path | None:
        from sifund import api

        if format is PayFmt.xlsx and out is None:
            raise SifundError("--format xlsx 需要 -o 输出文件 (needs -o FILE)", file=str(directory))
        writer = _pay_writer(format)  # before the audit: a missing output module fails fast
        result = api.payments_audit(directory, engine=engine.value, rules=rules)
        return writer(result, out)

    written = _guard(run, directory, writes=out is not None or format is PayFmt.xlsx)
    if written is not None:
        typer.echo(f"已写入 written: {written}", err=True)


def _pay_writer(format: PayFmt) -> Callable[[Any, Path | None], Path | None]:
    """How the audit result is delivered: JSON or table text on stdout or to ``-o`` (written to a
    temp file and renamed), the 疑点清单 workbook to ``-o`` (sifund.payments.output)."""
    from sifund.util import atomic_write, atomic_write_text

    if format is PayFmt.json:

        def text_of(result: Any) -> str:
            return json.dumps(result.as_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    else:
        try:
            from sifund.payments import output
        except ImportError:
            output = None  # type: ignore[assignment]
        fn = getattr(output, "format_table" if format is PayFmt.table else "write_xlsx", None)
        if fn is None:
            raise SifundError(
                f"--format {format.value} 尚不可用（缺少 sifund.payments.output）(not available)"
            )
        if format is PayFmt.xlsx:

            def write_xlsx(result: Any, out: Path | None) -> Path:
                assert out is not None
                atomic_write(out, lambda tmp: fn(result, tmp))
                return out

            return write_xlsx

        def text_of(result: Any) -> str:
            return fn(result) + "\n"

    def write_text(result: Any, out: Path | None) -> Path | None:
        text = text_of(result)
        if out is None:
            sys.stdout.write(text)
            return None
        atomic_write_text(out, text)
        return out

    return write_text


@payments_app.command("rules")
def payments_rules(
    rules: Annotated[
        Path | None, typer.Option("--rules", help="省级规则文件 province rules override (YAML)")
    ] = None,
) -> None:
    """打印疑点规则目录 Print the rule catalogue (code, 名称, 类别, 风险, description)."""

    def run() -> None:
        from sifund import api
        from sifund.payments.model import RISK_NAMES

        for r in api.payments_rules(rules):
            off = "" if r.enabled else "  （停用 disabled）"
            typer.echo(f"{r.code:34} {r.name}  {r.category}  风险{RISK_NAMES[r.risk]}  {r.description}{off}")

    _guard(run, rules or "rules.yaml")


class SynthFmt(StrEnum):
    csv = "csv"
    parquet = "parquet"


@payments_app.command("synth")
def payments_synth(
    people: Annotated[int, typer.Option("--people", help="人数 number of people")] = 10000,
    months: Annotated[int, typer.Option("--months", help="月数 number of periods")] = 12,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 seed (same seed, same data)")] = 7,
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹 output folder")] = Path("synth"),
    format: Annotated[SynthFmt, typer.Option("--format", help="csv | parquet")] = SynthFmt.csv,
    start: Annotated[str, typer.Option("--start", help="首个期间 first period YYYY-MM")] = "2024-01",
) -> None:
    """合成数据 Write synthetic payment tables with planted anomalies and their answer key
    (truth.csv) into a folder, all files at once (docs/payments.md)."""

    def run() -> Any:
        from sifund import api

        return api.payments_synth(people, months, seed, out, fmt=format.value, start=start,
                                  progress=people >= 200_000)  # fmt: skip

    s = _guard(run, out, writes=True)
    found = "，".join(f"{k} {v}" for k, v in s.truth.items())
    typer.echo(f"已写入 written: {out}（{s.people} 人，支付 {s.payments} 行，缴费 {s.contributions} 行，"
               f"死亡 {s.deaths} 行；{s.seconds:.1f} 秒）", err=True)  # fmt: skip
    typer.echo(f"truth.csv: {found}", err=True)


LONG_RUNNING = {"serve", "load"}  # these keep the garbage collector on


def main() -> None:
    """Run the CLI. A signal that lands outside a command body (start-up, printing the results)
    is held and ends the process right after, with one line and 128+n — never a bare kill or a
    traceback from a finaliser; whatever was written by then was complete (OutputSet)."""
    if threading.current_thread() is threading.main_thread():
        for s in HANDLED_SIGNALS:
            signal.signal(s, _late_signal)
    # pydantic scans every installed package for plugins at the first model; we use none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not set(sys.argv[1:2]) & LONG_RUNNING:
        # A one-shot command builds ~10⁵ small acyclic objects (bounded by data/limits.yaml); the
        # cyclic collector's full passes over them cost 0.3–0.5 s of a 1.5 s `sifund report`.
        gc.disable()
    code: int | str | None = 0
    try:
        app()
    except SystemExit as e:
        code = e.code
    if threading.current_thread() is threading.main_thread():
        # Interpreter shutdown restores SIG_DFL, and a signal landing then would kill the process
        # after all its work was done; the work is done, so from here a signal is ignored.
        for s in HANDLED_SIGNALS:
            signal.signal(s, signal.SIG_IGN)
    if _late["signum"]:
        sig = Interrupted(_late["signum"])
        sys.stderr.write(f"错误 error: 已中断 interrupted ({sig.name})\n")
        code = 128 + sig.signum
    sys.exit(code)


if __name__ == "__main__":
    main()
