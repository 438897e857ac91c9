"""Adapters that turn files into Datasets: YAML/JSON datasets, XLSX templates, report texts."""

from __future__ import annotations

from pathlib import Path

from sifund.core.errors import Problem, SifundError
from sifund.core.model import Dataset


def load_dataset(path: str | Path) -> Dataset:
    """Load a dataset from .yaml/.yml/.json (or .xlsx when the template reader is present), for a
    command: besides every reader check, a figure given twice without a source each is refused
    (the engine would silently use the first; see ``checks.repeated_figures``). Every figure
    carries its place (``source.place``: ``line N`` or ``Sheet!Cell``) for warnings about it."""
    p = Path(path)
    if not p.exists():
        raise SifundError("文件不存在 file not found", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        from sifund.ingest.datafile import load_datafile_located, locate_figures

        ds, doc = load_datafile_located(p, allow_repeats=False)
        locate_figures(ds, doc, str(p))
        return ds
    if suffix in (".xlsx", ".xlsm"):
        from sifund.ingest.xlsx_template import load_workbook_dataset

        return _no_repeats(load_workbook_dataset(p), str(p))
    raise SifundError(
        f"不支持的数据文件类型 unsupported dataset type {suffix!r}（应为 .yaml/.json/.xlsx）", file=str(p)
    )


def _no_repeats(ds: Dataset, file: str) -> Dataset:
    """The repeat check for readers without line numbers: the place is the figure's own
    ``source.place`` (a sheet!cell) when it has one."""
    from sifund.ingest.checks import repeated_figures

    def where(loc: tuple) -> str:
        f = ds.figures[loc[1]]
        return (f.source.place if f.source is not None else None) or f"figures[{loc[1]}]"

    problems = [
        Problem(file, where(loc), f"{msg}（第一次在 {where(first)}） (first at {where(first)})")
        for loc, first, msg in repeated_figures(ds)
    ]
    if problems:
        raise SifundError(problems)
    return ds
