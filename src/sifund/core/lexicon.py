"""The lexicon of the genre (``data/review/lexicon.yaml``): named word classes, each defined once.

Why: the extraction rules used to spell every word class again in every pattern that needed it
(增加 sixteen times, 上年 eighteen), and the copies drifted apart — 上升 was a rate word but not a
change word, 缩减 gave a sign but no pattern read it. Now a pattern names the class
(``{dir.up}``, expanded by :func:`alternation`) and the tokenizer types words by the same classes,
so one word added here reaches every rule that speaks of its class.

It lives in ``core`` because :func:`sifund.core.numbers.sign_from_words` reads its direction
words; the review's rules and tokenizer are its other readers.

The file is validated at load: an unknown key, a class that is empty or includes a class that is
not defined, a word with a space or a digit, is an error naming lexicon.yaml and the line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sifund.core.codes import codebook
from sifund.core.errors import SifundError
from sifund.core.numbers import UNITS
from sifund.core.packaged import data_text, load_with_marks, marked_problem, marked_problems

LEXICON_FILE = "sifund/data/review/lexicon.yaml"
_NAME = r"[a-z][a-z_]*(?:\.[a-z][a-z_]*)*"
NAME_RE = re.compile(_NAME)
_SOURCES = ("funds", "items", "units")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _word(w: str) -> str:
    if not w or re.search(r"\s|\d", w):
        raise ValueError(f"词不能为空、含空白或数字 a word has no blank and no digit: {w!r}")
    return w


class _ClassSpec(_Strict):
    words: list[str] = Field(default_factory=list)
    source: str | None = Field(None, alias="from")
    include: list[str] = Field(default_factory=list)
    sign: Literal[1, -1] | None = None
    stems: list[str] = Field(default_factory=list)
    synonyms: dict[str, str] = Field(default_factory=dict)
    examples: list[str] = Field(min_length=1)

    @field_validator("words")
    @classmethod
    def _words(cls, v: list[str]) -> list[str]:
        return [_word(w) for w in v]

    @field_validator("source")
    @classmethod
    def _source(cls, v: str | None) -> str | None:
        if v is None or v in _SOURCES:
            return v
        measure = v.removeprefix("measures.")
        if v.startswith("measures.") and measure in codebook().measures:
            return v
        raise ValueError(f"未知来源 unknown source {v!r}（可用 funds / items / units / measures.<代码>）")

    @field_validator("stems")
    @classmethod
    def _stems(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if len(s) != 1]
        if bad:
            raise ValueError(f"词干应为单字 a stem is one character: {', '.join(bad)}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> _ClassSpec:
        if not self.words and self.source is None and not self.include:
            raise ValueError("词类为空 empty class: give words, from or include")
        if self.include and (self.words or self.source or self.sign or self.stems):
            raise ValueError("include 词类只是并集，不能另有 words/from/sign/stems: a union has no words")
        if self.stems and self.sign is None:
            raise ValueError("stems 只用于有 sign 的词类 stems need a sign")
        if self.synonyms and self.source != "units":
            raise ValueError("synonyms 只用于 from: units 的词类 synonyms belong to the units class")
        for word, unit in self.synonyms.items():
            if unit not in UNITS or len(word) != len(unit):
                raise ValueError(f"同义单位须与已知单位等长 same length as its unit: {word}→{unit}")
        return self


class _LexiconSpec(_Strict):
    classes: dict[str, _ClassSpec] = Field(min_length=1)

    @field_validator("classes")
    @classmethod
    def _names(cls, v: dict[str, _ClassSpec]) -> dict[str, _ClassSpec]:
        bad = [n for n in v if not NAME_RE.fullmatch(n)]
        if bad:
            raise ValueError(f"词类名应为小写点分 a class name is dotted lower case: {', '.join(bad)}")
        return v


@dataclass(frozen=True)
class WordClass:
    """One class: its words (its own and those taken ``from`` the code list; for a union, those of the
    classes it includes), the code each word taken from the code list stands for, and its sign."""

    name: str
    words: tuple[str, ...]
    codes: Mapping[str, str]
    include: tuple[str, ...]
    sign: int | None
    stems: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Lexicon:
    classes: Mapping[str, WordClass]
    unit_synonyms: Mapping[str, str]

    def __getitem__(self, name: str) -> WordClass:
        try:
            return self.classes[name]
        except KeyError:
            raise KeyError(f"{LEXICON_FILE}: 未定义的词类 undefined word class {name!r}") from None

    def words(self, name: str) -> tuple[str, ...]:
        """The words of a class, longest first (a union's are those of the classes it includes)."""
        return _words(self, name)

    def alternation(self, name: str) -> str:
        """A non-capturing regex group of the class's words, longest first, so that the longest word
        at a place wins ("上年同期" before "上年")."""
        return _alternation(self, name)

    def signs(self) -> tuple[tuple[str, int], ...]:
        """Every word and stem of a signed class with its sign (for ``sign_from_words``)."""
        return _signs(self)


@cache
def _words(lex: Lexicon, name: str) -> tuple[str, ...]:
    wc = lex[name]
    words = [w for inc in wc.include for w in _words(lex, inc)] if wc.include else list(wc.words)
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@cache
def _alternation(lex: Lexicon, name: str) -> str:
    return "(?:" + "|".join(re.escape(w) for w in _words(lex, name)) + ")"


@cache
def _signs(lex: Lexicon) -> tuple[tuple[str, int], ...]:
    out: dict[str, int] = {}
    for wc in lex.classes.values():
        if wc.sign is not None:
            for w in (*wc.words, *wc.stems):
                out.setdefault(w, wc.sign)
    return tuple(out.items())


def _source_words(source: str | None) -> dict[str, str]:
    """word → code for a class's ``from``."""
    if source is None:
        return {}
    cb = codebook()
    out: dict[str, str] = {}
    if source == "funds":
        for alias, code in cb.fund_aliases():
            out.setdefault(alias, code)
    elif source == "items":
        for alias, code in cb.item_aliases():
            out.setdefault(alias, code)
    elif source == "units":
        out = {u: u for u in UNITS if u}
    else:
        m = cb.measures[source.removeprefix("measures.")]
        for w in (m.name, *m.aliases):
            out.setdefault(re.sub(r"\s+", "", w), m.code)
    return out


def parse_lexicon(text: str, file: str = LEXICON_FILE) -> Lexicon:
    """Validate a lexicon YAML text; every error names the file, the line and the key."""
    raw, root = load_with_marks(text, file)
    if not isinstance(raw, dict):
        raise SifundError("顶层应为映射（classes） top level must be a mapping", file=file)
    try:
        spec = _LexiconSpec.model_validate(raw)
    except ValidationError as e:
        raise marked_problems(e, file, root) from None
    problems = [
        (("classes", name, "include", i), f"未定义的词类 undefined word class {inc!r}")
        for name, c in spec.classes.items()
        for i, inc in enumerate(c.include)
        if inc not in spec.classes
    ]
    problems += [
        (("classes", name, "include", i), f"include 只能引用有词的词类 includes a union {inc!r}")
        for name, c in spec.classes.items()
        for i, inc in enumerate(c.include)
        if inc in spec.classes and spec.classes[inc].include
    ]
    if problems:
        raise SifundError([marked_problem(file, root, loc, msg) for loc, msg in problems])
    classes: dict[str, WordClass] = {}
    synonyms: dict[str, str] = {}
    for name, c in spec.classes.items():
        codes = _source_words(c.source)
        for word, unit in c.synonyms.items():
            codes.setdefault(word, unit)
        synonyms.update(c.synonyms)
        words = tuple(dict.fromkeys([*c.words, *codes]))
        classes[name] = WordClass(
            name, words, MappingProxyType(codes), tuple(c.include), c.sign, tuple(c.stems), tuple(c.examples)
        )
    return Lexicon(MappingProxyType(classes), MappingProxyType(synonyms))


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon (parsed once per process)."""
    return parse_lexicon(data_text("review", "lexicon.yaml"))


def alternation(name: str) -> str:
    """The packaged class ``name`` as a regex alternation, longest word first."""
    return lexicon().alternation(name)


def words(name: str) -> tuple[str, ...]:
    """The words of the packaged class ``name``, longest first."""
    return lexicon().words(name)
