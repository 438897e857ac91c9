"""Running the catalogue: register the tables, run each enabled rule's kind, assemble the hits.

Why the hits are assembled in Python: the backends only filter, join and group (the heavy part,
streamed and spilled by DuckDB or distributed by Spark); what comes back is the evidence rows of
the hits, small by nature, and turning them into one hit per person (periods, the exact sum of
the money at risk, the sorted rows, the reason filled from the template) is then the same code
for both engines — which is what makes ``--engine duckdb`` and ``--engine spark`` agree.

Shared scans (issue #13: the whole catalogue in a few passes over payments): ONE group-by by
person_id computes every per-person aggregate the enabled rules ask for (:meth:`Context.want_stats`)
and is cached on the backend; the distinct person_ids (``invalid_id``, ``under_age``, the summary's
count of people) are that table's keys, not another pass; the row count and the first and last
period (the summary, ``invalid_id``'s latest birth date) are one aggregate, read once. A kind's
intermediate results that are small (candidates) are cached with :meth:`Context.cache`, so that
the SQL of a rule never scans payments once per reference to a derived table.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sifund.payments.catalogue import Rule, load_rules
from sifund.payments.model import RISKS, AuditResult, Hit, RowRef, RuleSummary, Summary

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from sifund.payments.tables import Tables

TABLE_ORDER = {"payments": 0, "contributions": 1, "deaths": 2, "people": 3}
CENT = Decimal("0.01")


@dataclass
class Context:
    """What a kind may use: the tables, the backend, and scans shared between rules."""

    tables: dict[str, ir.Table]
    backend: Any
    last_period: str = ""
    rule: Any = None  # the rule being run (set by the engine)
    _aggs: dict[str, Any] = field(default_factory=dict)  # prefixed per-person aggregates
    _prefix: dict[int, str] = field(default_factory=dict)  # id(rule params) → prefix
    _cached: list[Any] = field(default_factory=list)  # tables cached by kinds, released at the end

    @property
    def payments(self) -> ir.Table:
        return self.tables["payments"]

    def release(self) -> None:
        """Drop the cached tables while the connection is open (ibis would otherwise drop them at
        garbage collection, after the connection closed, and print the failure)."""
        import contextlib

        for name in ("persons", "person_stats"):
            t = self.__dict__.pop(name, None)
            if t is not None:
                self._cached.append(t)
        while self._cached:
            with contextlib.suppress(Exception):
                self._cached.pop().release()

    def cache(self, expr: ir.Table) -> ir.Table:
        """``expr`` computed once and kept on the backend until :meth:`release` (a temp table on
        DuckDB, a persisted frame on Spark): for a kind's small intermediate tables (candidate
        keys) that its query reads more than once."""
        t = expr.cache()
        self._cached.append(t)
        return t

    @cached_property
    def totals(self) -> dict[str, Any]:
        """Rows, first and last period of payments: one aggregate, read once (summary, last_period)."""
        import ibis

        pay = self.payments
        row = pay.aggregate(n=ibis._.count(), lo=pay.period.min(), hi=pay.period.max())
        return row.to_pyarrow().to_pylist()[0]

    def want_stats(self, rule: Rule) -> None:
        """Register the per-person aggregates of ``rule``'s kind for the shared pass."""
        from sifund.payments.kinds import KINDS

        kind = KINDS[rule.kind]
        if kind.stats is None or id(rule.params) in self._prefix:
            return
        prefix = f"_r{len(self._prefix)}_"
        self._prefix[id(rule.params)] = prefix
        self._aggs.update({prefix + k: v for k, v in kind.stats(self.payments, rule.params).items()})
        self.__dict__.pop("person_stats", None)

    @cached_property
    def person_stats(self) -> ir.Table:
        """One group-by over payments by person_id with every registered aggregate, cached (its
        keys are also :attr:`persons`'; ``_rows`` is each person's number of payments)."""
        import ibis

        return self.payments.group_by("person_id").aggregate(_rows=ibis._.count(), **self._aggs).cache()

    def stats(self) -> Stats:
        """The current rule's per-person aggregates (registered on first use if the engine did
        not: a kind run on its own still works, with a pass of its own)."""
        if id(self.rule.params) not in self._prefix:
            self.want_stats(self.rule)
        return Stats(self.person_stats, self._prefix[id(self.rule.params)])

    @cached_property
    def persons(self) -> ir.Table:
        """The distinct person_id of payments with what its digits say (form, birth date, gender,
        check sum; :func:`sifund.payments.kinds.parse_ids`), computed once and cached on the
        backend: ``invalid_id`` and ``under_age`` both read it, the summary counts it."""
        from sifund.payments.kinds import parse_ids

        return parse_ids(self.person_stats.select("person_id")).cache()


@dataclass(frozen=True)
class Stats:
    """A rule's view of the shared per-person table: ``st["lo"]`` is its column ``lo``."""

    table: ir.Table
    prefix: str

    def __getitem__(self, name: str) -> ir.Column:
        return self.table[self.prefix + name]


@dataclass
class RuleRun:
    rule: Rule
    hits: list[Hit]
    skipped: str | None = None
    seconds: float = 0.0  # wall clock
    cpu: float = 0.0  # CPU of this process, DuckDB's threads included (Spark's executors not)


def money(d: Decimal) -> float:
    """元 with two decimals (half up), as the JSON number."""
    return float(d.quantize(CENT, rounding=ROUND_HALF_UP))


def _labels() -> tuple[dict[str, str], dict[str, str]]:
    """Chinese names of fund and benefit codes for reasons (code list of sifund.core.codes)."""
    from sifund.core.codes import codebook

    cb = codebook()
    funds = {c: f.name.removesuffix("基金") for c, f in cb.funds.items()}
    items = {c: i.name.removesuffix("支出") for c, i in cb.items.items()}
    return funds, items


def hits_of(rule: Rule, rows: list[dict[str, Any]]) -> list[Hit]:
    """One hit per person from a rule's evidence rows (dicts of the kind's columns)."""
    from sifund.payments.kinds import BENEFIT_FACTS, EVIDENCE, FUND_FACTS

    funds, items = _labels()
    by_person: dict[str, dict[tuple[str, int], dict[str, Any]]] = {}
    for r in rows:
        seen = by_person.setdefault(str(r["person_id"]), {})
        key = (r["table"], int(r["row"]))
        if key not in seen:
            seen[key] = r
        else:  # one row is evidence once; if a kind yields it twice, it counts once (the larger)
            seen[key] = max(seen[key], r, key=lambda x: x["at_risk"] or 0)
    out: list[Hit] = []
    for pid, evid in by_person.items():
        ordered = [evid[k] for k in sorted(evid, key=lambda k: (TABLE_ORDER.get(k[0], 9), k[0], k[1]))]
        amount = sum((Decimal(r["at_risk"] or 0) for r in ordered), Decimal(0))
        periods = sorted({r["period"] for r in ordered if r["period"]})
        name = next((r["name"] for r in ordered if r["table"] == "payments" and r["name"]), None) or next(
            (r["name"] for r in ordered if r["name"]), ""
        )
        facts: dict[str, Any] = {}
        for col in ordered[0]:
            if col in EVIDENCE:
                continue
            values: list[str] = []
            for r in ordered:
                v = r[col]
                if v is None or v == "":
                    continue
                v = str(v)
                v = funds.get(v, v) if col in FUND_FACTS else items.get(v, v) if col in BENEFIT_FACTS else v
                if v not in values:
                    values.append(v)
            facts[col] = "、".join(values)
        for col in MONEY_FACTS & facts.keys():
            facts[col] = "、".join(_money_text(v) for v in facts[col].split("、") if v)
        facts.update(period_facts(periods))
        facts.update(name=name, person_id=pid, amount=f"{money(amount):,.2f}", rows=len(ordered))
        other = facts.get("other_ids")
        out.append(
            Hit(
                rule=rule.code,
                risk=rule.risk,
                person_id=pid,
                name=name,
                periods=periods,
                amount=money(amount),
                reason=_fill(rule.reason, facts),
                rows=[RowRef(table=r["table"], row=int(r["row"])) for r in ordered],
                other_ids=sorted(other.split("、")) if rule.kind == "linkage" and other else None,
            )
        )
    return out


def period_facts(periods: list[str]) -> dict[str, Any]:
    """The reason templates' period facts of sorted ``periods``: first, last, months, span
    (``2024-03`` or ``2024-03至2024-06``) and the list (also the web demo's hand-made hits)."""
    first, last = (periods[0], periods[-1]) if periods else ("", "")
    span = first if first == last else f"{first}至{last}"
    return {"first": first, "last": last, "months": len(periods), "span": span, "periods": "、".join(periods)}


MONEY_FACTS = frozenset({"median"})  # decimal facts shown as 元 (two decimals unless a half-fen)


def _money_text(v: str) -> str:
    d = Decimal(v)
    return f"{d:,.2f}" if d == d.quantize(CENT) else f"{d.normalize():,}"


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, facts: dict[str, Any]) -> str:
    return template.format_map(_Facts(facts))


def _fetch(expr: ir.Table) -> list[dict[str, Any]]:
    """Only the evidence rows come back to Python (Decimal money, exact)."""
    return expr.to_pyarrow().to_pylist()


def run_rule(ctx: Context, rule: Rule, present: set[str]) -> RuleRun:
    from sifund.payments.kinds import KINDS, Skip

    kind = KINDS[rule.kind]
    start, cpu = time.perf_counter(), time.process_time()
    missing = [t for t in kind.needs if t not in present]
    if missing:
        return RuleRun(rule, [], f"缺少 {'、'.join(missing)} 表")
    try:
        ctx.rule = rule
        expr = kind.run(ctx, rule.params)
        hits, skipped = hits_of(rule, _fetch(expr)), None
    except Skip as e:
        hits, skipped = [], str(e)
    return RuleRun(rule, hits, skipped, time.perf_counter() - start, time.process_time() - cpu)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Any]:
    """A rich progress bar on stderr, only for a person watching (a TTY)."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:  # fmt: skip
        yield (bar, bar.add_task("疑点筛查", total=total))


def summarise(tables: Tables, runs: list[RuleRun], ctx: Context) -> Summary:
    row = ctx.totals
    people = _count(ctx.person_stats)
    by_rule: dict[str, RuleSummary] = {}
    for r in runs:
        rows = {(ref.table, ref.row) for h in r.hits for ref in h.rows}
        amount = sum((Decimal(str(h.amount)) for h in r.hits), Decimal(0))
        by_rule[r.rule.code] = RuleSummary(
            people=len(r.hits), rows=len(rows), amount=money(amount), name=r.rule.name,
            category=r.rule.category, risk=r.rule.risk, skipped=r.skipped,
        )  # fmt: skip
    periods = [row["lo"], row["hi"]] if row["lo"] else []
    return Summary(payments=int(row["n"]), people=people, periods=periods, by_rule=by_rule)


def _count(t: ir.Table) -> int:
    return int(t.count().to_pyarrow().as_py())


def order_hits(runs: list[RuleRun]) -> list[Hit]:
    """Risk (high, medium, low), then the catalogue's order of rules, then person_id."""
    hits = [(RISKS.index(r.rule.risk), r.rule.order, h.person_id, h) for r in runs for h in r.hits]
    return [h for *_, h in sorted(hits, key=lambda x: x[:3])]


def audit_tables(
    tables: Tables, rules: list[Rule], progress: bool = True
) -> tuple[AuditResult, list[RuleRun]]:
    """The catalogue's enabled rules on registered tables; also each rule's run (timings)."""
    ctx = Context(tables.tables, tables.backend)
    ctx.last_period = ctx.totals["hi"] or ""
    enabled = [r for r in rules if r.enabled]
    for rule in enabled:
        ctx.want_stats(rule)
    runs: list[RuleRun] = []
    present = set(tables.tables)
    try:
        with _progress(progress, len(enabled)) as bar:
            for rule in enabled:
                if bar:
                    bar[0].update(bar[1], description=f"疑点筛查 {rule.name}")
                runs.append(run_rule(ctx, rule, present))
                if bar:
                    bar[0].advance(bar[1])
        summary = summarise(tables, runs, ctx)
    finally:
        ctx.release()
    return AuditResult(summary=summary, hits=order_hits(runs)), runs


def audit(
    folder: Path | str,
    engine: str = "duckdb",
    rules: Path | str | list[Rule] | None = None,
    memory_limit: str = "3GB",
    threads: int | None = None,
    progress: bool = True,
) -> AuditResult:
    """Audit the payment tables in ``folder`` with the catalogue (``rules``: a province's
    override file, or rules already loaded)."""
    from sifund.payments.tables import register

    catalogue = rules if isinstance(rules, list) else load_rules(rules)
    tables = register(folder, engine, memory_limit, threads)
    try:
        return audit_tables(tables, catalogue, progress)[0]
    finally:
        tables.close()
