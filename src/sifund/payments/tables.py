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
# What an amount written as text may look like, on both engines (the Spark reader uses it too):
# ASCII digits, a minus sign, at most two decimals (元 and 分). Without it each engine's cast
# decides, and they differ: DuckDB reads '1_000' and '1e3', Java's BigDecimal full-width '５'.
AMOUNT_RE = r"-?[0-9]+(\.[0-9]{1,2})?"
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


NUMERIC = ("DECIMAL", "DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT",
           "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")  # fmt: skip


def _bad_condition(col: Column, source: str) -> str:
    """SQL: the value of ``col`` is not acceptable, or "" when nothing can be wrong with it.

    A Parquet column already numeric (for a decimal) or DATE (for a date) can only be empty; a
    period is checked on its distinct values instead (:func:`_bad_periods`), not row by row."""
    c = _q(col.name)
    source = source.upper()
    text = source == "VARCHAR"
    # only a value that starts with a space (or a control character) can trim to '': the
    # comparison spares trimming every value of a text column (DuckDB's trim removes spaces)
    empty = f"({c} IS NULL OR ({c} < '!' AND trim({c}) = ''))" if text else f"({c} IS NULL)"
    if col.type == "decimal" and text:
        v = f"trim({c})"
        bad = f"(NOT regexp_full_match({v}, '{AMOUNT_RE}') OR TRY_CAST({v} AS DECIMAL(18,2)) IS NULL)"
    elif col.type == "date" and (text or not source.startswith(("DATE", "TIMESTAMP"))):
        v = f"left(CAST({c} AS VARCHAR), 10)"
        bad = f"(NOT regexp_full_match({v}, '{DATE_RE}') OR TRY_CAST({v} AS DATE) IS NULL)"
    elif col.type == "decimal" and not source.startswith(NUMERIC):
        v = f"trim(CAST({c} AS VARCHAR))"
        bad = f"(NOT regexp_full_match({v}, '{AMOUNT_RE}') OR TRY_CAST({v} AS DECIMAL(18,2)) IS NULL)"
    else:
        bad = ""
    if col.nullable:
        return f"(NOT {empty} AND {bad})" if bad else ""
    return f"({empty} OR {bad})" if bad else empty


def _bad_periods(con: Any, raw: str, col: Column) -> str:
    """SQL: ``col`` holds one of the period values that are not YYYY-MM (found among the distinct
    values, a few dozen, in one cheap pass), or "" when every value is a period."""
    c = _q(col.name)
    values = [r[0] for r in con.execute(f"SELECT DISTINCT CAST({c} AS VARCHAR) FROM {raw}").fetchall()]
    bad = [v for v in values if v is not None and not re.fullmatch(PERIOD_RE, v)]
    return f"CAST({c} AS VARCHAR) IN ({', '.join(_lit(v) for v in bad)})" if bad else ""


def _typed(col: Column, source: str) -> str:
    """SQL: ``col`` as its spec type. A Parquet column already of that type is taken as it is
    (the typed view is scanned by every rule: a cast through text there is paid ten times)."""
    c = _q(col.name)
    source = source.upper()
    if source == DUCK_TYPES[col.type].replace(" ", ""):
        return c
    text = source == "VARCHAR"
    if col.type == "decimal":
        inner = f"NULLIF(trim({c}), '')" if text else c
        return f"CAST({inner} AS DECIMAL(18,2)) AS {c}"
    if col.type == "date":
        inner = f"left(NULLIF(trim({c}), ''), 10)" if text else c
        return f"CAST({inner} AS DATE) AS {c}"
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


def csv_header(path: Path) -> list[str]:
    """The header cells of a CSV (``.csv.gz`` too), read by Python's csv module, so that DuckDB
    need not sniff (its sniffer guesses a dialect from a sample and, on a ragged line, reports the
    dialect instead of the line)."""
    import csv
    import gzip
    import io

    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            first = f.readline(1 << 20)
    except (OSError, EOFError) as e:
        raise SifundError(f"无法读取文件 cannot read: {_one_line(e)}", file=str(path)) from None
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SifundError("文件第1行: 不是 UTF-8 编码 (not UTF-8)", file=str(path)) from None
    if not line.strip():
        raise SifundError("文件为空或第1行不是表头 (no header line)", file=str(path))
    return [c.strip() for c in next(csv.reader(io.StringIO(line)))]


def _source_sql(path: Path, header: list[str] | None) -> str:
    p = _lit(str(path))
    if header is None:
        return (f"SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) "
                f"FROM read_parquet({p}, file_row_number = true)")  # fmt: skip
    columns = "{" + ", ".join(f"{_lit(c)}: 'VARCHAR'" for c in header) + "}"
    return (f"SELECT row_number() OVER () AS _row, * FROM read_csv({p}, header = true, auto_detect = false, "
            f"columns = {columns}, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
            f"encoding = 'utf-8')")  # fmt: skip


CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
CSV_COLUMNS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _read_error(path: Path, e: Exception) -> SifundError:
    """DuckDB's reader error as one line in Chinese: the file, the line, what is wrong."""
    text = str(e)
    line, cols = CSV_LINE.search(text), CSV_COLUMNS.search(text)
    if line and cols:
        msg = f"应有 {cols[1]} 列，实有 {cols[2]} 列 (wrong number of columns)"
        return SifundError(Problem(str(path), f"文件第{line[1]}行", msg))
    if "unicode" in text.lower() or "utf-8" in text.lower():
        where = f"文件第{line[1]}行" if line else ""
        return SifundError(Problem(str(path), where, "不是 UTF-8 编码 (not UTF-8)"))
    first = text.splitlines()[0] if text else type(e).__name__
    if line:
        return SifundError(
            Problem(str(path), f"文件第{line[1]}行", f"无法读取 cannot read: {_one_line(first)}")
        )
    return SifundError(Problem(str(path), "", f"无法读取 cannot read: {_one_line(first)}"))


def load_duckdb_table(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    """Register ``table`` from ``path`` as a typed DuckDB table/view named ``table``; its row count.

    Every error is one SifundError naming the file, and for a bad value the row and the column."""
    import duckdb

    spec = TABLE_SPECS[table]
    raw = f"_raw_{table}"
    csv = not path.name.endswith(".parquet")
    header = csv_header(path) if csv else None
    if header is not None and len(set(header)) < len(header):
        dup = next(c for c in header if header.count(c) > 1)
        raise SifundError(Problem(str(path), "文件第1行", f"列名重复 duplicate column: {dup}"))
    try:
        if csv:  # parse once; the checks and the cast read the text table
            con.execute(f"CREATE TEMP TABLE {raw} AS {_source_sql(path, header)}")
        else:
            con.execute(f"CREATE TEMP VIEW {raw} AS {_source_sql(path, header)}")
        described = con.execute(f"DESCRIBE {raw}").fetchall()
        cols = [r[0] for r in described]
        source_types = {r[0].strip().lstrip("\ufeff"): str(r[1]) for r in described}
    except duckdb.Error as e:
        raise _read_error(path, e) from None
    stripped = {c.strip().lstrip("\ufeff"): c for c in cols}
    missing = [c.name for c in spec.columns if c.required and c.name not in stripped]
    if missing:
        raise SifundError(Problem(str(path), "", f"缺少列 missing column: {'、'.join(missing)}"))
    present = [c for c in spec.columns if c.name in stripped]
    if any(stripped[c.name] != c.name for c in present):  # header cells with spaces or a BOM
        renames = ", ".join(f"{_q(stripped[c.name])} AS {_q(c.name)}" for c in present)
        con.execute(f"CREATE TEMP VIEW {raw}_n AS SELECT _row, {renames} FROM {raw}")
        raw = f"{raw}_n"
    try:
        conditions = []
        for c in present:
            cond = _bad_condition(c, source_types[c.name])
            if c.type == "period":
                periods = _bad_periods(con, raw, c)
                cond = " OR ".join(x for x in (cond, periods) if x)
            if cond:
                conditions.append((c, cond))
        checked = [c for c, _ in conditions]
        firsts = con.execute(
            "SELECT "
            + "".join(f"min(_row) FILTER (WHERE {cond}), " for _, cond in conditions)
            + f"count(*) FROM {raw}"
        ).fetchone()
    except duckdb.Error as e:
        raise _read_error(path, e) from None
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
            _typed(c, source_types[c.name])
            if c in present
            else f"CAST(NULL AS {DUCK_TYPES[c.type]}) AS {_q(c.name)}"
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
