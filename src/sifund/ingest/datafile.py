"""YAML/JSON datasets with errors that point at the line and the field path in the file.

The file is untrusted: it is read through the guard (regular file, size limit), parsed once by the
bounded loader of :mod:`sifund.core.structured` (depth, nodes, integer length, duplicate keys,
NaN/Infinity), and validated by the model; every problem is one line naming the file and place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.core.model import Dataset, Source
from sifund.core.structured import Document, no_gc, path_text, read_structured
from sifund.guard import read_bounded
from sifund.ingest.checks import dataset_problems, repeated_figures


def _message(err: dict[str, Any]) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        name = next((k for k in reversed(err["loc"]) if isinstance(k, str)), "")
        return "缺少必填字段 missing required field" + (f" {name!r}" if name else "")
    if err["type"] in ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"):
        return f"不是数字 not a number: {_shown(err.get('input'))}"
    if err["type"] == "finite_number":
        return f"不是有限数 not a finite number: {_shown(err.get('input'))}"
    if err["type"] == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"取值 {_shown(err.get('input'))} 不允许，应为 {allowed} (value not allowed)"
    if err["type"] in ("string_type", "dict_type", "list_type", "model_type", "model_attributes_type"):
        want = {"string_type": "文本 text", "dict_type": "映射 mapping", "list_type": "列表 list"}
        return f"类型不对 wrong type: {_shown(err.get('input'))}，应为{want.get(err['type'], '映射 mapping')}"
    return msg


def _shown(value: Any) -> str:
    """An input value for a message: short, one line (the input may be a 5000-character string)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _too_many(data: dict[str, Any], doc: Document | None, file: str) -> list[Problem]:
    """Count limits checked on the raw data, before the model builds 100k objects to refuse."""
    lim = limits().dataset
    out = []
    for key, cap in (("figures", lim.max_figures), ("indicators", lim.max_indicators)):
        items = data.get(key)
        if isinstance(items, list) and len(items) > cap:
            where = doc.place((key,)) if doc is not None else key
            msg = f"{key} 过多（{len(items):,} 个，上限 {cap:,}） (too many {key}; limit {cap:,})"
            out.append(Problem(file, where, msg))
    return out


def parse_dataset(
    data: Any,
    file: str,
    root: Document | yaml.Node | None = None,
    lines: bool = True,
    allow_repeats: bool = True,
) -> Dataset:
    """Validate parsed YAML/JSON data into a Dataset; raise SifundError naming every problem.

    ``root`` is the Document the data came from (for line numbers); a composed yaml.Node is still
    accepted for older callers. ``allow_repeats=False`` also refuses a figure given twice without
    a source each (see ``checks.repeated_figures``): the commands ask for that, while the
    interchange itself may carry repeats and round-trips them."""
    doc = root if isinstance(root, Document) and lines else None

    def place(loc: tuple[Any, ...]) -> str:
        if doc is not None:
            return doc.place(loc)
        if isinstance(root, yaml.Node) and lines:
            from sifund.util import yaml_line

            line = yaml_line(root, loc)
            return f"line {line}, {path_text(loc)}" if line else path_text(loc)
        return path_text(loc)

    if not isinstance(data, dict):
        raise SifundError([Problem(file, place(()), "顶层应为映射（键: 值） top level must be a mapping")])
    if problems := _too_many(data, doc, file):
        raise SifundError(problems)
    try:
        ds = Dataset.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-")))
            problems.append(Problem(file, place(loc), _message(err)))
        raise SifundError(problems) from None
    problems = [Problem(file, place(loc), msg) for loc, msg in dataset_problems(ds)]
    for loc, first, msg in () if allow_repeats else repeated_figures(ds):
        problems.append(
            Problem(file, place(loc), f"{msg}（第一次在 {place(first)}） (first at {place(first)})")
        )
    if problems:
        raise SifundError(problems)
    return ds


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # Notepad on Windows saves a BOM
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        place = f"line {line}, byte offset {e.start}"
        raise SifundError([Problem(file, place, "不是 UTF-8 编码 not UTF-8（请另存为 UTF-8）")]) from None


def load_datafile(path: Path, allow_repeats: bool = True) -> Dataset:
    """Read, parse and validate one .yaml/.yml/.json dataset (bounded in size, depth and count)."""
    return load_datafile_located(path, allow_repeats)[0]


def load_datafile_located(path: Path, allow_repeats: bool = True) -> tuple[Dataset, Document]:
    """:func:`load_datafile`, also returning the parsed Document, whose line table gives the
    place (``line N``) of every figure for messages about stated figures."""
    file = str(path)
    raw = read_bounded(path, limits().files.max_dataset_bytes)
    text = _decode(raw, file)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SifundError(
            [Problem(file, f"line {line}", "含有 NUL 字符，不是文本文件 (NUL byte: not a text file)")]
        )
    with no_gc():  # parse and validate build ~20 objects per figure, none of them cyclic
        caps = {"figures": limits().dataset.max_figures, "indicators": limits().dataset.max_indicators}
        is_json = path.suffix.lower() == ".json"
        doc = read_structured(text, file, limits().structured, json_syntax=is_json, list_caps=caps)
        return parse_dataset(doc.data, file, doc, allow_repeats=allow_repeats), doc


def locate_figures(ds: Dataset, doc: Document, file: str) -> None:
    """Give every figure its place in the file (``source.place = "line N"``), as the XLSX reader
    gives ``Sheet!Cell``: a warning about a stated figure must name where the user typed it.

    Done after validation (the repeat check tells a sourced repeat from an authored one) and
    only by the command loader, so :func:`load_datafile` still returns exactly what the file says.
    A figure with a source of its own (extracted from a report) keeps it and gains the place."""
    for key, rows in (("figures", ds.figures), ("indicators", ds.indicators)):
        for i, f in enumerate(rows):
            line = doc.line((key, i))
            if not line:
                continue
            if f.source is None:
                f.source = Source.model_construct(start=0, end=0, text="", file=file, place=f"line {line}")
            elif not f.source.place:
                f.source.place = f"line {line}"


def dump_dataset(ds: Dataset, path: Path) -> None:
    """Write YAML or JSON by suffix; the file is written whole or not at all."""
    data = ds.to_interchange()
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from sifund.util import atomic_write_text

    atomic_write_text(path, text)
