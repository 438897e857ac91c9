"""The packaged data files (``sifund/data/**.yaml``), read with libyaml when it is installed.

Why: ``yaml.safe_load`` is PyYAML's pure-Python parser; the dozen data files every command
reads (codes, limits, wording, scoring …) took ≈ 0.15 s of ``sifund report``'s start-up with it
and ≈ 0.02 s with libyaml's ``CSafeLoader``, which builds the same data (same resolver and
constructor, only the scanner and parser are C). Untrusted input (datasets, ``--config``) is
read by :mod:`sifund.core.structured`, which bounds its work; these files ship with sifund.

A rule file validated by a schema is read with its node tree too (:func:`load_with_marks`), so
that each error names the file, the line and the key (:func:`marked_problems`).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from sifund.core.errors import Problem, SifundError

if TYPE_CHECKING:  # pydantic is imported where a schema is validated, not by every data file read
    from pydantic import BaseModel, ValidationError

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound="BaseModel")


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's parser when it is available."""
    return yaml.load(text, Loader=SafeLoader)  # a safe loader, C or Python


def data_text(*parts: str) -> str:
    """A packaged data file's text, for a reader that needs more than the data (line marks)."""
    return resources.files("sifund.data").joinpath(*parts).read_text("utf-8")


def data_yaml(*parts: str) -> Any:
    """A packaged data file: ``data_yaml("render", "report.yaml")`` is sifund/data/render/report.yaml."""
    return load_yaml(data_text(*parts))


def load_with_marks(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """A rule file's data and its composed node tree, whose marks give the line of a later error.

    A YAML syntax error is a SifundError naming the file, the line and the column."""
    try:
        root = yaml.compose(text, Loader=SafeLoader)
        raw: Any = yaml.load(text, Loader=SafeLoader)  # a safe loader, C or Python
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SifundError([Problem(file, place, f"YAML 格式错误: {getattr(e, 'problem', e)}")]) from None
    return raw, root


def marked_problems(e: ValidationError, file: str, root: yaml.Node | None) -> SifundError:
    """A schema's errors, one Problem each, naming the key and its line in ``root`` (when found)."""
    from sifund.util import yaml_line

    problems = []
    for err in e.errors():
        loc = tuple(err["loc"])
        place = ".".join(str(x) for x in loc) or "(top)"
        line = yaml_line(root, loc)
        problems.append(Problem(file, f"line {line}, {place}" if line else place, err["msg"]))
    return SifundError(problems)


def parse_validated(model: type[M], text: str, file: str) -> tuple[M, yaml.Node | None]:
    """``text`` validated as ``model`` (an empty file as ``{}``), with its node tree for the lines
    of later checks; every error names the file, the line and the key."""
    from pydantic import ValidationError

    raw, root = load_with_marks(text, file)
    try:
        return model.model_validate(raw if raw is not None else {}), root
    except ValidationError as e:
        raise marked_problems(e, file, root) from None
