"""YAML/JSON datasets with errors that point at the line and the field path in the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sifund.core.errors import Problem, SifundError
from sifund.core.model import Dataset
from sifund.ingest.checks import dataset_problems
from sifund.util import yaml_line


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for k in loc:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "(top)"


def _message(err: dict[str, Any]) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        name = next((k for k in reversed(err["loc"]) if isinstance(k, str)), "")
        return "缺少必填字段 missing required field" + (f" {name!r}" if name else "")
    if err["type"] in ("float_parsing", "int_parsing", "float_type", "int_type"):
        return f"不是数字 not a number: {err.get('input')!r}"
    if err["type"] == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        return f"取值 {err.get('input')!r} 不允许，应为 {allowed} (value not allowed)"
    return msg


def parse_dataset(data: Any, file: str, root: yaml.Node | None = None, lines: bool = True) -> Dataset:
    """Validate parsed YAML/JSON data into a Dataset; raise SifundError naming every problem."""
    if not isinstance(data, dict):
        place = f"line {root.start_mark.line + 1}, (top)" if root is not None and lines else "(top)"
        raise SifundError([Problem(file, place, "顶层应为映射（键: 值） top level must be a mapping")])

    def place(loc: tuple[Any, ...]) -> str:
        line = yaml_line(root, loc) if lines else None
        return f"line {line}, {_path(loc)}" if line else _path(loc)

    try:
        ds = Dataset.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-")))
            problems.append(Problem(file, place(loc), _message(err)))
        raise SifundError(problems) from None
    problems = [Problem(file, place(loc), msg) for loc, msg in dataset_problems(ds)]
    if problems:
        raise SifundError(problems)
    return ds


def _json_nodes(text: str) -> yaml.Node | None:
    """JSON is (nearly) YAML, so YAML's node tree gives JSON problems their line numbers too."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def load_datafile(path: Path) -> Dataset:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad on Windows saves a BOM
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        place = f"line {line}, byte offset {e.start}"
        raise SifundError([Problem(file, place, "不是 UTF-8 编码 not UTF-8（请另存为 UTF-8）")]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            place = f"line {e.lineno}, column {e.colno}"
            raise SifundError([Problem(file, place, f"JSON 格式错误: {e.msg}")]) from None
        return parse_dataset(data, file, _json_nodes(text))
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SifundError([Problem(file, place, f"YAML 格式错误: {getattr(e, 'problem', e)}")]) from None
    return parse_dataset(data, file, root)


def dump_dataset(ds: Dataset, path: Path) -> None:
    """Write YAML or JSON by suffix; the file is written whole or not at all."""
    data = ds.to_interchange()
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from sifund.util import atomic_write_text

    atomic_write_text(path, text)
