"""A bad regex in any rule file is reported the same way: the file, the line and the key, then what is
wrong and where in the pattern (core/packaged.py's ``compile_regex``, the one check every loader uses).

Why: four loaders each had their own try/except around ``re.compile`` and said it three ways
(不是有效的正则表达式 / 正则表达式有误 / 正则表达式无效), with pydantic's "Value error, " in front in two.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.core.packaged import REGEX_INVALID, compile_regex, data_text, parse_validated, valid_regex

UNCLOSED = f"{REGEX_INVALID}: missing ), unterminated subpattern at char 1: ▲("


def test_compile_regex_says_what_is_wrong_and_where() -> None:
    """The message names re's complaint and marks the place with ▲, a few chars either side."""
    with pytest.raises(ValueError) as e:
        compile_regex("收入|(支出")
    assert str(e.value) == f"{REGEX_INVALID}: missing ), unterminated subpattern at char 4: 收入|▲(支出"
    with pytest.raises(ValueError) as e:
        compile_regex("基金收入合计|基金支出合计|[本年|上年|滚存结余合计数")
    near = "…收入合计|基金支出合计|▲[本年|上年|滚存结余合…"  # 12 chars either side at most
    assert str(e.value) == f"{REGEX_INVALID}: unterminated character set at char 15: {near}"
    assert compile_regex("收入|支出").pattern == "收入|支出" and valid_regex("收入|支出") == "收入|支出"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _extract(text: str) -> None:
    from sifund.review.rules import parse_extract_rules

    parse_extract_rules(text)


def _grid(text: str) -> None:
    from sifund.review.grid import GRID_RULES, GridRules

    parse_validated(GridRules, text, GRID_RULES)


def _audit(text: str) -> None:
    from sifund.engine.audit import AUDIT_RULES, AuditRules

    parse_validated(AuditRules, text, AUDIT_RULES)


# loader, packaged file, the key as written in it, its dotted path in the error
PACKAGED = [
    pytest.param(_extract, ("review", "extract.yaml"), 'not_yoy: "', "not_yoy", id="extract.yaml"),
    pytest.param(_grid, ("review", "grid.yaml"), 'title_not_end: "', "caption.title_not_end", id="grid.yaml"),
    pytest.param(_audit, ("engine", "audit.yaml"), 'reason_given: "', "reason_given", id="audit.yaml"),
]


@pytest.mark.parametrize(("load", "file", "key", "where"), PACKAGED)
def test_a_bad_regex_in_a_packaged_rule_file(
    load: Callable[[str], None], file: tuple[str, str], key: str, where: str
) -> None:
    """An unclosed bracket opened at the start of a pattern: the same words from every rule file."""
    text = data_text(*file)
    assert text.count(key) == 1, key
    with pytest.raises(SifundError) as e:
        load(text.replace(key, key + "(", 1))
    line = f"sifund/data/{'/'.join(file)}: line {_line_of(text, key)}, {where}: {UNCLOSED}"
    assert line in str(e.value).splitlines()[0], str(e.value)


def test_a_bad_regex_in_a_user_config(tmp_path: Path) -> None:
    """``--config`` bindings: the user's file and line, the same words as the packaged rules."""
    from sifund.engine.config import load_config

    config = tmp_path / "my.yaml"
    config.write_text(
        'metrics:\n  bindings:\n    - {pattern: "(收入预算完成率", metric: income_completion}\n', "utf-8"
    )
    with pytest.raises(SifundError) as e:
        load_config(config)
    assert str(e.value).startswith(
        f"{config}: line 3, metrics.bindings.0.pattern: {UNCLOSED}收入预算完成率"
    ), str(e.value)
