"""The input folder: finding the tables, checking their columns and values, typed tables with ``_row``.

Why DuckDB reads the files (and not pandas): a province's payment table has 10⁸ rows; DuckDB
streams CSV and Parquet with a memory limit and spills to a temp directory, so nothing but the
hits ever reaches Python. A CSV is parsed once into a DuckDB table of text columns (every column
read as VARCHAR, so a bad value is *found* rather than guessed at), checked in one aggregate pass,
then cast into the typed table the rules scan many times; a Parquet file is scanned in place.

``TABLE_SPECS`` is the one definition of the columns and their types; the Spark backend
(:mod:`sifund.payments.spark`) registers tables with the same columns, types and ``_row``, so that
everything after registration is backend-independent ibis.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sifund.core.errors import Problem, SifundError

if TYPE_CHECKING:
    import duckdb
    import ibis.expr.types as ir

ColType = Literal["string", "period", "decimal", "date"]
IBIS_TYPES: dict[str, str] = {
    "string": "string",
    "period": "string",
    "decimal": "decimal(18, 2)",
    "date": "date",
}
DUCK_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "period": "VARCHAR",
    "decimal": "DECIMAL(18,2)",
    "date": "DATE",
}
SUFFIXES = (".parquet", ".csv", ".csv.gz")


@dataclass(frozen=True)
class Column:
    name: str
    type: ColType = "string"
    nullable: bool = True  # False: an empty value is an input error
    required: bool = True  # False: a missing column is added as NULL


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    required: bool = False  # the folder must have this table

    def ibis_schema(self) -> dict[str, str]:
        """Column → ibis type of the registered table (``_row`` first, int64)."""
        return {"_row": "int64", **{c.name: IBIS_TYPES[c.type] for c in self.columns}}


TABLE_SPECS: dict[str, TableSpec] = {
    "payments": TableSpec(
        (
            Column("person_id", nullable=False),
            Column("name"),
            Column("fund"),
            Column("benefit"),
            Column("period", "period", nullable=False),
            Column("amount", "decimal", nullable=False),
            Column("account"),
            Column("region"),
        ),
        required=True,
    ),
    "deaths": TableSpec(
        (Column("person_id", nullable=False), Column("name"), Column("death_date", "date", nullable=False)),
        required=True,
    ),
    "contributions": TableSpec(
        (
            Column("person_id", nullable=False),
            Column("fund"),
            Column("period", "period", nullable=False),
            Column("employer"),
            Column("base", "decimal"),
            Column("amount", "decimal"),
        )
    ),
    "people": TableSpec(
        (
            Column("person_id", nullable=False),
            Column("name"),
            Column("birth_date", "date"),
            Column("gender"),
            Column("retire_date", "date", required=False),
        )
    ),
}

PERIOD_RE = "[0-9]{4}-(0[1-9]|1[0-2])"
DATE_RE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
EXPECTED = {"period": "不是 YYYY-MM 格式", "decimal": "不是金额数字", "date": "不是 YYYY-MM-DD 日期"}


def find_files(folder: Path | str) -> dict[str, Path]:
    """The folder's table files, table → path; the required ones must be there, one file per table."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SifundError("不是文件夹或不存在 (not a folder)", file=str(folder))
    found: dict[str, Path] = {}
    for table in TABLE_SPECS:
        paths = [folder / f"{table}{s}" for s in SUFFIXES if (folder / f"{table}{s}").is_file()]
        if len(paths) > 1:
            names = "、".join(p.name for p in paths)
            raise SifundError(
                f"{table} 表有多个文件（{names}），只能保留一个 (one file per table)", file=str(folder)
            )
        if paths:
            found[table] = paths[0]
    missing = [t for t, s in TABLE_SPECS.items() if s.required and t not in found]
    if missing:
        if not found:
            msg = "文件夹中没有支付数据：需要 payments 与 deaths 表（.csv、.csv.gz 或 .parquet）"
        else:
            msg = f"缺少 {'、'.join(missing)} 表（{missing[0]}.csv、.csv.gz 或 .parquet）(missing table)"
        raise SifundError(msg, file=str(folder))
    return found


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _bad_condition(col: Column) -> str:
    """SQL: the value of ``col`` (text or typed) is not acceptable."""
    c = _q(col.name)
    empty = f"({c} IS NULL OR trim(CAST({c} AS VARCHAR)) = '')"
    if col.type == "period":
        bad = f"NOT regexp_full_match(CAST({c} AS VARCHAR), '{PERIOD_RE}')"
    elif col.type == "decimal":
        bad = f"TRY_CAST(trim(CAST({c} AS VARCHAR)) AS DECIMAL(18,2)) IS NULL"
    elif col.type == "date":
        bad = (f"(NOT regexp_full_match(left(CAST({c} AS VARCHAR), 10), '{DATE_RE}') "
               f"OR TRY_CAST(left(CAST({c} AS VARCHAR), 10) AS DATE) IS NULL)")  # fmt: skip
    else:
        bad = "FALSE"
    if col.nullable:
        return f"(NOT {empty} AND {bad})"
    return f"({empty} OR {bad})"


def _typed(col: Column) -> str:
    c = _q(col.name)
    if col.type == "decimal":
        return f"CAST(NULLIF(trim(CAST({c} AS VARCHAR)), '') AS DECIMAL(18,2)) AS {c}"
    if col.type == "date":
        return f"CAST(left(NULLIF(trim(CAST({c} AS VARCHAR)), ''), 10) AS DATE) AS {c}"
    return f"CAST({c} AS VARCHAR) AS {c}"


def _place(path: Path, row: int) -> str:
    if path.name.endswith((".csv", ".csv.gz")):
        return f"第{row}条记录（文件第{row + 1}行）"
    return f"第{row}条记录"


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class Tables:
    """The registered input: ibis tables by name (``_row`` + TABLE_SPECS columns), the backend, the files."""

    backend: Any
    tables: dict[str, ir.Table]
    files: dict[str, Path]
    engine: str = "duckdb"
    _cleanup: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for fn in reversed(self._cleanup):
            with contextlib.suppress(Exception):
                fn()
        self._cleanup.clear()


def ibis_duckdb_compat() -> None:
    """ibis 12's DuckDB backend calls ``fetch_arrow_table``/``fetch_record_batch``, which duckdb 2.0
    renamed (``to_arrow_table``/``to_arrow_reader``); without them ``Table.sql`` and ``get_schema``
    raise AttributeError. Restore the old names (idempotent, quiet)."""
    import duckdb

    cls = duckdb.DuckDBPyConnection
    if not hasattr(cls, "fetch_arrow_table"):

        def fetch_arrow_table(self: Any) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self.to_arrow_table()

        cls.fetch_arrow_table = fetch_arrow_table
    if not hasattr(cls, "fetch_record_batch"):

        def fetch_record_batch(self: Any, rows_per_batch: int = 1_000_000) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return self.to_arrow_reader(rows_per_batch)

        cls.fetch_record_batch = fetch_record_batch


def connect_duckdb(memory_limit: str = "3GB", threads: int | None = None) -> tuple[Any, Any]:
    """An embedded DuckDB with a memory limit and a temp directory to spill to; (connection, cleanup)."""
    import shutil

    import duckdb

    tmp = tempfile.mkdtemp(prefix="sifund-pay-")
    config: dict[str, Any] = {
        "memory_limit": memory_limit,
        "temp_directory": tmp,
        "preserve_insertion_order": True,
    }
    if threads:
        config["threads"] = int(threads)
    try:
        con = duckdb.connect(":memory:", config=config)
    except duckdb.Error as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SifundError(f"无法启动 DuckDB（{_one_line(e)}）", file="duckdb") from None
    con.execute("SET enable_progress_bar = false")  # a session option; our own bar is rich's

    def cleanup() -> None:
        with contextlib.suppress(Exception):
            con.close()
        shutil.rmtree(tmp, ignore_errors=True)

    return con, cleanup


def _source_sql(path: Path) -> str:
    p = _lit(str(path))
    if path.name.endswith(".parquet"):
        return (f"SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) "
                f"FROM read_parquet({p}, file_row_number = true)")  # fmt: skip
    return (f"SELECT row_number() OVER () AS _row, * FROM read_csv({p}, header = true, all_varchar = true, "
            f"strict_mode = true, encoding = 'utf-8')")  # fmt: skip


def load_duckdb_table(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Register ``table`` from ``path`` as a typed DuckDB table/view named ``table``; its row count.

    Every error is one SifundError naming the file, and for a bad value the row and the column."""
    import duckdb

    spec = TABLE_SPECS[table]
    raw = f"_raw_{table}"
    csv = not path.name.endswith(".parquet")
    try:
        if csv:  # parse once; the checks and the cast read the text table
            con.execute(f"CREATE TEMP TABLE {raw} AS {_source_sql(path)}")
        else:
            con.execute(f"CREATE TEMP VIEW {raw} AS {_source_sql(path)}")
        cols = [r[0] for r in con.execute(f"DESCRIBE {raw}").fetchall()]
    except duckdb.Error as e:
        kind = "CSV" if csv else "Parquet"
        raise SifundError(f"无法读取 {kind} 文件 cannot read: {_one_line(e)}", file=str(path)) from None
    stripped = {c.strip().lstrip("\ufeff"): c for c in cols}
    missing = [c.name for c in spec.columns if c.required and c.name not in stripped]
    if missing:
        raise SifundError(Problem(str(path), "", f"缺少列 missing column: {'、'.join(missing)}"))
    present = [c for c in spec.columns if c.name in stripped]
    if any(stripped[c.name] != c.name for c in present):  # header cells with spaces or a BOM
        renames = ", ".join(f"{_q(stripped[c.name])} AS {_q(c.name)}" for c in present)
        con.execute(f"CREATE TEMP VIEW {raw}_n AS SELECT _row, {renames} FROM {raw}")
        raw = f"{raw}_n"
    checked = [c for c in present if c.type != "string" or not c.nullable]
    try:
        if checked:
            firsts = con.execute(
                "SELECT "
                + ", ".join(f"min(_row) FILTER (WHERE {_bad_condition(c)})" for c in checked)
                + f", count(*) FROM {raw}"
            ).fetchone()
        else:
            firsts = con.execute(f"SELECT count(*) FROM {raw}").fetchone()
    except duckdb.Error as e:
        raise SifundError(f"无法读取文件 cannot read: {_one_line(e)}", file=str(path)) from None
    assert firsts is not None
    bad = [(row, c) for row, c in zip(firsts[:-1], checked, strict=True) if row is not None]
    if bad:
        row, col = min(bad, key=lambda x: (x[0], spec.columns.index(x[1])))
        value = con.execute(
            f"SELECT CAST({_q(col.name)} AS VARCHAR) FROM {raw} WHERE _row = ?", [row]
        ).fetchone()
        text = value[0] if value else None
        if text is None or not text.strip():
            msg = "为空 (empty)"
        else:
            shown = text if len(text) <= 40 else text[:39] + "…"
            msg = f"{shown!r} {EXPECTED.get(col.type, '无效')}"
        raise SifundError(Problem(str(path), f"{_place(path, row)} {col.name} 列", msg))
    select = ", ".join(
        [
            _typed(c) if c in present else f"CAST(NULL AS {DUCK_TYPES[c.type]}) AS {_q(c.name)}"
            for c in spec.columns
        ]
    )
    typed_sql = f"SELECT _row, {select} FROM {raw}"
    if csv:
        con.execute(f"CREATE TABLE {_q(table)} AS {typed_sql}")
        con.execute(f"DROP TABLE IF EXISTS _raw_{table} CASCADE")
    else:
        con.execute(f"CREATE VIEW {_q(table)} AS {typed_sql}")
    return int(firsts[-1])


def register_duckdb(files: dict[str, Path], memory_limit: str = "3GB", threads: int | None = None) -> Tables:
    """The typed tables of ``files`` on an embedded DuckDB, as ibis tables."""
    import ibis

    ibis_duckdb_compat()
    con, cleanup = connect_duckdb(memory_limit, threads)
    tables = Tables(None, {}, files, "duckdb", [cleanup])
    try:
        for table, path in files.items():
            load_duckdb_table(con, table, path)
        backend = ibis.duckdb.from_connection(con)
        tables.backend = backend
        tables.tables = {t: backend.table(t) for t in files}
    except BaseException:
        tables.close()
        raise
    return tables


def register(
    folder: Path | str, engine: str = "duckdb", memory_limit: str = "3GB", threads: int | None = None
) -> Tables:
    """The input folder's tables on ``engine`` (duckdb | spark)."""
    files = find_files(folder)
    if engine == "duckdb":
        return register_duckdb(files, memory_limit, threads)
    if engine == "spark":
        try:
            from sifund.payments.spark import connect_spark, register_spark
        except ImportError as e:
            raise SifundError(f"Spark 引擎不可用 (spark engine unavailable: {e})", file=str(folder)) from None
        con = connect_spark()
        return Tables(con, register_spark(con, files), files, "spark")
    raise SifundError(f"未知引擎 unknown engine {engine!r}（duckdb 或 spark）", file=str(folder))


def is_period(text: str) -> bool:
    return re.fullmatch(PERIOD_RE, text) is not None
