"""The packaged data files (``sifund/data/**.yaml``), read with libyaml when it is installed.

Why: ``yaml.safe_load`` is PyYAML's pure-Python parser; the dozen data files every command
reads (codes, limits, wording, scoring …) took ≈ 0.15 s of ``sifund report``'s start-up with it
and ≈ 0.02 s with libyaml's ``CSafeLoader``, which builds the same data (same resolver and
constructor, only the scanner and parser are C). Untrusted input (datasets, ``--config``) is
read by :mod:`sifund.core.structured`, which bounds its work; these files ship with sifund.

A rule file validated by a schema is read with its node tree too (:func:`load_with_marks`), so
that each error names the file, the line and the key (:func:`marked_problems`). A pattern in such a
file is checked by :func:`compile_regex` (or :func:`valid_regex`), so that every rule file reports a
bad regex in the same words: the loader gives the file, the line and the key, this says what is wrong.
"""

from __future__ import annotations

import re
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


REGEX_INVALID = "正则表达式无效 invalid regex"
_REGEX_CONTEXT = 12  # chars of the pattern shown either side of the place re.error names


def regex_problem(e: re.error, pattern: str) -> str:
    """What is wrong with ``pattern``, and where: ``正则表达式无效 invalid regex: missing ), unterminated
    subpattern at char 1: ▲(平均|同比``. The ▲ marks the place in the pattern as compiled (after any
    placeholder expansion), with a few chars either side, so it can be found in a long pattern."""
    if e.pos is None:
        return f"{REGEX_INVALID}: {e.msg}"
    lo, hi = max(0, e.pos - _REGEX_CONTEXT), e.pos + _REGEX_CONTEXT
    before = ("…" if lo else "") + pattern[lo : e.pos]
    after = pattern[e.pos : hi] + ("…" if hi < len(pattern) else "")
    return f"{REGEX_INVALID}: {e.msg} at char {e.pos + 1}: {before}▲{after}"


def compile_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled; a bad one is a ValueError saying what is wrong (:func:`regex_problem`).

    For a schema's validators: the loader turns the ValueError into a Problem naming the file, the
    line and the key (``parse_validated``), so a bad regex in any rule file reads the same."""
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(regex_problem(e, pattern)) from None


def valid_regex(pattern: str) -> str:
    """``pattern`` itself once it compiles (for a schema that keeps patterns as text), else the
    ValueError of :func:`compile_regex`."""
    compile_regex(pattern)
    return pattern


def marked_problem(file: str, root: yaml.Node | None, loc: tuple[Any, ...], msg: str) -> Problem:
    """One problem at the key ``loc`` of a rule file: ``file: line N, a.b.c: msg`` (the line when
    ``root`` has the key or a parent of it)."""
    from sifund.util import yaml_line

    place = ".".join(str(x) for x in loc) or "(top)"
    line = yaml_line(root, loc)
    return Problem(file, f"line {line}, {place}" if line else place, msg)


def marked_problems(e: ValidationError, file: str, root: yaml.Node | None) -> SifundError:
    """A schema's errors, one Problem each, naming the key and its line in ``root`` (when found)."""
    return SifundError(
        [  # a validator's own words, without pydantic's "Value error, " label
            marked_problem(file, root, tuple(err["loc"]), err["msg"].removeprefix("Value error, "))
            for err in e.errors()
        ]
    )


def parse_validated(model: type[M], text: str, file: str) -> tuple[M, yaml.Node | None]:
    """``text`` validated as ``model`` (an empty file as ``{}``), with its node tree for the lines
    of later checks; every error names the file, the line and the key."""
    from pydantic import ValidationError

    raw, root = load_with_marks(text, file)
    try:
        return model.model_validate(raw if raw is not None else {}), root
    except ValidationError as e:
        raise marked_problems(e, file, root) from None
