"""Limits on untrusted input, as data (``data/limits.yaml``), overridable per installation.

Why a module of its own: every reader (reports, datasets, XLSX, PDF), every writer and the web
upload path must agree on the same bounds, and an administrator must be able to raise one without
editing code. ``SIFUND_LIMITS=/path/limits.yaml`` merges a user file over the packaged defaults;
a typo in it is a clear error naming the key.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sifund.core.errors import Problem, SifundError
from sifund.core.packaged import data_yaml

ENV = "SIFUND_LIMITS"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileLimits(_Section):
    max_report_bytes: int = Field(gt=0)
    max_dataset_bytes: int = Field(gt=0)
    max_config_bytes: int = Field(gt=0)


class ZipLimits(_Section):
    max_members: int = Field(gt=0)
    max_part_bytes: int = Field(gt=0)
    max_total_bytes: int = Field(gt=0)
    max_ratio: float = Field(gt=0)
    max_xml_nodes: int = Field(gt=0)


class PdfLimits(_Section):
    max_pages: int = Field(gt=0)
    max_stream_bytes: int = Field(gt=0)
    max_total_stream_bytes: int = Field(gt=0)
    max_seconds: float = Field(gt=0)
    max_object_depth: int = Field(gt=0)


class XlsxLimits(_Section):
    max_rows: int = Field(gt=0)
    max_cols: int = Field(gt=0)
    max_cells: int = Field(gt=0)


class StructuredLimits(_Section):
    max_depth: int = Field(gt=0)
    max_int_digits: int = Field(gt=0)
    max_nodes: int = Field(gt=0)


class DatasetLimits(_Section):
    max_figures: int = Field(gt=0)
    max_indicators: int = Field(gt=0)
    max_text_chars: int = Field(gt=0)
    max_name_chars: int = Field(gt=0)
    max_abs_value: float = Field(gt=0, allow_inf_nan=False)
    min_abs_value: float = Field(gt=0, allow_inf_nan=False)


class TextLimits(_Section):
    max_chars: int = Field(gt=0)


class Limits(_Section):
    files: FileLimits
    zip: ZipLimits
    pdf: PdfLimits
    xlsx: XlsxLimits
    structured: StructuredLimits
    dataset: DatasetLimits
    text: TextLimits


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


@cache
def _load(override: str) -> Limits:
    raw = data_yaml("limits.yaml")
    file = ""
    if override:
        file = override
        try:
            text = Path(override).read_text("utf-8")
            user = yaml.safe_load(text) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            msg = f"无法读取限额配置 cannot read limits ({ENV}): {e}"
            raise SifundError(Problem(file, "", msg)) from None
        if not isinstance(user, dict):
            raise SifundError(Problem(file, "(top)", "顶层应为映射 top level must be a mapping"))
        raw = _merge(raw, user)
    try:
        return Limits.model_validate(raw)
    except ValidationError as e:
        raise SifundError(
            [
                Problem(file or "limits.yaml", ".".join(str(x) for x in err["loc"]), err["msg"])
                for err in e.errors()
            ]
        ) from None


def limits() -> Limits:
    """The limits in force: packaged defaults, merged with ``$SIFUND_LIMITS`` when set."""
    return _load(os.environ.get(ENV, ""))


def mb(n: float) -> str:
    """A byte count for a message: "50 MB"."""
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"
