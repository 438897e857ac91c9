"""A YAML/JSON dataset from a stranger: every hostile shape ends in one line naming the file and
the place, quickly and in bounded memory — never a traceback, a hang or a silent loss."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.ingest import load_dataset
from sifund.ingest.datafile import load_datafile

HEAD = "schema: sifund.dataset/1\nregion: 测试县\nyear: 2023\n"


def problems(path: Path) -> list[tuple[str, str]]:
    """(place, message) of each problem; fails the test when the file loads."""
    with pytest.raises(SifundError) as e:
        load_dataset(path)
    assert all(p.file == str(path) for p in e.value.problems)
    assert all("\n" not in str(p) for p in e.value.problems), "one line per problem"
    return [(p.place, p.message) for p in e.value.problems]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return p


# ---- the file itself -----------------------------------------------------------------------


def test_dev_zero_behind_a_symlink_is_refused_not_read(tmp_path: Path):
    link = tmp_path / "x.yaml"
    link.symlink_to("/dev/zero")
    t = time.perf_counter()
    ((_, msg),) = problems(link)
    assert "不是普通文件" in msg and time.perf_counter() - t < 1


@pytest.mark.skipif(not os.path.exists("/dev/urandom"), reason="no /dev/urandom")
def test_dev_urandom_and_a_directory_named_like_a_dataset(tmp_path: Path):
    link = tmp_path / "x.yaml"
    link.symlink_to("/dev/urandom")
    assert "不是普通文件" in problems(link)[0][1]
    folder = tmp_path / "d.json"
    folder.mkdir()
    assert "目录" in problems(folder)[0][1]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path, monkeypatch):
    limits = tmp_path / "limits.yaml"
    limits.write_text("files: {max_dataset_bytes: 1000}\n", encoding="utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", str(limits))
    p = write(tmp_path, "big.yaml", HEAD + "# " + "x" * 2000 + "\n")
    assert "文件过大" in problems(p)[0][1]


def test_random_bytes_in_a_regular_file_are_one_line(tmp_path: Path):
    p = write(tmp_path, "r.yaml", bytes(range(256)) * 4)
    ((place, msg),) = problems(p)
    assert place.startswith("line 2, byte offset 128") and "UTF-8" in msg  # 0x0a is byte 10


# ---- structure: depth, size, integers, duplicates, aliases ----------------------------------


@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_twenty_thousand_deep_nesting_is_refused_without_recursion(tmp_path: Path, name: str):
    p = write(tmp_path, name, "[" * 20000 + "]" * 20000)
    ((place, msg),) = problems(p)
    assert place.startswith("line 1") and "嵌套层数超过 40" in msg


def test_a_5001_digit_json_integer_names_its_line(tmp_path: Path):
    p = write(tmp_path, "int.json", '{"region": "x",\n "year": ' + "9" * 5001 + "}")
    ((place, msg),) = problems(p)
    assert place == "line 2" and "integer too long" in msg


def test_a_5000_digit_yaml_number_names_line_and_field(tmp_path: Path):
    p = write(
        tmp_path,
        "int.yaml",
        HEAD + "figures:\n  - {fund: all, item: income_total, value: " + "9" * 5000 + "}\n",
    )
    assert problems(p) == [("line 5, figures[0].value", "整数位数过多 integer too long（5000 位，上限 30）")]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_json_non_finite_numbers_are_refused(tmp_path: Path, literal: str):
    p = write(tmp_path, "nan.json", '{"region": "NaN Infinity", "year": 2023,\n "figures": [\n'
              '  {"fund": "all", "item": "income_total", "value": ' + literal + "}]}")  # fmt: skip
    ((place, msg),) = problems(p)
    assert place == "line 3" and "finite" in msg


@pytest.mark.parametrize("literal", [".nan", ".inf", "-.inf", ".NaN"])
def test_yaml_non_finite_numbers_are_refused_where_they_stand(tmp_path: Path, literal: str):
    p = write(
        tmp_path, "nan.yaml", HEAD + f"figures:\n  - {{fund: all, item: income_total, value: {literal}}}\n"
    )
    ((place, msg),) = problems(p)
    assert place == "line 5, figures[0].value" and "finite" in msg


def test_duplicate_yaml_key_names_both_lines(tmp_path: Path):
    p = write(tmp_path, "dup.yaml", HEAD + "figures: []\nyear: 2024\n")
    ((place, msg),) = problems(p)
    assert place == "line 5, year" and "重复" in msg and "line 3" in msg


def test_duplicate_json_key_names_both_lines(tmp_path: Path):
    text = (
        '{"region": "x", "year": 2023,\n "figures": [{"fund": "all", "item": "income_total",\n'
        ' "value": 1, "value": 2}]}'
    )
    p = write(tmp_path, "dup.json", text)
    ((place, msg),) = problems(p)
    assert place == "line 3, figures[0].value" and "duplicate key" in msg and "line 3" in msg


def test_the_alias_bomb_is_refused_unexpanded(tmp_path: Path):
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    p = write(tmp_path, "bomb.yaml", HEAD + "\n".join(levels) + "\n")
    t = time.perf_counter()
    ((place, msg),) = problems(p)
    assert "节点过多" in msg and place.startswith("line ") and time.perf_counter() - t < 2


def test_a_small_alias_is_still_fine(tmp_path: Path):
    p = write(tmp_path, "alias.yaml", HEAD + "figures:\n  - &f {fund: all, item: income_total, value: 1}\n"
              "  - {<<: *f, measure: prior}\n")  # fmt: skip
    ds = load_dataset(p)
    assert [(f.measure, f.value) for f in ds.figures] == [("actual", 1), ("prior", 1)]


def test_too_many_figures_are_refused_by_count(tmp_path: Path, monkeypatch):
    limits = tmp_path / "limits.yaml"
    limits.write_text("dataset: {max_figures: 3}\n", encoding="utf-8")
    monkeypatch.setenv("SIFUND_LIMITS", str(limits))
    figs = "".join(
        f"  - {{fund: all, item: income_total, value: {i}, source: {{start: {i}}}}}\n" for i in range(5)
    )
    ((place, msg),) = problems(write(tmp_path, "many.yaml", HEAD + "figures:\n" + figs))
    assert place == "line 8" and "figures 过多" in msg
    as_json = {"region": "x", "year": 2023, "figures": [{"fund": "all", "item": "income_total", "value": i}
                                                          for i in range(5)]}  # fmt: skip
    ((place, msg),) = problems(write(tmp_path, "many.json", json.dumps(as_json, indent=1)))
    assert "figures 过多" in msg and place.endswith("figures")


# ---- meaning: repeats and budgets -----------------------------------------------------------


def test_a_repeated_figure_names_both_lines(tmp_path: Path):
    p = write(tmp_path, "rep.yaml", HEAD + "figures:\n"
              "  - {fund: all, item: income_total, value: 1}\n"
              "  - {fund: all, item: income_total, measure: budget, value: 3}\n"
              "  - {fund: all, item: income_total, value: 2}\n")  # fmt: skip
    ((place, msg),) = problems(p)
    assert place == "line 7, figures[2]" and "repeated figure all/income_total/actual" in msg
    assert "line 5, figures[0]" in msg


def test_repeats_from_a_report_extract_each_with_its_source_load(tmp_path: Path):
    """interchange.md: the same figure stated twice in a report appears twice, each with its source."""
    source = {"end": 4, "text": "t"}
    figs = [{"fund": "all", "item": "income_total", "value": v, "source": {**source, "start": s}}
            for v, s in ((1, 0), (2, 90))]  # fmt: skip
    p = write(tmp_path, "ext.json", json.dumps({"region": "x", "year": 2023, "figures": figs}))
    assert len(load_dataset(p).figures) == 2
    twice = "  - {fund: all, item: income_total, value: 1}\n" * 2
    plain = write(tmp_path, "plain.yaml", HEAD + "figures:\n" + twice)
    assert len(load_datafile(plain).figures) == 2, "the interchange reader itself round-trips repeats"


@pytest.mark.parametrize(("measure", "value"), [("budget", 0), ("budget_adjusted", -5), ("budget", "-.inf")])
def test_a_budget_that_is_not_positive_is_refused(tmp_path: Path, measure: str, value):
    p = write(tmp_path, "b.yaml", HEAD + "figures:\n  - {fund: all, item: income_total, value: 44140.5}\n"
              f"  - {{fund: all, item: income_total, measure: {measure}, value: {value}}}\n")  # fmt: skip
    ((place, msg),) = problems(p)
    assert place == "line 6, figures[1].value" and ("budget must be > 0" in msg or "finite" in msg)


def test_a_planned_deficit_may_be_budgeted_below_zero(tmp_path: Path):
    p = write(
        tmp_path,
        "d.yaml",
        HEAD + "figures:\n  - {fund: all, item: balance_current, measure: budget, value: -5}\n",
    )
    assert load_dataset(p).figures[0].value == -5


# ---- speed ----------------------------------------------------------------------------------


def test_validation_is_linear_in_the_number_of_figures(tmp_path: Path):
    """10,000 extracted figures (sourced repeats) validate in well under the old minute."""
    figs = [{"fund": "unemployment", "item": "income_total", "measure": "actual", "value": i + 0.5,
             "source": {"start": i, "end": i + 1, "text": "收入"}} for i in range(10_000)]  # fmt: skip
    p = write(tmp_path, "big.json", json.dumps({"region": "x", "year": 2023, "figures": figs}))
    t = time.perf_counter()
    assert len(load_dataset(p).figures) == 10_000
    assert time.perf_counter() - t < 15  # ~1 s on a quiet 2-core machine; was 24 s
