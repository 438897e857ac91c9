"""Adapters that turn files into Datasets: YAML/JSON datasets, XLSX templates, report texts."""

from __future__ import annotations

from pathlib import Path

from sifund.core.errors import SifundError
from sifund.core.model import Dataset


def load_dataset(path: str | Path) -> Dataset:
    """Load a dataset from .yaml/.yml/.json (or .xlsx when the template reader is present)."""
    p = Path(path)
    if not p.exists():
        raise SifundError("文件不存在 file not found", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        from sifund.ingest.datafile import load_datafile

        return load_datafile(p)
    if suffix in (".xlsx", ".xlsm"):
        from sifund.ingest.xlsx_template import load_workbook_dataset

        return load_workbook_dataset(p)
    raise SifundError(
        f"不支持的数据文件类型 unsupported dataset type {suffix!r}（应为 .yaml/.json/.xlsx）", file=str(p)
    )
