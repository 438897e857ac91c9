"""YAML/JSON structure attacks: depth, huge integers, NaN tokens, duplicates, aliases, tags."""

from __future__ import annotations

import pytest
from tests.hardening.harness import Case, assert_bounded, assert_no_outputs, assert_refused
from tests.hardening.makers import EXAMPLE, RAW, dataset, dump_json, dump_yaml, figure_index, line_of

DEEP = 20_000


class TestDeepNesting:
    """20000 nested lists in a dataset or a config: refused (depth limit), no RecursionError."""

    def test_yaml(self, case: Case) -> None:
        data = dataset()
        data["narrative"]["other"] = RAW
        f = dump_yaml(data, case.inp / "x.yaml", raw="[" * DEEP + "]" * DEEP)
        assert_refused(case.run("validate", f), f, place=r"line \d+")

    def test_json(self, case: Case) -> None:
        data = dataset()
        data["narrative"]["other"] = RAW
        f = dump_json(data, case.inp / "x.json", raw="[" * DEEP + "]" * DEEP)
        assert_refused(case.run("validate", f), f, place=r"line \d+")

    def test_json_report(self, case: Case) -> None:
        f = case.inp / "x.json"
        f.write_text('{"figures": ' + "[" * DEEP + "]" * DEEP + "}", encoding="utf-8")
        r = case.run("report", f, "-o", case.out)
        assert_refused(r, f)
        assert_no_outputs(case, r)

    def test_config(self, case: Case) -> None:
        c = case.inp / "c.yaml"
        c.write_text("scoring: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", encoding="utf-8")
        assert_refused(case.run("evaluate", EXAMPLE, "--config", c), c)


class TestNumberTokens:
    """A 5001-digit JSON integer, JSON ``NaN``/``Infinity``/``-Infinity`` as a value: refused
    with the line (Python's int-digit limit must not surface as a traceback)."""

    @pytest.mark.parametrize("token", ["9" * 5001, "NaN", "Infinity", "-Infinity"],
                             ids=["5001-digits", "NaN", "Infinity", "-Infinity"])
    def test_json_value(self, case: Case, token: str) -> None:
        data = dataset()
        i = figure_index(data, "institution_pension", "deaths", "actual")
        data["figures"][i]["value"] = RAW
        f = dump_json(data, case.inp / "x.json", raw=token)
        line = line_of(f, token)
        assert_refused(case.run("validate", f), f, place=rf"line {line}\b")

    def test_audit_json_dataset(self, case: Case) -> None:
        data = dataset()
        data["figures"][0]["value"] = RAW
        f = dump_json(data, case.inp / "x.json", raw="1" + "0" * 5000)
        assert_refused(case.run("audit", f), f, place=r"line \d+")


class TestDuplicates:
    """Duplicate keys (YAML and JSON) and a figure stated twice are not silently resolved:
    refused with the line of the second occurrence."""

    def test_yaml_duplicate_top_key(self, case: Case) -> None:
        text = EXAMPLE.read_text("utf-8").replace("year: 2023\n", "year: 2023\nregion: 别的县\n", 1)
        f = case.inp / "x.yaml"
        f.write_text(text, encoding="utf-8")
        line = line_of(f, "region: 别的县")
        assert_refused(case.run("validate", f), f, place=rf"line {line}\b")

    def test_yaml_duplicate_key_in_figure(self, case: Case) -> None:
        text = EXAMPLE.read_text("utf-8").replace(
            "measure: actual, value: 62}", "measure: actual, value: 62, value: 620}", 1)
        f = case.inp / "x.yaml"
        f.write_text(text, encoding="utf-8")
        line = line_of(f, "value: 620")
        assert_refused(case.run("validate", f), f, place=rf"line {line}\b")

    def test_json_duplicate_key(self, case: Case) -> None:
        f = dump_json(dataset(), case.inp / "x.json")
        text = f.read_text("utf-8").replace('"year": 2023,', '"year": 2023,\n "year": 2024,', 1)
        f.write_text(text, encoding="utf-8")
        line = line_of(f, '"year": 2024')
        assert_refused(case.run("validate", f), f, place=rf"line {line}\b")

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_repeated_figure(self, case: Case, fmt: str) -> None:
        data = dataset()
        i = figure_index(data, "work_injury", "insured", "actual")
        twin = dict(data["figures"][i], value=99999)
        data["figures"].append(twin)
        f = (dump_yaml if fmt == "yaml" else dump_json)(data, case.inp / f"x.{fmt}")
        r = case.run("validate", f)
        assert_refused(r, f, place=rf"line \d+, figures\[{len(data['figures']) - 1}\]")


def _laughs(levels: int = 9) -> str:
    out = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for k in range(1, levels + 1):
        out.append(f"l{k}: &l{k} [" + ",".join([f"*l{k - 1}"] * 9) + "]")
    return "\n".join(out) + "\n"


class TestAliasBomb:
    """Billion laughs: 9 levels of 9 aliases (387 M leaves if expanded). It must stay unexpanded:
    every command ends quickly within the memory bound, accepting the dataset (the bomb is an
    unknown extra key) or refusing it in one line; when the bomb *is* the figures list, refused."""

    @pytest.mark.parametrize("command,args", [("validate", []), ("evaluate", ["-f", "json"]),
                                              ("report", ["-o", "out", "-f", "txt"])])
    def test_extra_key(self, case: Case, command: str, args: list[str]) -> None:
        f = case.inp / "x.yaml"
        f.write_text(EXAMPLE.read_text("utf-8") + _laughs(), encoding="utf-8")
        r = case.run(command, f, *args)
        assert_bounded(r)
        assert r.rc in (0, 1), r
        if r.rc == 1:
            assert_refused(r, f)
        assert r.maxrss_mb < 1024, r

    def test_as_figures(self, case: Case) -> None:
        text = EXAMPLE.read_text("utf-8").split("\nfigures:")[0]
        f = case.inp / "x.yaml"
        f.write_text(text + "\n" + _laughs() + "figures: *l9\n", encoding="utf-8")
        assert_refused(case.run("validate", f), f)


class TestPythonTags:
    """``!!python/object/apply:os.system`` and friends never run: refused at their line, and the
    file the payload would create does not exist (also in a ``--config`` file)."""

    @pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                     "!!python/name:os.system"])
    def test_dataset(self, case: Case, tag: str) -> None:
        pwned = case.root / "PWNED"
        case.watch.append(pwned)
        payload = f'{tag} ["touch {pwned}"]' if "name:" not in tag else f"{tag} ''"
        text = EXAMPLE.read_text("utf-8").replace("agency: 示例县社会保险事业管理中心", f"agency: {payload}")
        f = case.inp / "x.yaml"
        f.write_text(text, encoding="utf-8")
        line = line_of(f, tag)
        assert_refused(case.run("validate", f), f, place=rf"line {line}\b")

    def test_config(self, case: Case) -> None:
        pwned = case.root / "PWNED"
        case.watch.append(pwned)
        c = case.inp / "c.yaml"
        c.write_text(f'scoring: !!python/object/apply:os.system ["touch {pwned}"]\n', encoding="utf-8")
        assert_refused(case.run("evaluate", EXAMPLE, "--config", c), c, place=r"line 1\b")

