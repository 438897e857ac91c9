"""Bounded YAML/JSON loading for untrusted input (datasets, ``--config``), with line numbers.

Why a loader of our own instead of ``yaml.safe_load``/``json.loads``:

* Bounded work. Nesting depth, node count (aliases counted as expanded, so an alias bomb is
  refused without ever being expanded) and integer length are checked while reading, never by
  recursion: a 20000-deep document or a 5001-digit integer ends with one message, not a
  RecursionError or a ValueError from ``int()``.
* Parsed once. YAML goes through libyaml's event stream (``CSafeLoader`` when present); the data
  is built from the events directly, and the line of every value is kept in a side table so a
  later validation error can name ``line 12, figures[3].value`` without parsing again.
* Nothing silently lost or absurd: a key given twice in one mapping is an error naming both lines
  (YAML and JSON), and NaN/±Infinity are refused wherever they appear (``.nan``, ``1e999``, the
  JSON literals ``NaN``/``Infinity``).

JSON is read with the ``json`` module (fast) after a string-aware bracket pre-scan for depth;
its line table is built lazily, only when a message needs a line, by reading the same text as
YAML flow style (JSON is nearly YAML).
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from sifund.core.errors import Problem, SifundError
from sifund.core.limits import StructuredLimits

Loc = tuple[Any, ...]
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when it is installed

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
MAP = "tag:yaml.org,2002:map"
MERGE_TAG = "tag:yaml.org,2002:merge"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "<<"


def path_text(loc: Loc) -> str:
    """A field path as users read it: ``figures[3].value`` (``(top)`` for the document)."""
    out = ""
    for k in loc:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "(top)"


def place(line: int | None, loc: Loc | None = None) -> str:
    parts = [f"line {line}"] if line else []
    if loc is not None:
        parts.append(path_text(loc))
    return ", ".join(parts)


@dataclass
class Document:
    """Parsed data plus the 1-based line of each value (by container identity and key/index)."""

    data: Any
    root_line: int | None = None
    lines: dict[int, Any] | None = field(default=None, repr=False)  # id(container) -> {key: line} | [line]
    _lazy: Any = field(default=None, repr=False)  # () -> Document, for JSON: lines on demand

    def line(self, loc: Loc) -> int | None:
        """The line of the value at ``loc`` (a pydantic error location), or of its nearest
        present parent when that value is missing."""
        if self.lines is None and self._lazy is not None:
            located = self._lazy()
            self._lazy = None
            if located is not None:
                self.data, self.root_line, self.lines = located.data, located.root_line, located.lines
        if self.lines is None:
            return None
        node, line = self.data, self.root_line
        for key in loc:
            table = self.lines.get(id(node))
            if isinstance(node, dict) and isinstance(table, dict) and key in node:
                line, node = table.get(key, line), node[key]
            elif (
                isinstance(node, list)
                and isinstance(table, list)
                and isinstance(key, int)
                and 0 <= key < len(node)
            ):
                line, node = table[key], node[key]
            else:
                break
        return line

    def place(self, loc: Loc) -> str:
        return place(self.line(loc), loc)


class _Refused(Exception):
    """A limit or rule broken while reading; carries the message and where."""

    def __init__(self, message: str, line: int | None = None, loc: Loc | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.loc = message, line, loc


@contextmanager
def no_gc() -> Iterator[None]:
    """Building a million small objects triggers the cyclic GC again and again (3–5× slower);
    the data built here has no cycles, so collecting during the build is pure waste."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _problem(file: str, e: _Refused) -> SifundError:
    return SifundError([Problem(file, place(e.line, e.loc), e.message)])


def _yaml_error(file: str, e: yaml.YAMLError, lim: StructuredLimits) -> SifundError:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = str(getattr(e, "problem", None) or e)
    if "nesting depth" in problem:  # libyaml's own bound (1000), met while scanning ahead
        return SifundError(
            [Problem(file, where, f"嵌套层数超过 {lim.max_depth} (nesting deeper than {lim.max_depth})")]
        )
    return SifundError([Problem(file, where, f"YAML 格式错误 (YAML syntax error): {problem}")])


# ---- YAML ---------------------------------------------------------------------------------

_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_SCALAR_CONSTRUCTORS = SafeConstructor.yaml_constructors


class _Frame:
    """One open mapping or sequence, with its line table and the key awaiting its value."""

    __slots__ = ("anchor", "cap", "has_key", "is_list", "key", "key_line", "line", "lines", "merges", "name",
                 "obj", "start")  # fmt: skip

    def __init__(self, obj: Any, anchor: str | None, start: int, line: int) -> None:
        self.obj, self.anchor, self.start, self.line = obj, anchor, start, line
        self.is_list = isinstance(obj, list)
        self.lines: Any = [] if self.is_list else {}
        self.cap: int | None = None
        self.name = ""
        self.key: Any = None
        self.key_line = 0
        self.has_key = False
        self.merges: list[tuple[Any, int]] = []


def _loc(stack: list[_Frame]) -> Loc:
    """The path of the value being read, for messages."""
    out: list[Any] = []
    for fr in stack:
        if isinstance(fr.obj, list):
            out.append(len(fr.obj))
        elif fr.has_key:
            out.append(fr.key)
    return tuple(out)


def _int_digits(value: str) -> int:
    return sum(c.isdigit() for c in value) if len(value) < 10_000 else len(value)


_IMPLICIT = _RESOLVER.yaml_implicit_resolvers
_TAGS: dict[str, str] = {}  # plain scalar -> resolved tag; keys, codes and words repeat in every figure
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")


def _plain_tag(value: str) -> str:
    """The implicit tag of a plain scalar (YAML 1.1 rules of PyYAML's Resolver), memoised."""
    tag = _TAGS.get(value)
    if tag is None:
        tag = STR
        for candidate, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                tag = candidate
                break
        if len(value) <= 40:
            if len(_TAGS) > 100_000:
                _TAGS.clear()
            _TAGS[value] = tag
    return tag


def _scalar(ev: Any, lim: StructuredLimits, stack: list[_Frame]) -> Any:
    value: str = ev.value
    tag = ev.tag
    if tag is None or tag == "!":
        if not ev.implicit[0]:
            return value  # quoted: a string
        tag = _plain_tag(value)
    if tag in (STR, MERGE_TAG):
        return value
    if tag in (FLOAT, INT) and len(value) <= lim.max_int_digits and _DECIMAL.match(value):
        return float(value) if tag == FLOAT else int(value)  # the common case, without a node
    line = ev.start_mark.line + 1
    if tag == INT and _int_digits(value) > lim.max_int_digits:
        msg = f"整数位数过多 integer too long（{_int_digits(value)} 位，上限 {lim.max_int_digits}）"
        raise _Refused(msg, line, _loc(stack))
    ctor = _SCALAR_CONSTRUCTORS.get(tag)
    if ctor is None:
        raise _Refused(f"不支持的 YAML 标签 unsupported tag {tag!r}", line, _loc(stack))
    node = yaml.ScalarNode(tag, value, ev.start_mark, ev.end_mark, ev.style)
    try:
        out = ctor(_CONSTRUCTOR, node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError) as e:
        raise _Refused(f"无法读取取值 cannot read value {value[:40]!r}: {e}", line, _loc(stack)) from None
    if isinstance(out, float) and not math.isfinite(out):
        raise _Refused(f"不是有限数 not a finite number: {value!r}", line, _loc(stack))
    return out


def _finish_mapping(fr: _Frame) -> None:
    """Apply ``<<`` merge keys: explicit keys win, then the merged mappings in order."""
    if not fr.merges:
        return
    for value, line in fr.merges:
        sources = value if isinstance(value, list) else [value]
        for src in sources:
            if not isinstance(src, dict):
                raise _Refused("合并键 << 的值应为映射 merge key needs a mapping", line)
            for k, v in src.items():
                if k not in fr.obj:
                    fr.obj[k] = v
                    fr.lines[k] = line


def read_yaml(
    text: str, file: str, lim: StructuredLimits, list_caps: Mapping[str, int] | None = None
) -> Document:
    """One YAML document, built from libyaml's events with every limit checked on the way.

    ``list_caps`` bounds top-level lists by key (``{"figures": 50000}``), so an oversized list is
    refused as soon as its limit is passed rather than after reading the whole file."""
    try:
        with no_gc():
            return _build_yaml(text, lim, list_caps)
    except _Refused as e:
        raise _problem(file, e) from None
    except yaml.YAMLError as e:
        raise _yaml_error(file, e, lim) from None


def _build_yaml(text: str, lim: StructuredLimits, list_caps: Mapping[str, int] | None = None) -> Document:
    """The event loop: one pass over libyaml's events, a stack of open containers, no recursion.

    Written for speed (a 50,000-figure dataset is about a million events): the common case, a
    scalar in a mapping or list, is handled inline; everything else leaves the loop."""
    lines: dict[int, Any] = {}
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    caps = list_caps or {}
    nodes = 0
    docs = 0
    root: Any = None
    root_line: int | None = None
    max_nodes, max_depth = lim.max_nodes, lim.max_depth
    SE, MS, SS, AE = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent
    ME, QE, DS, END = (
        yaml.MappingEndEvent,
        yaml.SequenceEndEvent,
        yaml.DocumentStartEvent,
        yaml.StreamEndEvent,
    )
    top: _Frame | None = None

    def add(fr: _Frame | None, value: Any, line: int) -> None:
        nonlocal root, root_line
        if fr is None:
            root, root_line = value, line
        elif fr.is_list:
            fr.obj.append(value)
            fr.lines.append(line)
            if fr.cap is not None and len(fr.obj) > fr.cap:
                raise _Refused(
                    f"{fr.name} 过多（超过 {fr.cap:,} 个） (too many {fr.name}; limit {fr.cap:,})", line
                )
        elif not fr.has_key:
            if isinstance(value, (dict, list)):
                raise _Refused("不支持以映射或列表作键 complex keys are not supported", line, _loc(stack))
            fr.key, fr.key_line, fr.has_key = value, line, True
        else:
            key = fr.key
            if key == MERGE:
                fr.has_key = False
                fr.merges.append((value, fr.key_line))
                return
            if key in fr.obj:
                first = fr.lines.get(key, "?")
                msg = f"键 {key!r} 重复（第一次在 line {first}） (duplicate key; first at line {first})"
                raise _Refused(msg, fr.key_line, _loc(stack))
            fr.has_key = False
            fr.obj[key] = value
            fr.lines[key] = fr.key_line  # the key's line: where a user looks for the field

    loader = _Loader(text)
    get_event = loader.get_event
    try:
        while True:
            ev = get_event()
            cls = type(ev)
            if cls is SE:
                nodes += 1
                value = _scalar(ev, lim, stack)
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, 1)
                add(top, value, ev.start_mark.line + 1)
            elif cls is MS or cls is SS:
                nodes += 1
                line = ev.start_mark.line + 1
                if len(stack) >= max_depth:
                    raise _Refused(f"嵌套层数超过 {max_depth} (nesting deeper than {max_depth})", line)
                tag = ev.tag
                if tag not in (None, "!", MAP if cls is MS else SEQ):
                    raise _Refused(f"不支持的 YAML 标签 unsupported tag {tag!r}", line, _loc(stack))
                fr = _Frame({} if cls is MS else [], ev.anchor, nodes, line)
                lines[id(fr.obj)] = fr.lines
                if fr.is_list and len(stack) == 1 and top is not None and top.has_key and top.key in caps:
                    fr.name, fr.cap = str(top.key), caps[top.key]
                stack.append(fr)
                top = fr
            elif cls is ME or cls is QE:
                fr = stack.pop()
                top = stack[-1] if stack else None
                if fr.merges:
                    _finish_mapping(fr)
                if fr.anchor is not None:
                    anchors[fr.anchor] = (fr.obj, nodes - fr.start + 1)
                add(top, fr.obj, fr.line)
            elif cls is AE:
                line = ev.start_mark.line + 1
                if ev.anchor not in anchors:  # also a reference to an anchor still being read
                    raise _Refused(f"未定义的锚点 undefined alias *{ev.anchor}", line, _loc(stack))
                value, size = anchors[ev.anchor]
                nodes += size  # counted as expanded: an alias bomb is refused here, never expanded
                add(top, value, line)
            elif cls is DS:
                docs += 1
                if docs > 1:
                    raise _Refused("文件中只能有一个 YAML 文档 (only one YAML document allowed)",
                                   ev.start_mark.line + 1)  # fmt: skip
            elif cls is END:
                break
            if nodes > max_nodes:
                msg = f"节点过多（超过 {max_nodes:,} 个） (too many nodes; limit {max_nodes:,})"
                raise _Refused(msg, ev.start_mark.line + 1 if ev.start_mark else None)
    finally:
        loader.dispose()
    return Document(root, root_line, lines)


# ---- JSON ---------------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")


class _JsonRefused(Exception):
    def __init__(self, message: str, token: str | None = None) -> None:
        super().__init__(message)
        self.message, self.token = message, token


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _outside_strings(text: str, token: str) -> int | None:
    """Offset of the first ``token`` that is not inside a JSON string (error path only)."""
    spans = [(m.start(), m.end()) for m in _JSON_STRING.finditer(text)]
    i, pos = 0, text.find(token)
    while pos >= 0:
        while i < len(spans) and spans[i][1] <= pos:
            i += 1
        if i >= len(spans) or pos < spans[i][0]:
            return pos
        pos = text.find(token, spans[i][1])
    return None


def _json_depth(text: str, lim: StructuredLimits) -> None:
    """Depth and size of the bracket structure, without recursion: strings removed, then
    innermost pairs peeled one level per pass (at most max_depth passes over the brackets)."""
    bare = _JSON_STRING.sub("", text)
    values = bare.count(",") + bare.count("[") + bare.count("{") + 1
    if values > lim.max_nodes:
        raise _JsonRefused(f"节点过多（超过 {lim.max_nodes:,} 个） (too many nodes; limit {lim.max_nodes:,})")
    brackets = _NOT_BRACKET.sub("", bare)
    for _ in range(lim.max_depth):
        if not brackets:
            return
        peeled = _PAIR.sub("", brackets)
        if peeled == brackets:
            return  # unbalanced: json.loads says where
        brackets = peeled
    if brackets and _PAIR.search(brackets):
        depth, pos = 0, 0
        for m in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[\]}]', text):
            c = m.group()
            if c in "[{":
                depth += 1
                if depth > lim.max_depth:
                    pos = m.start()
                    break
            elif c in "]}":
                depth -= 1
        raise _JsonRefused(f"嵌套层数超过 {lim.max_depth} (nesting deeper than {lim.max_depth})", f"@{pos}")


def read_json(text: str, file: str, lim: StructuredLimits) -> Document:
    """A JSON document: depth pre-scan, then ``json.loads`` with hooks for duplicate keys,
    integer length and non-finite numbers. Lines come later, only if a message needs one."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            dup = next(k for k, _ in items if k in seen or seen.add(k))  # type: ignore[func-returns-value]
            raise _JsonRefused(f"键 {dup!r} 重复 (duplicate key)", f"dup:{dup}")
        return out

    def parse_int(s: str) -> int:
        if len(s) - s.startswith("-") > lim.max_int_digits:
            raise _JsonRefused(f"整数位数过多 integer too long（上限 {lim.max_int_digits} 位）", s[:60])
        return int(s)

    def parse_float(s: str) -> float:
        v = float(s)
        if not math.isfinite(v):
            raise _JsonRefused(f"不是有限数 not a finite number: {s[:40]}", s[:60])
        return v

    def parse_constant(s: str) -> float:
        raise _JsonRefused(f"JSON 不允许 {s} (not a finite number)", s)

    try:
        with no_gc():
            _json_depth(text, lim)
            data = json.loads(text, object_pairs_hook=pairs, parse_int=parse_int, parse_float=parse_float,
                              parse_constant=parse_constant)  # fmt: skip
    except _JsonRefused as e:
        raise SifundError([Problem(file, _json_place(text, e, lim), e.message)]) from None
    except json.JSONDecodeError as e:
        where = f"line {e.lineno}, column {e.colno}"
        raise SifundError([Problem(file, where, f"JSON 格式错误 (JSON syntax error): {e.msg}")]) from None
    except RecursionError:  # the pre-scan makes this unreachable; kept so no traceback can escape
        raise SifundError([Problem(file, "", f"嵌套层数超过 {lim.max_depth} (nesting too deep)")]) from None
    return Document(data, _lazy=lambda: _json_lines(text, lim))


def _json_lines(text: str, lim: StructuredLimits) -> Document | None:
    """The same JSON read as YAML flow style, for its line table (None when YAML disagrees)."""
    try:
        with no_gc():
            return _build_yaml(text, lim)
    except (_Refused, yaml.YAMLError):
        return None


def _json_place(text: str, e: _JsonRefused, lim: StructuredLimits) -> str:
    token = e.token
    if token is None:
        return ""
    if token.startswith("@"):
        return f"line {_line_at(text, int(token[1:]))}"
    if token.startswith("dup:"):
        try:
            with no_gc():
                _build_yaml(text, lim)
        except _Refused as found:  # YAML reading finds the same duplicate, with both lines
            e.message = found.message
            return place(found.line, found.loc)
        except yaml.YAMLError:
            pass
        return ""
    pos = _outside_strings(text, token)
    return "" if pos is None else f"line {_line_at(text, pos)}"


def read_structured(
    text: str, file: str, lim: StructuredLimits, json_syntax: bool, list_caps: Mapping[str, int] | None = None
) -> Document:
    """YAML or JSON text into a Document; every problem is a SifundError naming file and line.
    (JSON lists are counted after ``json.loads``, which is fast enough for the largest file.)"""
    return read_json(text, file, lim) if json_syntax else read_yaml(text, file, lim, list_caps)
