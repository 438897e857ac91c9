"""The one reader of packaged data files (core/packaged.py) and its line-marked schema helpers."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from sifund.core.errors import SifundError
from sifund.core.packaged import data_text, data_yaml, load_yaml, parse_validated


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    level: int = 1


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_Rule] = []


def test_data_yaml_is_the_packaged_text_parsed() -> None:
    """``data_yaml`` reads exactly the file ``data_text`` returns: one reader for both uses."""
    assert data_yaml("engine", "risks.yaml") == load_yaml(data_text("engine", "risks.yaml"))
    assert "risks" in data_yaml("engine", "risks.yaml")


def test_a_schema_error_names_the_file_line_and_key() -> None:
    """A misspelt key deep in the file is reported at its own line, with its dotted path."""
    text = "rules:\n  - id: a\n  - id: b\n    levle: 2\n"
    with pytest.raises(SifundError) as exc:
        parse_validated(_File, text, "x.yaml")
    assert str(exc.value) == "x.yaml: line 4, rules.1.levle: Extra inputs are not permitted"


def test_a_yaml_syntax_error_names_the_line_and_column() -> None:
    """A broken file is a SifundError at the parser's mark (here the end of the unclosed list)."""
    with pytest.raises(SifundError, match=r"^x\.yaml: line 3, column 1: YAML 格式错误"):
        parse_validated(_File, "rules:\n  - [a\n", "x.yaml")


def test_an_empty_file_is_the_schema_defaults_and_the_tree_is_returned() -> None:
    """An empty file validates as ``{}``; the node tree comes back for the lines of later checks."""
    model, root = parse_validated(_File, "", "x.yaml")
    assert model == _File() and root is None
    model, root = parse_validated(_File, "rules:\n  - id: a\n", "x.yaml")
    assert model.rules[0].id == "a" and root is not None and root.start_mark.line == 0
