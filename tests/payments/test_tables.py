"""The input folder: file formats, ``_row``, and bad input as one line naming file, row and column."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.payments.engine import audit
from sifund.payments.tables import TABLE_SPECS, find_files, register

from .builders import pid

ZHANG = pid("19500101", "011")


def error_of(path: Path) -> str:
    with pytest.raises(SifundError) as e:
        audit(path, progress=False)
    assert len(e.value.problems) == 1
    return str(e.value)


def test_bad_period_names_the_file_the_record_the_line_and_the_column(folder) -> None:
    path = folder(
        payments=[{"person_id": ZHANG, "period": "2024-01"}, {"person_id": ZHANG, "period": "2024-13"}]
    )
    msg = error_of(path)
    assert msg == f"{path / 'payments.csv'}: 第2条记录（文件第3行） period 列: '2024-13' 不是 YYYY-MM 格式"


def test_non_numeric_amount_and_empty_amount(folder) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01", "amount": "12,3元"}])
    assert "第1条记录（文件第2行） amount 列: '12,3元' 不是金额数字" in error_of(path)
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01", "amount": ""}])
    assert "amount 列: 为空" in error_of(path)


@pytest.mark.parametrize("amount", ["1_000", "1e3", "12.345", "+12", "５00", "1,000"])
def test_an_amount_is_ascii_digits_with_at_most_two_decimals(folder, amount: str) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01", "amount": amount}])
    assert f"第1条记录（文件第2行） amount 列: '{amount}' 不是金额数字" in error_of(path)


@pytest.mark.parametrize("amount", ["1000", " 12.5 ", "-3.05", "0"])
def test_plain_amounts_are_read(folder, amount: str) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01", "amount": amount}])
    assert audit(path, progress=False).summary.payments == 1


def test_the_first_bad_record_is_named_whatever_its_column(folder) -> None:
    path = folder(
        payments=[
            {"person_id": ZHANG, "period": "2024-01"},
            {"person_id": ZHANG, "period": "2024-01", "amount": "x"},  # record 2: amount
            {"person_id": ZHANG, "period": "24-1"},  # record 3: period
        ]
    )
    assert "第2条记录" in error_of(path)


def test_bad_death_date(folder) -> None:
    path = folder(
        payments=[{"person_id": ZHANG, "period": "2024-01"}],
        deaths=[{"person_id": ZHANG, "name": "张三", "death_date": "2024-02-30"}],
    )
    assert (
        error_of(path)
        == f"{path / 'deaths.csv'}: 第1条记录（文件第2行） death_date 列: '2024-02-30' 不是 YYYY-MM-DD 日期"
    )


def test_missing_column_missing_table_and_empty_folder(folder, tmp_path: Path) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01"}])
    text = (path / "payments.csv").read_text("utf-8").replace("amount", "amt")
    (path / "payments.csv").write_text(text, "utf-8")
    assert error_of(path) == f"{path / 'payments.csv'}: 缺少列 missing column: amount"
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01"}])
    (path / "deaths.csv").unlink()
    assert "缺少 deaths 表" in error_of(path)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "没有支付数据" in error_of(empty)
    assert "不是文件夹" in error_of(tmp_path / "nowhere")


def test_a_ragged_csv_line_is_one_line_naming_the_file(folder) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01"}])
    with (path / "payments.csv").open("a", encoding="utf-8") as f:
        f.write("a,b\n")
    msg = error_of(path)
    assert str(path / "payments.csv") in msg and "\n" not in msg


def test_csv_gz_and_parquet_give_the_same_tables_and_rows(folder) -> None:
    import duckdb

    rows = [{"person_id": ZHANG, "period": f"2024-0{m}", "amount": f"{m}00.50"} for m in range(1, 4)]
    path = folder(payments=rows + rows[:1])  # a duplicate at record 4
    base = audit(path, progress=False).as_json()
    with (path / "payments.csv").open("rb") as src, gzip.open(path / "payments.csv.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    (path / "payments.csv").unlink()
    assert audit(path, progress=False).as_json() == base
    csv_gz = path / "payments.csv.gz"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{csv_gz}', all_varchar=true)) TO '{path / 'payments.parquet'}'"
    )
    csv_gz.unlink()
    assert audit(path, progress=False).as_json() == base
    assert base["summary"]["by_rule"]["duplicate_payment"]["rows"] == 2


def test_two_files_for_one_table_is_an_error(folder) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-01"}])
    shutil.copy(path / "payments.csv", path / "payments.parquet")
    with pytest.raises(SifundError, match="多个文件"):
        find_files(path)


def test_registered_tables_have_the_spec_columns_types_and_row(folder) -> None:
    path = folder(
        payments=[{"person_id": ZHANG, "period": "2024-01", "amount": "1.5"}],
        people=[{"person_id": ZHANG, "name": "张三", "birth_date": "", "gender": "男"}],  # no retire_date
    )
    tables = register(path)
    try:
        for name, t in tables.tables.items():
            assert dict(t.schema().items()) == {
                k: _dtype(v) for k, v in TABLE_SPECS[name].ibis_schema().items()
            }
        row = tables.tables["payments"].to_pyarrow().to_pylist()[0]
        assert row["_row"] == 1 and str(row["amount"]) == "1.50"
    finally:
        tables.close()


def _dtype(text: str):
    import ibis.expr.datatypes as dt

    return dt.dtype(text)
