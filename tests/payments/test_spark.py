"""The same rules on Spark: one local SparkSession for the run, and DuckDB and Spark give identical hits.

All Spark tests live in this module and share one ``xdist_group`` (scripts/test.sh runs
``--dist loadgroup``), so that under ``-n 2`` only one worker starts a JVM.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip(
        "no java on PATH (scripts/install-system.sh installs openjdk-17-jre-headless)",
        allow_module_level=True,
    )

from sifund.payments.engine import audit

from .spark_folder import build

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]


@pytest.fixture(scope="session")
def spark():
    from sifund.payments.spark import connect_spark

    return connect_spark(1)


def test_duckdb_and_spark_give_identical_hits_on_every_rule(spark, tmp_path: Path) -> None:
    folder = build(tmp_path / "in")
    duck = audit(folder, engine="duckdb", progress=False).as_json()
    on_spark = audit(folder, engine="spark", progress=False).as_json()
    found = {r for r, s in duck["summary"]["by_rule"].items() if s["people"]}
    assert len(found) >= 9  # the folder plants a case of (nearly) every rule
    assert on_spark == duck


def test_row_numbers_keep_file_order_across_many_splits(spark, tmp_path: Path) -> None:
    from sifund.payments.spark import register_spark

    folder = build(tmp_path / "in")
    spark._session.conf.set("spark.sql.files.maxPartitionBytes", "2048")
    try:
        t = register_spark(spark, {"payments": folder / "payments.csv"})["payments"]
        got = [(r["_row"], r["period"]) for r in t.order_by("_row").to_pyarrow().to_pylist()]
    finally:
        spark._session.conf.unset("spark.sql.files.maxPartitionBytes")
    lines = (folder / "payments.csv").read_text("utf-8").splitlines()[1:]
    assert got == [(i, line.split(",")[4]) for i, line in enumerate(lines, 1)]


ROW_FILTER = """rules:
  - code: large_pension
    名称: 单笔养老金过高
    类别: 支付类
    风险等级: low
    kind: row_filter
    params:
      where: "benefit = 'basic_pension' AND amount > 10000 AND period >= '2024-01'"
      amount: "amount - 10000"
      facts: [region, account]
    reason: "{name}单笔养老金超过一万元{amount}元（{region}，账户{account}）"
"""


def test_a_row_filter_rule_gives_identical_hits_on_duckdb_and_spark(spark, tmp_path: Path) -> None:
    """The SQL ``where`` of a catalogue rule is DuckDB's dialect; on Spark it is carried over by
    sqlglot and must select the same rows, with the same money and the same reason."""
    folder = build(tmp_path / "in")
    override = tmp_path / "省规则.yaml"
    override.write_text(ROW_FILTER, encoding="utf-8")
    duck = audit(folder, engine="duckdb", rules=override, progress=False).as_json()
    on_spark = audit(folder, engine="spark", rules=override, progress=False).as_json()
    hits = [h for h in duck["hits"] if h["rule"] == "large_pension"]
    assert [(h["name"], h["amount"], len(h["rows"])) for h in hits] == [("超额壬", 20000.0, 1)]
    assert [h for h in on_spark["hits"] if h["rule"] == "large_pension"] == hits
    assert on_spark == duck


@pytest.mark.parametrize("amount", ["1_000", "1e3", "５00", "12.345", "+12"])
def test_both_engines_reject_the_same_amount_syntax(spark, tmp_path: Path, amount: str) -> None:
    """An amount is ASCII digits, a minus sign and at most two decimals on both engines (each
    cast alone would accept some of these: DuckDB '1_000' and '1e3', Java full-width digits)."""
    from sifund.core.errors import SifundError

    folder = build(tmp_path / "in")
    lines = (folder / "payments.csv").read_text("utf-8").splitlines()
    cells = lines[3].split(",")
    cells[5] = amount
    lines[3] = ",".join(cells)
    (folder / "payments.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    messages = []
    for engine in ("duckdb", "spark"):
        with pytest.raises(SifundError) as e:
            audit(folder, engine=engine, progress=False)
        messages.append(str(e.value))
    assert messages[0] == messages[1]
    assert messages[0].endswith(f"第3条记录（文件第4行） amount 列: '{amount}' 不是金额数字")
