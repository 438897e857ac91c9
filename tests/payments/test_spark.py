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
