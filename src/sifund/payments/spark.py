"""The Spark backend: a local (or cluster) SparkSession behind ibis, and the input tables as temp views.

Why this module exists beside DuckDB: a province's payment records (hundreds of millions of rows)
outgrow one machine, and the issue asks for *one rule definition, two engines*. The rules are ibis
expressions (:mod:`.kinds`); everything Spark-specific lives here: starting the session with settings
that keep a local run quick and quiet, and reading the files into views whose columns, types and
``_row`` numbers are exactly those the DuckDB reader gives, so that both engines see the same tables.

pyspark is imported lazily (in functions): ``sifund`` start-up must not pay for a JVM.
"""

from __future__ import annotations

import atexit
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import ibis
    from ibis.backends import BaseBackend

_CORRUPT = "_corrupt_record"  # Spark's slot for a CSV line whose field count is not the header's


def connect_spark(threads: int | None = None) -> BaseBackend:
    """An ibis pyspark backend over a local SparkSession (``local[threads]``; all cores when None).

    The settings are those measured in ``../shared/notes/stack.md`` (snippet F): a warehouse in a
    temporary directory (``create_table`` would otherwise leave ``./spark-warehouse`` behind and
    break the next run), loopback networking, few shuffle partitions, no UI, log level ERROR and the
    Asia/Shanghai session time zone (ibis would set UTC); with ``SIFUND_SPARK_QUICK=1`` (the tests)
    also stack.md's quick start-up settings, which are slow on real volumes. A second call in the same
    process reuses the running session (a JVM hosts one), whatever ``threads`` it is given.
    """
    import ibis

    session = _session(threads)
    return ibis.pyspark.connect(session, **{"spark.sql.session.timeZone": "Asia/Shanghai"})


def _session(threads: int | None) -> Any:
    """Start (or return) the process's SparkSession with the quick local settings."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    n = threads or os.cpu_count() or 1
    warehouse = tempfile.mkdtemp(prefix="sifund-spark-wh-")
    atexit.register(shutil.rmtree, warehouse, True)
    memory = os.environ.get("SIFUND_SPARK_DRIVER_MEMORY", "2g")  # local mode: the driver is the executor
    builder = (
        SparkSession.builder.master(f"local[{n}]")
        .appName("sifund-payments")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(n))
        .config("spark.default.parallelism", str(n))
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.local.dir", warehouse)
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
    )
    if os.environ.get("SIFUND_SPARK_QUICK", "") not in ("", "0"):
        # Start-up over throughput (the tests: a few hundred rows, one JVM): no whole-stage code
        # generation, no adaptive planning, the C1 JIT only and the serial GC. On millions of rows
        # these cost several times the run (session 23: a 12 M-row audit ran > 20 min with them).
        builder = (
            builder.config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        )
    try:  # Splink's similarity functions (JARO_WINKLER …) for same_person_two_ids on Spark
        from splink.backends.spark import similarity_jar_location

        builder = builder.config("spark.jars", similarity_jar_location())
    except ImportError:  # pragma: no cover - splink is a dependency; without it linkage is skipped
        pass
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # Splink's Spark backend checkpoints its blocked pairs (same_person_two_ids); without a
    # directory Spark refuses, so it gets one inside the session's own temp dir.
    session.sparkContext.setCheckpointDir(os.path.join(warehouse, "checkpoints"))
    return session


# --------------------------------------------------------------------------------------------------
# Reading the input files


_views = iter(range(1, 1 << 62))  # unique temp-view suffixes within the process


def register_spark(con: BaseBackend, files: dict[str, Path]) -> dict[str, ibis.Table]:
    """Each file as a Spark temp view with exactly ``TABLE_SPECS``' columns and types, and ``_row``.

    The checks are those of the DuckDB reader (:func:`sifund.payments.tables.load_duckdb_table`), with
    the same messages: a missing column, then the first bad value by row (then column order) of a
    period, amount or date column or an empty required value. A CSV is parsed once into a persisted
    frame (memory, then disk) that the checks and every rule read; a Parquet file is scanned in place.
    The views have unique names (``payments_3``) so that two audits in one session never mix tables.
    """
    from sifund.core.errors import SifundError

    session = con._session
    out: dict[str, ibis.Table] = {}
    for table, path in files.items():
        try:
            df = _typed_frame(session, table, Path(path))
        except SifundError:
            raise
        except Exception as e:  # a Spark or Java error reading the file: one line naming it
            kind = "Parquet" if Path(path).name.endswith(".parquet") else "CSV"
            raise SifundError(f"无法读取 {kind} 文件 cannot read: {_one_line(e)}", file=str(path)) from None
        view = f"{table}_{next(_views)}"
        df.createOrReplaceTempView(view)
        out[table] = con.table(view)
    return out


def _typed_frame(session: Any, table: str, path: Path) -> Any:
    """The checked, typed DataFrame of one table file (``_row`` first, then the spec's columns)."""
    from pyspark.sql import functions as F

    from sifund.core.errors import Problem, SifundError
    from sifund.payments.tables import DUCK_TYPES, TABLE_SPECS, csv_header

    spec = TABLE_SPECS[table]
    if path.name.endswith(".parquet"):
        raw = session.read.parquet(_no_glob(path))
        present = _present(spec, path, raw.columns)
        raw = raw.select(*(F.col(f"`{c.name}`") for c in present), F.col("_metadata.row_index") + 1)
        raw = raw.toDF(*(c.name for c in present), "_row")
        _raise_first_bad(raw, path, present, _first_bad(raw, present, csv_fields=0))
    else:
        header = csv_header(path)
        if len(set(header)) < len(header):
            dup = next(c for c in header if header.count(c) > 1)
            raise SifundError(Problem(str(path), "文件第1行", f"列名重复 duplicate column: {dup}"))
        present = _present(spec, path, header)
        raw, firsts = _read_checked_csv(session, path, header, present)
        _raise_first_bad(raw, path, present, firsts)
    spark_types = {t: d.lower().replace("varchar", "string") for t, d in DUCK_TYPES.items()}
    cols = [F.col("_row").cast("long").alias("_row")]
    for c in spec.columns:
        if c not in present:
            cols.append(F.lit(None).cast(spark_types[c.type]).alias(c.name))
            continue
        text = F.col(c.name).cast("string")
        if c.type == "decimal":
            cols.append(F.trim(text).try_cast(spark_types["decimal"]).alias(c.name))
        elif c.type == "date":
            cols.append(F.substring(F.trim(text), 1, 10).try_cast("date").alias(c.name))
        else:
            cols.append(text.alias(c.name))
    return raw.select(*cols)


def _present(spec: Any, path: Path, names: list[str]) -> list[Any]:
    """The spec's columns the file has (a required one missing is the DuckDB reader's error)."""
    from sifund.core.errors import Problem, SifundError

    have = {c.strip().lstrip("\ufeff") for c in names}
    missing = [c.name for c in spec.columns if c.required and c.name not in have]
    if missing:
        raise SifundError(Problem(str(path), "", f"缺少列 missing column: {'、'.join(missing)}"))
    return [c for c in spec.columns if c.name in have]


def _read_checked_csv(
    session: Any, path: Path, header: list[str], present: list[Any]
) -> tuple[Any, dict[str, Any]]:
    """The CSV parsed once into a persisted frame (memory, then disk) with ``_row``; its first bad rows.

    Read line by line first, so that a large file is split and read in parallel. Only when a line
    has the wrong number of fields is it read again as multi-line CSV (one task, the file whole):
    a quoted field with a line break, which DuckDB reads, is then one record as there; a line that
    is still ragged is the error.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(c, StringType()) for c in [*header, _CORRUPT]])
    for multiline in (False, True):
        df = session.read.csv(
            _no_glob(path), header=True, schema=schema, enforceSchema=True, encoding="UTF-8",
            mode="PERMISSIVE", columnNameOfCorruptRecord=_CORRUPT, multiLine=multiline, escape='"',
        )  # fmt: skip
        text = F.concat_ws("", *(F.col(f"`{c}`") for c in header))
        tagged = df.select(
            *(F.col(f"`{c.name}`") for c in present),
            F.col(_CORRUPT),
            text.contains("\ufffd").alias("_not_utf8"),  # what Spark's decoder makes of a bad byte
            F.spark_partition_id().alias("_pid"),
            F.monotonically_increasing_id().alias("_mid"),
            F.col("_metadata.file_block_start").alias("_blk"),
        ).persist(StorageLevel.MEMORY_AND_DISK)
        raw = _numbered(tagged)
        firsts = _first_bad(raw, present, csv_fields=len(header))
        if firsts["ragged"] is None or multiline:
            return raw, firsts
        tagged.unpersist()
    raise AssertionError("unreachable")  # pragma: no cover


def _numbered(df: Any) -> Any:
    """``df`` (tagged with its scan position) with ``_row`` = 1-based record number in file order.

    zipWithIndex through Python would ship every row to a Python worker; this is its JVM
    equivalent. One counting pass (over the persisted frame) gives each partition's size and the
    file offset it starts at; partitions are ordered by that offset, not by partition id, so the
    order holds however Spark packs the splits; a row's number is the rows of the partitions before
    it plus its position in its own (``monotonically_increasing_id`` counts within a partition in
    read order). A large CSV is split at byte ranges, each read in order; a ``.gz`` is not split.
    """
    from pyspark.sql import functions as F

    parts = (
        df.groupBy("_pid")
        .agg(F.count(F.lit(1)).alias("n"), F.min("_blk").alias("blk"), F.min("_mid").alias("m0"))
        .collect()
    )
    shift: list[Any] = []
    before = 0
    for part in sorted(parts, key=lambda r: r["blk"]):
        shift += [F.lit(part["_pid"]), F.lit(before - part["m0"] + 1)]
        before += part["n"]
    row = F.col("_mid") + F.create_map(*shift)[F.col("_pid")] if shift else F.lit(0).cast("long")
    return df.withColumn("_row", row).drop("_pid", "_mid", "_blk")


def _first_bad(raw: Any, present: list[Any], csv_fields: int) -> dict[str, Any]:
    """One aggregate pass: the first row of each kind of bad input (None when there is none).

    ``b{i}``: the i-th checked column's first bad value; for a CSV (``csv_fields`` header fields)
    also ``ragged`` (a line with another number of fields) and ``not_utf8``.
    """
    from pyspark.sql import functions as F

    from sifund.payments.tables import DATE_RE, PERIOD_RE

    checked = [c for c in present if c.type != "string" or not c.nullable]
    aggs = [
        F.min(F.when(_bad(c, PERIOD_RE, DATE_RE), F.col("_row"))).alias(f"b{i}")
        for i, c in enumerate(checked)
    ]
    if csv_fields:
        aggs.append(F.min(F.when(F.col(_CORRUPT).isNotNull(), F.col("_row"))).alias("ragged"))
        aggs.append(F.min(F.when(F.col("_not_utf8"), F.col("_row"))).alias("not_utf8"))
    firsts = raw.agg(*aggs).collect()[0].asDict() if aggs else {}
    firsts["_checked"] = checked
    firsts["_fields"] = csv_fields
    return firsts


def _raise_first_bad(raw: Any, path: Path, present: list[Any], firsts: dict[str, Any]) -> None:
    """Raise the DuckDB reader's error for the first bad input, if any.

    As in DuckDB, a file that cannot be parsed (a ragged line, a byte that is not UTF-8: whichever
    comes first) is reported before any value; then the first bad value by row, then column order.
    """

    from pyspark.sql import functions as F

    from sifund.core.errors import Problem, SifundError
    from sifund.payments.tables import EXPECTED, _place

    def cell(row: int, column: str) -> Any:
        got = raw.filter(F.col("_row") == row).select(F.col(column).cast("string")).collect()
        return got[0][0] if got else None

    parse = [(firsts.get(k), k) for k in ("ragged", "not_utf8") if firsts.get(k) is not None]
    if parse:
        row, kind = min(parse)
        if kind == "not_utf8":
            raise SifundError(Problem(str(path), f"文件第{row + 1}行", "不是 UTF-8 编码 (not UTF-8)"))
        found = len(next(csv.reader([cell(row, _CORRUPT) or ""]), []))
        msg = f"应有 {firsts['_fields']} 列，实有 {found} 列 (wrong number of columns)"
        raise SifundError(Problem(str(path), f"文件第{row + 1}行", msg))
    checked = firsts["_checked"]
    bad = [(firsts[f"b{i}"], i) for i in range(len(checked)) if firsts[f"b{i}"] is not None]
    if not bad:
        return
    row, i = min(bad)
    col = checked[i]
    text = cell(row, col.name)
    if text is None or not text.strip():
        msg = "为空 (empty)"
    else:
        shown = text if len(text) <= 40 else text[:39] + "…"
        msg = f"{shown!r} {EXPECTED.get(col.type, '无效')}"
    raise SifundError(Problem(str(path), f"{_place(path, row)} {col.name} 列", msg))


def _bad(col: Any, period_re: str, date_re: str) -> Any:
    """Spark Column: the value of ``col`` is not acceptable (mirrors ``tables._bad_condition``)."""
    from pyspark.sql import functions as F

    text = F.col(col.name).cast("string")
    empty = text.isNull() | (F.trim(text) == "")
    if col.type == "period":
        bad = ~text.rlike(f"^(?:{period_re})\\z")
    elif col.type == "decimal":
        amount = F.trim(text)
        bad = ~amount.rlike(f"^(?:{_amount_re()})\\z") | amount.try_cast("decimal(18,2)").isNull()
    elif col.type == "date":
        head = F.substring(text, 1, 10)
        bad = ~head.rlike(f"^(?:{date_re})\\z") | head.try_cast("date").isNull()
    else:
        bad = F.lit(False)
    if col.nullable:
        return ~empty & bad
    return empty | bad


def _amount_re() -> str:
    """What an amount may look like: ``tables.AMOUNT_RE``, the DuckDB reader's (ASCII only: Java's
    BigDecimal would also read full-width digits, DuckDB's cast '1_000'; both engines keep to it)."""
    from sifund.payments.tables import AMOUNT_RE

    return AMOUNT_RE


def _no_glob(path: Path) -> str:
    """The path as Spark reads it literally: Hadoop expands ``[]{}*?`` as a glob, ``\\`` escapes."""
    text = str(path.resolve())
    for ch in "\\[]{}*?":
        text = text.replace(ch, "\\" + ch)
    return text


def _one_line(text: Any, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
