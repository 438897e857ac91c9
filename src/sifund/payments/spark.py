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
import gzip
import io
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
    break the next run), loopback networking, the serial GC, few shuffle partitions, no UI, log level
    ERROR and the Asia/Shanghai session time zone (ibis would set UTC). A second call in the same
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
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


# --------------------------------------------------------------------------------------------------
# Reading the input files


def csv_header(path: Path) -> list[str]:
    """The header of a CSV (``.csv`` or ``.csv.gz``), BOM stripped: read by Python, one line only.

    Why not let Spark read it: the columns are checked (and the file named) before any job runs, and
    the explicit all-string schema built from it keeps Spark from renaming or inferring anything.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        first = next(csv.reader(text), [])
    return [c.strip() for c in first]


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
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from sifund.core.errors import Problem, SifundError
    from sifund.payments.tables import DUCK_TYPES, TABLE_SPECS

    spec = TABLE_SPECS[table]
    csv_file = not path.name.endswith(".parquet")
    if csv_file:
        header = csv_header(path)
        raw = _read_csv(session, path, header).persist(StorageLevel.MEMORY_AND_DISK)
        names = header
    else:
        raw = session.read.parquet(_no_glob(path))
        names = raw.columns
    stripped = {c.strip().lstrip("\ufeff"): c for c in names}
    missing = [c.name for c in spec.columns if c.required and c.name not in stripped]
    if missing:
        raw.unpersist()
        raise SifundError(Problem(str(path), "", f"缺少列 missing column: {'、'.join(missing)}"))
    present = [c for c in spec.columns if c.name in stripped]
    raw = raw.select(*(F.col(f"`{stripped[c.name]}`").alias(c.name) for c in present), *_extra(raw, csv_file))
    raw = _numbered(raw) if csv_file else raw.withColumn("_row", F.col("_metadata.row_index") + 1)
    _check(raw, path, present, csv_file)
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


def _extra(raw: Any, csv_file: bool) -> list[Any]:
    """The bookkeeping columns a read carries along: the scan tags (CSV) or the Parquet metadata."""
    from pyspark.sql import functions as F

    if csv_file:
        return [F.col(c) for c in ("_pid", "_mid", "_blk", _CORRUPT)]
    return [F.col("_metadata")]


def _read_csv(session: Any, path: Path, header: list[str]) -> Any:
    """The CSV as text columns named by ``header``, tagged with its scan position (see :func:`_numbered`).

    Header skipped, every column a string, an empty field null, and a line whose field count
    differs from the header's keeps its text in ``_corrupt_record`` so it can be reported by row.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    cols = [c.strip().lstrip("\ufeff") or f"_c{i}" for i, c in enumerate(header)]
    schema = StructType([StructField(c, StringType()) for c in [*cols, _CORRUPT]])
    df = session.read.csv(
        _no_glob(path), header=True, schema=schema, enforceSchema=True, encoding="UTF-8", mode="PERMISSIVE",
        columnNameOfCorruptRecord=_CORRUPT, multiLine=False,
    )  # fmt: skip
    return df.select(
        "*",
        F.spark_partition_id().alias("_pid"),
        F.monotonically_increasing_id().alias("_mid"),
        F.col("_metadata.file_block_start").alias("_blk"),
    )


def _numbered(df: Any) -> Any:
    """``df`` (tagged by :func:`_read_csv`) with ``_row`` = 1-based record number in file order.

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


def _check(raw: Any, path: Path, present: list[Any], csv_file: bool) -> None:
    """Raise the DuckDB reader's error for the first bad record, if any (one aggregate pass).

    The conditions are :func:`sifund.payments.tables._bad_condition` in Spark terms: trim, a full
    regex match (``\\z``, not ``$``, which in Java also matches before a final newline), TRY_CAST.
    Spark's own lenient date cast ('2024-01' is a date there) never decides alone: the regex does.
    """
    from pyspark.sql import functions as F

    from sifund.core.errors import Problem, SifundError
    from sifund.payments.tables import DATE_RE, EXPECTED, PERIOD_RE, _place

    checked = [c for c in present if c.type != "string" or not c.nullable]
    aggs = [
        F.min(F.when(_bad(c, PERIOD_RE, DATE_RE), F.col("_row"))).alias(f"b{i}")
        for i, c in enumerate(checked)
    ]
    if csv_file:
        aggs.append(F.min(F.when(F.col(_CORRUPT).isNotNull(), F.col("_row"))).alias("corrupt"))
    if not aggs:
        return
    first = raw.agg(*aggs).collect()[0]
    if csv_file and first["corrupt"] is not None:
        row = first["corrupt"]
        msg = "字段数与表头不一致 (wrong number of fields)"
        raise SifundError(Problem(str(path), _place(path, row), msg))
    bad = [(first[f"b{i}"], i) for i in range(len(checked)) if first[f"b{i}"] is not None]
    if not bad:
        return
    row, i = min(bad)
    col = checked[i]
    value = raw.filter(F.col("_row") == row).select(F.col(col.name).cast("string")).collect()
    text = value[0][0] if value else None
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
    """What an amount may look like, ASCII only: Java's BigDecimal (Spark's cast) also reads
    full-width digits ('５') and DuckDB's cast reads '1_000'; the regex keeps both engines to the
    same, ordinary numbers (sign, digits, a decimal point, an exponent)."""
    from sifund.payments import tables

    return getattr(tables, "AMOUNT_RE", r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _no_glob(path: Path) -> str:
    """The path as Spark reads it literally: Hadoop expands ``[]{}*?`` as a glob, ``\\`` escapes."""
    text = str(path.resolve())
    for ch in "\\[]{}*?":
        text = text.replace(ch, "\\" + ch)
    return text


def _one_line(text: Any, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
