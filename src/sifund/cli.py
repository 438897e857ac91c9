"""The ``sifund`` command: a thin layer over ingest → engine → render.

Every command catches SifundError and prints one line per problem (file and place), exit 1.
Heavy modules are imported inside commands so ``sifund --version`` stays instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from sifund import __version__
from sifund.core.errors import SifundError

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


def _guard(fn: Callable[[], T]) -> T:
    """Run a command body; user mistakes become clear messages and exit 1, never a traceback."""
    try:
        return fn()
    except SifundError as e:
        for p in e.problems:
            typer.echo(f"错误 error: {p}", err=True)
        raise typer.Exit(1) from None
    except OSError as e:  # unwritable output folder, disk full, permission denied …
        where = e.filename or ""
        typer.echo(f"错误 error: {where}: 无法读写文件 cannot read/write: {e.strerror or e}", err=True)
        raise typer.Exit(1) from None


def _extract_report(path: Path):  # -> ExtractResult
    """Extract a report; a report in which nothing can be recognised is a user error, not an empty result."""
    from sifund.review.extract import extract_file

    result = extract_file(path)
    if not result.dataset.figures and not result.dataset.indicators:
        raise SifundError(
            "未在报告中识别出任何基金数字或绩效指标 no fund figures or indicators found "
            "（是否为社会保险基金绩效自评报告？扫描件请先 OCR）",
            file=str(path),
        )
    return result


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


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
) -> None:
    """校验数据集 Validate datasets; one line per problem with its place, exit 1 on any error."""
    from sifund.ingest import load_dataset

    bad = 0
    for f in files:
        try:
            ds = load_dataset(f)
        except SifundError as e:
            bad += 1
            for p in e.problems:
                typer.echo(f"错误 error: {p}", err=True)
            continue
        typer.echo(
            f"{f}: 通过 ok — {ds.region} {ds.year}年，{len(ds.funds())}项基金，"
            f"{len(ds.figures)}个数据，{len(ds.indicators)}个指标"
        )
    if bad:
        raise typer.Exit(1)


@app.command()
def extract(
    path: Annotated[Path, typer.Argument(help="报告 report (.txt/.docx/.pdf)")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.json,
    text: Annotated[bool, typer.Option("--text", help="打印规范化文本 print the normalised text")] = False,
) -> None:
    """从报告提取数据 Extract every figure and indicator of a report, with its source offsets."""
    result = _guard(lambda: _extract_report(path))
    if text:
        sys.stdout.write(result.text)
        return
    if format is Fmt.json:
        _print_json(result.dataset.to_interchange())
    else:
        from sifund.render.console import figures_table

        typer.echo(figures_table(result.dataset))


@app.command()
def audit(
    path: Annotated[Path, typer.Argument(help="报告或数据集 report (.txt/.docx/.pdf) or dataset")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table,
) -> None:
    """审核 Cross-check a report or dataset within printed precision."""
    from sifund.engine.findings import audit_json

    def run() -> list:
        if path.suffix.lower() in REPORT_SUFFIXES:
            from sifund.review.audit import audit_report

            return audit_report(_extract_report(path))
        from sifund.engine.audit import audit_dataset
        from sifund.ingest import load_dataset

        return audit_dataset(load_dataset(path))

    findings = _guard(run)
    if format is Fmt.json:
        _print_json(audit_json(findings))
    else:
        from sifund.render.console import findings_table

        typer.echo(findings_table(findings))


@app.command()
def evaluate(
    dataset: Annotated[Path, typer.Argument(help="数据集 dataset (.yaml/.json/.xlsx)")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.table,
    config: Annotated[Path | None, typer.Option(help="评分/风险配置 scoring & risk config (YAML)")] = None,
) -> None:
    """评价 Metrics, indicator results, score and grade, risks and audit findings of a dataset."""
    from sifund.engine.config import load_config
    from sifund.engine.evaluation import evaluate as run_eval
    from sifund.ingest import load_dataset

    ev = _guard(lambda: run_eval(load_dataset(dataset), load_config(config)))
    if format is Fmt.json:
        _print_json(ev.to_json())
    else:
        from sifund.render.console import evaluation_table

        typer.echo(evaluation_table(ev))


@app.command()
def report(
    dataset: Annotated[Path, typer.Argument(help="数据集 dataset (.yaml/.json/.xlsx)")],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出目录 output directory")] = Path("out"),
    format: Annotated[
        list[str] | None, typer.Option("--format", "-f", help="docx | xlsx | html | txt (可重复)")
    ] = None,
    config: Annotated[Path | None, typer.Option(help="评分/风险配置 scoring & risk config (YAML)")] = None,
) -> None:
    """生成自评报告与自评表 Write the report (DOCX/HTML/TXT) and the 自评表 (XLSX)."""
    from sifund.engine.config import load_config
    from sifund.engine.evaluation import evaluate as run_eval
    from sifund.ingest import load_dataset
    from sifund.render.report import write_outputs

    formats = format or ["docx", "xlsx", "html"]

    def run() -> list[Path]:
        ds = load_dataset(dataset)
        return write_outputs(ds, run_eval(ds, load_config(config)), out, formats)

    for p in _guard(run):
        typer.echo(f"已写入 written: {p}")


@app.command()
def template(
    out: Annotated[Path, typer.Option("-o", "--out", help="模板文件 template file (.xlsx)")] = Path(
        "模板.xlsx"
    ),
    funds: Annotated[list[str] | None, typer.Option("--funds", help="基金代码 fund codes")] = None,
) -> None:
    """生成填报模板 Write a blank XLSX input template."""
    from sifund.render.template import write_template

    p = _guard(lambda: write_template(out, funds))
    typer.echo(f"已写入 written: {p}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
