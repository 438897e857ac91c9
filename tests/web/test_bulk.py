"""``sifund load DIR``: every dataset and report under a folder becomes a draft submission; a file
that fails is named with its place and leaves nothing behind; the others are imported.

The command runs in process (typer's CliRunner) on the test database: ``--data`` names a
temporary folder, and Django is already set up on the test database by pytest-django."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sifund.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()
COUNTY = EXAMPLES / "synthetic-county-2023.yaml"  # 示例县 2023
CITY = EXAMPLES / "seven-funds-2023.yaml"  # 示例市 2023


def load(tmp_path: Path, folder: Path, *extra: str):
    return runner.invoke(app, ["load", str(folder), "--data", str(tmp_path / "data"), *extra])


def synthetic(region: str, year: int) -> str:
    from sifund.web import synth

    return json.dumps(synth.dataset(region, year, level="county"), ensure_ascii=False)


def bad_copy(path: Path) -> tuple[str, int]:
    """The example with its first figure's value typed as "abc", and that line's number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if "value: 44140.50" in line)
    lines[n] = lines[n].replace("value: 44140.50", "value: abc")
    return "".join(lines), n + 1


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    return d


def test_three_good_files_are_imported_and_the_bad_one_is_named_with_its_line(tree, tmp_path, folder):
    from sifund.web.models import Event, Submission

    (folder / "a-county.yaml").write_bytes(COUNTY.read_bytes())
    (folder / "b-city.yaml").write_bytes(CITY.read_bytes())
    (folder / "sub" / "c-neighbour.json").write_text(synthetic("邻县", 2022), encoding="utf-8")
    text, line = bad_copy(COUNTY)
    (folder / "sub" / "d-bad.yaml").write_text(text, encoding="utf-8")
    (folder / "notes.md").write_text("not a dataset", encoding="utf-8")

    r = load(tmp_path, folder)

    assert r.exit_code == 1, r.output
    assert "已导入 3 个，失败 1 个" in r.stdout
    bad = str(folder / "sub" / "d-bad.yaml")
    (failure,) = [x for x in r.stderr.splitlines() if x.startswith("错误 error:")]
    assert failure.startswith(f"错误 error: {bad}: line {line}")
    assert "abc" in failure
    assert "跳过 1 个" in r.stderr  # notes.md is neither a dataset nor a report
    subs = Submission.objects.order_by("source_name")
    assert [(s.region.name, s.year, s.status) for s in subs] == [
        ("示例县", 2023, "draft"),
        ("示例市", 2023, "draft"),
        ("邻县", 2022, "draft"),
    ]
    assert not Submission.objects.filter(source_name__contains="d-bad").exists()
    assert all(s.created_by is None and s.score is not None and s.evaluation["metrics"] for s in subs)
    events = Event.objects.filter(submission__in=subs)
    assert {(e.action, e.user, e.comment) for e in events} == {("create", None, "批量导入 sifund load")}
    assert events.count() == 3


def test_a_file_whose_region_does_not_exist_is_named_and_nothing_is_imported_for_it(tree, tmp_path, folder):
    from sifund.web.models import Submission

    (folder / "nowhere.json").write_text(synthetic("无此县", 2021), encoding="utf-8")
    (folder / "ok.yaml").write_bytes(COUNTY.read_bytes())

    r = load(tmp_path, folder)

    assert r.exit_code == 1
    assert "已导入 1 个，失败 1 个" in r.stdout
    assert f"错误 error: {folder / 'nowhere.json'}: region: 地区“无此县”不存在" in r.stderr
    assert list(Submission.objects.values_list("region__name", flat=True)) == ["示例县"]


def test_as_a_preparer_files_only_their_own_region_and_each_other_file_is_refused(tree, tmp_path, folder):
    from sifund.web.models import Event, Submission

    (folder / "mine.yaml").write_bytes(COUNTY.read_bytes())
    (folder / "theirs.json").write_text(synthetic("邻县", 2023), encoding="utf-8")

    r = load(tmp_path, folder, "--as", "county-prep")

    assert r.exit_code == 1
    assert "已导入 1 个，失败 1 个" in r.stdout
    (refused,) = [x for x in r.stderr.splitlines() if "theirs.json" in x]
    assert "邻县" in refused and "示例县" in refused and "不能提交" in refused
    (sub,) = Submission.objects.all()
    assert (sub.region.name, sub.created_by.username) == ("示例县", "county-prep")
    assert Event.objects.get(submission=sub).user.username == "county-prep"


def test_as_a_reviewer_nothing_is_filed(tree, tmp_path, folder):
    from sifund.web.models import Submission

    (folder / "mine.yaml").write_bytes(COUNTY.read_bytes())
    r = load(tmp_path, folder, "--as", "city-rev")
    assert r.exit_code == 1 and "已导入 0 个，失败 1 个" in r.stdout
    assert "只有经办人员可以创建自评提交" in r.stderr
    assert not Submission.objects.exists()


def test_an_unknown_user_or_an_empty_folder_is_one_line_and_exit_1(tree, tmp_path, folder):
    (folder / "mine.yaml").write_bytes(COUNTY.read_bytes())
    r = load(tmp_path, folder, "--as", "nobody")
    assert r.exit_code == 1 and r.stderr.strip() == "错误 error: 用户“nobody”不存在 user not found（--as）"
    empty = tmp_path / "empty"
    empty.mkdir()
    r = load(tmp_path, empty)
    assert r.exit_code == 1 and "没有可导入的文件" in r.stderr
    r = load(tmp_path, tmp_path / "missing")
    assert r.exit_code == 1 and "不是文件夹或不存在" in r.stderr


def test_a_failure_while_writing_a_file_leaves_nothing_of_that_file(tree, tmp_path, folder, monkeypatch):
    """All-or-nothing is the transaction's: the submission row written before the event failed
    is rolled back with it (the first file, complete, stays)."""
    from sifund.web.models import Event, Submission

    (folder / "1.yaml").write_bytes(COUNTY.read_bytes())
    (folder / "2.json").write_text(synthetic("邻县", 2023), encoding="utf-8")
    create = Event.objects.create

    def fail_second(**kw):
        if kw["submission"].region.name == "邻县":
            raise RuntimeError("disk full")
        return create(**kw)

    monkeypatch.setattr(Event.objects, "create", fail_second)
    r = load(tmp_path, folder)
    assert r.exit_code == 2 and "RuntimeError: disk full" in r.stderr
    assert list(Submission.objects.values_list("region__name", flat=True)) == ["示例县"]


def test_the_work_is_read_and_evaluated_before_the_transaction(tree, tmp_path):
    """prepare() needs no database: its result is plain data (it may come from a worker)."""
    import pickle

    from sifund.web.bulk import prepare

    p = prepare(COUNTY)
    assert not p.problems and (p.region, p.year) == ("示例县", 2023)
    assert p.summary["grade"] and p.evaluation["score"]["total"] == p.summary["score"]
    assert pickle.loads(pickle.dumps(p)) == p


def test_help_says_each_file_is_all_or_nothing():
    r = runner.invoke(app, ["load", "--help"])
    assert r.exit_code == 0
    assert "all-or-nothing" in r.stdout and "--as" in r.stdout


def test_a_report_is_extracted_into_a_submission_of_its_region(tree, tmp_path, folder):
    """A .txt report (here the example's own, as ``sifund report -f txt`` writes it) is read by
    ``sifund.api.extract``: the submission carries the figures found in its text."""
    from sifund import api
    from sifund.web.models import Submission

    loaded = api.load(COUNTY)
    (txt,) = api.render(loaded.dataset, api.evaluate(loaded.dataset), tmp_path / "report", ["txt"])
    (folder / "report.txt").write_bytes(txt.read_bytes())

    r = load(tmp_path, folder)

    assert r.exit_code == 0, r.output
    assert "已导入 1 个，失败 0 个" in r.stdout
    sub = Submission.objects.get()
    assert (sub.region.name, sub.year, sub.source_kind) == ("示例县", 2023, "txt")
    assert len(sub.dataset["figures"]) > 20


def test_with_jobs_the_files_are_read_in_worker_processes_and_filed_in_order(tree, tmp_path, folder):
    from sifund.web.models import Submission

    for year in (2019, 2020, 2021, 2022):
        (folder / f"邻县-{year}.json").write_text(synthetic("邻县", year), encoding="utf-8")
    (folder / "x-bad.json").write_text("{", encoding="utf-8")

    r = load(tmp_path, folder, "--jobs", "2")

    assert r.exit_code == 1 and "已导入 4 个，失败 1 个" in r.stdout
    assert "x-bad.json" in r.stderr
    assert list(Submission.objects.order_by("id").values_list("year", flat=True)) == [2019, 2020, 2021, 2022]
