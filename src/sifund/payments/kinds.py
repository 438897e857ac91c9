"""Rule kinds: one small function per kind, (context, rule) → an ibis table of evidence rows.

Why kinds and not one function per rule: a real agency's 100+ 疑点指标 are mostly a few shapes
(two benefits that exclude each other, a key that must be unique, a value far from its group, a
condition on a row) with different benefits, keys and thresholds. Each shape is a kind with typed
params (a pydantic model, so a typo in a province's file is an error naming its line); a new
indicator of a known shape is a YAML entry. ``row_filter`` covers the rest: a SQL condition on one
table's rows.

Every kind returns the same columns (:data:`EVIDENCE`): ``person_id, name, period, table, row,
at_risk`` (the row's money at risk, DECIMAL(18,3) so that a median's half-fen is exact; 0 for a
row that is evidence only) plus its own fact columns (strings, for the reason template). Only
ibis expressions are used, no backend SQL, so the same code runs on DuckDB and on Spark; the
engine (:mod:`sifund.payments.engine`) aggregates the evidence into one hit per person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from sifund.payments.engine import Context

AT_RISK = "decimal(18, 3)"
EVIDENCE = ("person_id", "name", "period", "table", "row", "at_risk")


class Skip(Exception):
    """A rule cannot run on this input (a table it needs is absent); the message says why."""


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Selector(_Params):
    """Which payments: benefit codes and, optionally, fund codes (None: any), less the benefit
    codes of ``exclude_benefits`` (an open "all but these": a province's own benefit codes stay in)."""

    benefits: list[str] | None = None
    funds: list[str] | None = None
    exclude_benefits: list[str] | None = None

    def mask(self, t: ir.Table) -> ir.BooleanValue:
        import ibis

        cond = ibis.literal(True)
        if self.benefits is not None:
            cond = cond & t.benefit.isin(self.benefits)
        if self.exclude_benefits:
            cond = cond & (t.benefit.isnull() | ~t.benefit.isin(self.exclude_benefits))  # NULL: kept
        if self.funds is not None:
            cond = cond & t.fund.isin(self.funds)
        return cond


# ---- helpers -----------------------------------------------------------------------------------


def _dec(value: Any) -> ir.Value:
    import ibis

    return ibis.literal(Decimal(str(value)), type=AT_RISK)


def evidence(
    t: ir.Table,
    table: str,
    at_risk: Any,
    facts: dict[str, Any],
    person_id: Any = None,
    name: Any = None,
    period: Any = None,
) -> ir.Table:
    """The standard evidence columns of ``t``'s rows (``facts`` cast to strings)."""
    import ibis

    cols = t.columns
    out: dict[str, Any] = {
        "person_id": (person_id if person_id is not None else t.person_id).cast("string"),
        "name": (name if name is not None else (t.name if "name" in cols else ibis.null())).cast("string"),
        "period": (period if period is not None else (t.period if "period" in cols else ibis.null())).cast(
            "string"
        ),
        "table": ibis.literal(table),
        "row": t._row.cast("int64"),
        "at_risk": (at_risk if not isinstance(at_risk, int | float | Decimal) else _dec(at_risk)).cast(
            AT_RISK
        ),
    }
    for k, v in facts.items():
        if v is None:
            v = ibis.null()
        elif isinstance(v, str | int | float):
            v = ibis.literal(v)
        out[k] = v.cast("string")
    return t.select(**out)


def _nonblank(col: ir.StringValue) -> ir.BooleanValue:
    """``col`` is not NULL and not only whitespace. A value that starts at or above '!' cannot
    strip to '' (the characters stripped are all below it), so the costly strip is left to the
    rare value that starts with a space or a control character."""
    return col.notnull() & ((col >= "!") | (col.strip() != ""))


def _union(parts: list[ir.Table]) -> ir.Table:
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p)
    return out


def _need(ctx: Context, table: str) -> ir.Table:
    if table not in ctx.tables:
        raise Skip(f"缺少 {table} 表")
    return ctx.tables[table]


# ---- paid_after_event -----------------------------------------------------------------------------


class PaidAfterEvent(_Params):
    event_table: str = "deaths"
    event_date: str = "death_date"
    payments: Selector = Field(default_factory=Selector)  # which payments count (default: all)


def paid_after_event(ctx: Context, p: PaidAfterEvent) -> ir.Table:
    """Payments whose period is after the month of the person's earliest event (death) record;
    evidence: those payments (their amounts) and that event record (the lowest row of that date)."""
    import ibis

    ev = _need(ctx, p.event_table)
    pay = ctx.payments
    first = ev.mutate(
        _k=ibis.row_number().over(group_by=ev.person_id, order_by=[ev[p.event_date], ev._row])
    ).filter(lambda t: t._k == 0)
    first = first.mutate(_month=first[p.event_date].cast("string").substr(0, 7), _date=first[p.event_date])
    j = pay.filter(p.payments.mask(pay)).join(first.select("person_id", "_month", "_date"), "person_id")
    after = j.filter(j.period > j._month)
    pays = evidence(after, "payments", after.amount, {"event_date": after._date})
    hit_people = after.select("person_id").distinct()
    recs = first.join(hit_people, "person_id")
    evs = evidence(recs, p.event_table, 0, {"event_date": recs._date}, period=ibis.null())
    return _union([pays, evs])


# ---- duplicate ---------------------------------------------------------------------------------------


class Duplicate(_Params):
    keys: list[str] = Field(default_factory=lambda: ["person_id", "fund", "benefit", "period"], min_length=1)
    payments: Selector = Field(default_factory=Selector)

    @field_validator("keys")
    @classmethod
    def _keys(cls, v: list[str]) -> list[str]:
        return _columns_of("payments", v)


def duplicate(ctx: Context, p: Duplicate) -> ir.Table:
    """Groups of two or more payments with equal ``keys``; every row is evidence, each row but
    the group's first (lowest ``_row``) is money at risk.

    Nearly every key is unique, so a group-by on the keys themselves (strings, one group per
    payment) is the costliest step of the catalogue; it is done on one 64-bit hash of the keys
    instead, and only the rows whose hash occurs twice (the duplicates and the rare collisions) are
    grouped again on the real keys."""
    import ibis

    pay = ctx.payments
    keep = ibis.and_(p.payments.mask(pay), *[pay[k].notnull() for k in p.keys])
    h = _key_hash(pay, p.keys, ctx.backend.name)
    # each step cached: a derived table read twice in one query is materialised whole by DuckDB
    twice = ctx.cache(pay.filter(keep).group_by(_h=h).aggregate(_c=ibis._.count()).filter(ibis._._c > 1))
    cand = ctx.cache(pay.filter(keep).mutate(_h=h).join(twice.select("_h"), "_h").drop("_h"))
    g = cand.group_by(p.keys).aggregate(_n=ibis._.count(), _first=cand._row.min()).filter(ibis._._n > 1)
    j = cand.join(g, p.keys)
    risk = ibis.ifelse(j._row == j._first, _dec(0), j.amount.cast(AT_RISK))
    return evidence(j, "payments", risk, {"benefits": j.benefit, "funds": j.fund, "count": j._n})


def _key_hash(t: ir.Table, keys: list[str], backend: str) -> ir.IntegerValue:
    """One integer hash of ``keys``: the backend's own variadic ``hash`` (DuckDB: 64 bits, Spark:
    Murmur3, 32 bits), called as a builtin because ibis' ``Value.hash`` takes one argument and, on
    DuckDB, casts through a bit string per row. Equal keys, equal hash; a collision only adds a
    candidate, which the exact group-by on the keys then drops."""
    import inspect

    import ibis
    import ibis.expr.datatypes as dt

    def fn(*args: Any) -> None: ...

    fn.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(f"k{i}", inspect.Parameter.POSITIONAL_OR_KEYWORD) for i in range(len(keys))]
    )
    out = dt.uint64 if backend == "duckdb" else dt.int32  # what each engine's hash returns
    udf = ibis.udf.scalar.builtin(fn, name="hash", signature=(tuple(t[k].type() for k in keys), out))
    return udf(*[t[k] for k in keys])


# ---- concurrent_funds -----------------------------------------------------------------------------


class ConcurrentFunds(_Params):
    benefits: list[str] = Field(min_length=1)
    funds: list[str] = Field(min_length=2)  # in tie order: the first keeps its pension


def _rank(col: ir.StringValue, order: list[str]) -> ir.IntegerValue:
    import ibis

    return ibis.cases(*((col == f, i) for i, f in enumerate(order)), else_=len(order))


def concurrent_funds(ctx: Context, p: ConcurrentFunds) -> ir.Table:
    """Periods in which a person draws the benefit under two or more funds; the fund that started
    first (its first period in the data; ties by the order of ``funds``) is kept, the payments of
    the others in those periods are at risk; every such payment of those periods is evidence."""
    import ibis

    pay = ctx.payments
    st = ctx.stats()  # people with two pension funds at all (one shared pass over persons)
    maybe = st.table.filter(st["lo"] != st["hi"]).select("person_id")
    # the payments of those few people, cached: the rest of the rule reads them three times
    pen = pay.filter(pay.benefit.isin(p.benefits) & pay.fund.isin(p.funds)).join(maybe, "person_id")
    pen = ctx.cache(pen)
    ov = (
        pen.group_by(["person_id", "period"])
        .aggregate(_lo=pen.fund.min(), _hi=pen.fund.max())
        .filter(ibis._._lo != ibis._._hi)
        .select("person_id", "period")
    )
    cand = ov.select("person_id").distinct()
    mine = pen.join(cand, "person_id")
    starts = mine.group_by(["person_id", "fund"]).aggregate(_start=mine.period.min())
    starts = starts.mutate(_rk=_rank(starts.fund, p.funds))
    keep = (
        starts.mutate(
            _k=ibis.row_number().over(group_by=starts.person_id, order_by=[starts._start, starts._rk])
        )
        .filter(ibis._._k == 0)
        .select("person_id", _kept=ibis._.fund)
    )
    j = pen.join(ov, ["person_id", "period"]).join(keep, "person_id")
    risk = ibis.ifelse(j.fund == j._kept, _dec(0), j.amount.cast(AT_RISK))
    return evidence(j, "payments", risk, {"funds": j.fund, "kept_fund": j._kept})


def concurrent_funds_stats(pay: ir.Table, p: ConcurrentFunds) -> dict[str, Any]:
    m = pay.benefit.isin(p.benefits) & pay.fund.isin(p.funds)
    return {"lo": pay.fund.min(where=m), "hi": pay.fund.max(where=m)}


# ---- incompatible_benefits ---------------------------------------------------------------------


class IncompatibleBenefits(_Params):
    a: Selector
    b: Selector
    tie: str = Field("a", pattern="^(a|b)$")  # on equal starts, this side's payments are counted


def incompatible_benefits(ctx: Context, p: IncompatibleBenefits) -> ir.Table:
    """Periods with a payment of side ``a`` and one of side ``b``: both sides' payments of those
    periods are evidence; those of the side that started later (``tie`` on equal starts) are at risk."""
    import ibis

    st = ctx.stats()  # people with both sides at all (one shared pass over persons)
    maybe = st.table.filter((st["na"] > 0) & (st["nb"] > 0)).select("person_id")
    pay = ctx.payments.join(maybe, "person_id")
    ma, mb = p.a.mask(pay), p.b.mask(pay)
    both = pay.filter(ma | mb).mutate(_side=ibis.ifelse(ma, "a", "b"))
    ov = (
        both.group_by(["person_id", "period"])
        .aggregate(_lo=both._side.min(), _hi=both._side.max())
        .filter(ibis._._lo != ibis._._hi)
        .select("person_id", "period")
    )
    mine = both.join(ov.select("person_id").distinct(), "person_id")
    starts = mine.group_by("person_id").aggregate(
        _sa=mine.period.min(where=mine._side == "a"), _sb=mine.period.min(where=mine._side == "b")
    )
    starts = starts.mutate(
        _counted=ibis.cases((starts._sb > starts._sa, "b"), (starts._sa > starts._sb, "a"), else_=p.tie)
    ).select("person_id", "_counted")
    j = both.join(ov, ["person_id", "period"]).join(starts, "person_id")
    counted = j._side == j._counted
    risk = ibis.ifelse(counted, j.amount.cast(AT_RISK), _dec(0))
    facts = {
        "a_benefits": ibis.ifelse(j._side == "a", j.benefit, ibis.null().cast("string")),
        "b_benefits": ibis.ifelse(j._side == "b", j.benefit, ibis.null().cast("string")),
        "counted": ibis.ifelse(counted, j.benefit, ibis.null().cast("string")),
    }
    return evidence(j, "payments", risk, facts)


def incompatible_benefits_stats(pay: ir.Table, p: IncompatibleBenefits) -> dict[str, Any]:
    ma, mb = p.a.mask(pay), p.b.mask(pay)
    return {"na": pay.person_id.count(where=ma), "nb": pay.person_id.count(where=mb & ~ma)}


# ---- benefit_while_contributing -------------------------------------------------------------


class BenefitWhileContributing(_Params):
    benefits: list[str] = Field(min_length=1)
    funds: list[str] | None = None
    employer: str = "employer"
    contribution_funds: list[str] | None = None


def benefit_while_contributing(ctx: Context, p: BenefitWhileContributing) -> ir.Table:
    """The benefit paid in a period with a contribution record of the same person and period whose
    employer is not empty: those payments (at risk) and those contribution rows (evidence)."""
    import ibis

    con = _need(ctx, "contributions")
    pay = ctx.payments
    ben = pay.filter(Selector(benefits=p.benefits, funds=p.funds).mask(pay))
    emp = con[p.employer]
    c = con.filter(_nonblank(emp))
    if p.contribution_funds is not None:
        c = c.filter(c.fund.isin(p.contribution_funds))
    pp = ctx.cache(  # the few (person, period) pairs; each side is then scanned once more
        ben.select("person_id", "period")
        .distinct()
        .join(c.select("person_id", "period").distinct(), ["person_id", "period"])
    )
    bj = ben.join(pp, ["person_id", "period"])
    cj = c.join(pp, ["person_id", "period"])
    none = ibis.null().cast("string")
    pays = evidence(bj, "payments", bj.amount, {"benefits": bj.benefit, "employers": none})
    cons = evidence(cj, "contributions", 0, {"benefits": none, "employers": cj[p.employer]}, name=none)
    return _union([pays, cons])


# ---- under_age --------------------------------------------------------------------------------------


class Ages(_Params):
    male: int = Field(ge=0, le=120)
    female: int = Field(ge=0, le=120)


class UnderAge(_Params):
    benefits: list[str] = Field(min_length=1)
    ages: dict[str, Ages] = Field(min_length=1)  # fund → statutory age by gender
    male: list[str] = Field(min_length=1)  # the people table's gender values
    female: list[str] = Field(min_length=1)


from sifund.core.idcard import CHECK_CHARS, FOREIGNER_MARK, WEIGHTS  # noqa: E402 (GB 11643, ISO 7064 MOD 11-2)


def parse_ids(ids: ir.Table) -> ir.Table:
    """``ids`` (a ``person_id`` column) with what the digits say, for a table to cache: ``_form``
    (18, 15 or 0), ``_y _m _d`` the birth date, ``_male`` (the 17th digit of 18, the 15th of 15,
    odd for a man) and ``_check_ok`` (ISO 7064 MOD 11-2; true for 15 digits, which have none).

    Why materialised: each derived column used twice would otherwise be inlined twice by the
    SQL compiler (the check sum alone 11 times), and this is per distinct ID, not per payment."""
    import ibis

    pid = ids.person_id
    is18 = pid.re_search("^[0-9]{17}[0-9Xx]$")
    is15 = pid.re_search("^[0-9]{15}$")
    form = ibis.cases((is18, 18), (is15, 15), else_=0)
    t = ids.mutate(_form=form).cache()  # materialised: `_form` is read ten times below
    f18 = t._form == 18
    digit = lambda i: t.person_id.substr(i, 1).try_cast("int64")  # noqa: E731
    y18, y15 = t.person_id.substr(6, 4).try_cast("int64"), 1900 + t.person_id.substr(6, 2).try_cast("int64")
    y = ibis.ifelse(f18, y18, y15)
    m = ibis.ifelse(f18, t.person_id.substr(10, 2), t.person_id.substr(8, 2)).try_cast("int64")
    d = ibis.ifelse(f18, t.person_id.substr(12, 2), t.person_id.substr(10, 2)).try_cast("int64")
    total = sum((digit(i) * w for i, w in enumerate(WEIGHTS)), start=ibis.literal(0))
    expected = ibis.literal(CHECK_CHARS).substr(total % 11, 1)
    check_ok = ibis.ifelse(f18, t.person_id.substr(17, 1).upper() == expected, True)
    g = ibis.ifelse(f18, digit(16), digit(14))
    out = t.mutate(
        _y=ibis.ifelse(t._form > 0, y, ibis.null()),
        _m=ibis.ifelse(t._form > 0, m, ibis.null()),
        _d=ibis.ifelse(t._form > 0, d, ibis.null()),
        _male=ibis.ifelse(t._form > 0, g % 2 == 1, ibis.null()),
        _check_ok=ibis.ifelse(t._form > 0, check_ok, False),
    )
    return out


def _real_date(y: ir.IntegerValue, m: ir.IntegerValue, d: ir.IntegerValue) -> ir.BooleanValue:
    import ibis

    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    dim = ibis.cases((m.isin([4, 6, 9, 11]), 30), ((m == 2) & leap, 29), (m == 2, 28), else_=31)
    return (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)


def under_age(ctx: Context, p: UnderAge) -> ir.Table:
    """Pension payments of a period before the month the person reaches the fund's statutory age
    (birth year + age, birth month); birth date and gender from ``people`` when it has them, else
    from the ID. Found on each person's first period per fund (one group-by), then only the
    candidates' payments are read again."""
    import ibis

    st = ctx.stats()
    pay = ctx.payments
    pen = pay.filter(pay.benefit.isin(p.benefits) & pay.fund.isin(list(p.ages)))
    ids = ctx.persons.join(
        st.table.filter(st["first"].notnull()).select("person_id", _first=st["first"]), "person_id"
    )
    oldest = ibis.literal(max(max(a.male, a.female) for a in p.ages.values()))
    pad = lambda v: v.cast("string").lpad(2, "0")  # noqa: E731
    id_birth = ids._y.cast("string").lpad(4, "0") + "-" + pad(ids._m) + "-" + pad(ids._d)
    who = ids.select(
        "person_id",
        "_first",
        _b_id=ibis.ifelse(_real_date(ids._y, ids._m, ids._d), id_birth, ibis.null().cast("string")),
        _g_id=ibis.ifelse(ids._male, "male", "female"),
    )
    if "people" in ctx.tables:
        pe = ctx.tables["people"]
        g = pe.gender.strip()
        gender = ibis.cases((g.isin(p.male), "male"), (g.isin(p.female), "female"), else_=ibis.null())
        facts = pe.group_by("person_id").aggregate(
            _b_pe=pe.birth_date.cast("string").min(), _g_pe=gender.cast("string").min()
        )
        who = who.left_join(facts, "person_id").select(
            "person_id",
            "_first",
            _birth=ibis.coalesce(ibis._._b_pe, ibis._._b_id),
            _gender=ibis.coalesce(ibis._._g_pe, ibis._._g_id),
        )
    else:
        who = who.select("person_id", "_first", _birth=who._b_id, _gender=who._g_id)
    who = who.filter(who._birth.notnull() & who._gender.notnull())
    # a person whose first pension is at or after the highest statutory age cannot be a hit
    top = (who._birth.substr(0, 4).cast("int64") + oldest).cast("string").lpad(4, "0") + "-"
    who = who.filter(who._first < top + who._birth.substr(5, 2)).drop("_first")
    pen = pen.join(who.select("person_id"), "person_id")
    first = pen.group_by(["person_id", "fund"]).aggregate(_first=pen.period.min())
    c = first.join(who, "person_id")
    age = ibis.cases(
        *(((c.fund == f) & (c._gender == "male"), a.male) for f, a in p.ages.items()),
        *(((c.fund == f) & (c._gender == "female"), a.female) for f, a in p.ages.items()),
        else_=ibis.null(),
    )
    c = c.mutate(_age=age)
    year = (c._birth.substr(0, 4).cast("int64") + c._age).cast("string").lpad(4, "0")
    c = c.mutate(_reach=year + "-" + c._birth.substr(5, 2))
    cand = c.filter(c._first < c._reach).select("person_id", "fund", "_birth", "_reach", "_age")
    j = pen.join(cand, ["person_id", "fund"])
    hit = j.filter(j.period < j._reach)
    return evidence(
        hit, "payments", hit.amount,
        {"birth_date": hit._birth, "reach": hit._reach, "age": hit._age, "fund": hit.fund},
    )  # fmt: skip


def under_age_stats(pay: ir.Table, p: UnderAge) -> dict[str, Any]:
    m = pay.benefit.isin(p.benefits) & pay.fund.isin(list(p.ages))
    return {"first": pay.period.min(where=m)}


# ---- invalid_id ---------------------------------------------------------------------------------


class InvalidId(_Params):
    earliest_birth: str = Field("1900-01-01", pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    provinces: list[str] = Field(min_length=1)
    # 18-character numbers only: other valid first two digits (83: 台湾居民居住证) and the
    # 受理地 codes after a leading 9 (外国人永久居留身份证, 2023); see sifund.core.idcard.
    permit_prefixes: list[str] = Field(default_factory=list)
    foreigner_provinces: list[str] = Field(default_factory=list)
    problems: dict[str, str] = Field(
        default_factory=lambda: {
            "form": "位数或字符不正确",
            "province": "地区码无效",
            "date": "出生日期无效",
            "check": "校验码错误",
        }
    )

    @field_validator("problems")
    @classmethod
    def _problems(cls, v: dict[str, str]) -> dict[str, str]:
        need = {"form", "province", "date", "check"}
        if set(v) != need:
            raise ValueError(f"problems 须恰好包含 {'、'.join(sorted(need))}")
        return v


def id_problem(ids: ir.Table, p: InvalidId, last_period: str) -> ir.StringValue:
    """NULL for a valid ID, else what is wrong with it (``p.problems``): an 18-character ID (17
    digits and a check character, x accepted; valid province; a real date from ``earliest_birth``
    to the last period; ISO 7064 MOD 11-2) or a 15-digit one (valid province, a real 19YYMMDD
    date). ``ids`` is :func:`parse_ids`'s table."""
    import ibis

    head = ids.person_id.substr(0, 2)
    province_ok = head.isin(p.provinces)
    if p.permit_prefixes:
        province_ok = province_ok | ((ids._form == 18) & head.isin(p.permit_prefixes))
    if p.foreigner_provinces:
        foreign = (ids.person_id.substr(0, 1) == FOREIGNER_MARK) & ids.person_id.substr(1, 2).isin(
            p.foreigner_provinces
        )
        province_ok = province_ok | ((ids._form == 18) & foreign)
    ymd = ids._y * 10000 + ids._m * 100 + ids._d
    lo = int(p.earliest_birth.replace("-", ""))
    hi = int(last_period.replace("-", "")) * 100 + 31 if last_period else 99991231
    date_ok = _real_date(ids._y, ids._m, ids._d) & (ymd >= lo) & (ymd <= hi)
    pr = p.problems
    return ibis.cases(
        (ids._form == 0, pr["form"]),
        (~province_ok, pr["province"]),
        (~ibis.coalesce(date_ok, False), pr["date"]),
        (~ids._check_ok, pr["check"]),
        else_=ibis.null().cast("string"),
    )


def invalid_id(ctx: Context, p: InvalidId) -> ir.Table:
    """Every payment under an ID that is not a valid 公民身份号码 (checked once per distinct ID)."""
    ids = ctx.persons
    bad = ids.select("person_id", _problem=id_problem(ids, p, ctx.last_period))
    bad = bad.filter(bad._problem.notnull())
    j = ctx.payments.join(bad, "person_id")
    return evidence(j, "payments", j.amount, {"problem": j._problem})


# ---- shared_key -----------------------------------------------------------------------------------


class SharedKey(_Params):
    key: str = "account"
    min_people: int = Field(3, ge=2)
    per: list[str] = Field(default_factory=lambda: ["period"])  # the key is shared within these

    @field_validator("key")
    @classmethod
    def _key(cls, v: str) -> str:
        return _columns_of("payments", [v])[0]


def shared_key(ctx: Context, p: SharedKey) -> ir.Table:
    """A non-empty ``key`` (bank account) receiving payments for ``min_people`` or more distinct
    person_ids in one period: each such person's payments into it in those periods.

    Counting distinct people needs a set per group; a plain count of payments is at least that, so
    it is done first and the distinct count only on the few keys with ``min_people`` payments."""
    import ibis

    pay = ctx.payments
    keys = [p.key, *p.per]
    k = pay.filter(_nonblank(pay[p.key]))
    # a key that only one person ever used cannot be shared (one pass with few groups); the
    # payments into the others are few and cached, and the rest of the rule reads only them
    shared = k.group_by(p.key).aggregate(_lo=k.person_id.min(), _hi=k.person_id.max())
    shared = ctx.cache(shared.filter(shared._lo != shared._hi).select(p.key))
    cols = dict.fromkeys(["_row", "person_id", "name", "period", "amount", *keys])
    k = ctx.cache(pay.join(shared, p.key).select(*cols))
    busy = k.group_by(keys).aggregate(_n=ibis._.count()).filter(ibis._._n >= p.min_people).select(keys)
    cand = k.join(busy, keys)
    g = cand.group_by(keys).aggregate(_people=cand.person_id.nunique()).filter(ibis._._people >= p.min_people)
    j = cand.join(g, keys)
    return evidence(j, "payments", j.amount, {"key": j[p.key], "people": j._people})


# ---- outlier ----------------------------------------------------------------------------------------


class Outlier(_Params):
    factor: float = Field(5, gt=0)
    min_group: int = Field(10, ge=2)
    group: list[str] = Field(default_factory=lambda: ["fund", "benefit", "region", "period"])

    @field_validator("group")
    @classmethod
    def _group(cls, v: list[str]) -> list[str]:
        return _columns_of("payments", v)


def outlier(ctx: Context, p: Outlier) -> ir.Table:
    """A payment above ``factor`` × the exact median of its group (fund, benefit, region,
    period) in groups of at least ``min_group`` payments; at risk: the amount above the median.

    The median is of DECIMAL(18,3) so that the mean of the two middle values is exact (DuckDB's
    QUANTILE_CONT and Spark's PERCENTILE, both exact, not an approximate percentile)."""
    import ibis

    pay = ctx.payments

    def keyed(t: ir.Table) -> ir.Table:
        return t.mutate(**{f"_g_{c}": ibis.coalesce(t[c].cast("string"), "") for c in p.group})

    gcols = [f"_g_{c}" for c in p.group]
    g = (
        keyed(pay)
        .group_by(gcols)
        # Spark's PERCENTILE returns DOUBLE and ibis drops a cast to the type it expects, so the
        # detour through float64 makes the DECIMAL(18,3) real on both engines (exact: 3 decimals)
        .aggregate(_n=ibis._.count(), _median=pay.amount.cast(AT_RISK).median().cast("float64").cast(AT_RISK))
        .filter(ibis._._n >= p.min_group)
    )
    g = ctx.cache(g)  # one row per group: a few thousand
    # no payment at or below the lowest group's bar can be a hit: only the few above it are
    # joined to their group (a join of every payment on four text keys costs a pass and more)
    lowest = g.aggregate(_m=g._median.min()).to_pyarrow().to_pylist()[0]["_m"]
    if lowest is None:
        return evidence(pay.filter(ibis.literal(False)), "payments", 0, {"median": None, "factor": None,
                                                                        "benefits": None})  # fmt: skip
    from decimal import ROUND_FLOOR

    bar = _dec((Decimal(lowest) * Decimal(str(p.factor))).quantize(Decimal("0.001"), ROUND_FLOOR))
    high = keyed(pay.filter(pay.amount.cast(AT_RISK) > bar))
    j = high.join(g, gcols)
    hit = j.filter(j.amount.cast(AT_RISK) > j._median * _dec(p.factor))
    risk = hit.amount.cast(AT_RISK) - hit._median
    return evidence(
        hit, "payments", risk,
        {"median": hit._median, "factor": ibis.literal(f"{p.factor:g}"), "benefits": hit.benefit},
    )  # fmt: skip


# ---- linkage ---------------------------------------------------------------------------------------


class Linkage(BaseModel):
    """Params of ``same_person_two_ids``: passed to :func:`sifund.payments.linkage.find_clusters`
    as they are (that module owns their meaning), so extra keys are allowed."""

    model_config = ConfigDict(extra="allow")
    match_probability: float | None = Field(None, gt=0, le=1)  # None: linkage.yaml's


def linkage(ctx: Context, p: Linkage) -> ir.Table:
    """Clusters of IDs that are one person (:mod:`sifund.payments.linkage`): every payment under
    the other IDs is evidence; those whose fund, benefit and period are also paid under another ID
    of the cluster are at risk. The hit is under the cluster's ``person_id``."""
    import ibis

    try:
        from sifund.payments.linkage import find_clusters
    except ImportError:
        raise Skip("未安装一人多号识别模块 (sifund.payments.linkage)") from None
    pay = ctx.payments
    clusters = find_clusters(ctx.backend, pay, ctx.tables.get("people"), p.model_dump(exclude_none=True))
    if not clusters:
        return evidence(pay.filter(ibis.literal(False)), "payments", 0, {f: None for f in LINKAGE_FACTS})
    cols: dict[str, list[Any]] = {c: [] for c in ("_cid", "person_id", "_primary", *LINKAGE_FACTS)}
    for n, c in enumerate(clusters):
        facts = {**dict(c.reason_facts), "other_ids": "、".join(sorted(c.other_ids))}
        facts.setdefault("basis", facts.get("key", ""))
        for i in [c.person_id, *c.other_ids]:
            cols["_cid"].append(n)
            cols["person_id"].append(i)
            cols["_primary"].append(c.person_id)
            for f in LINKAGE_FACTS:
                cols[f].append(str(facts.get(f, "")))
    mem = ibis.memtable(
        {k if k in ("_cid", "person_id", "_primary") else f"_f_{k}": v for k, v in cols.items()}
    )
    members = pay.join(mem, "person_id")
    both = (
        members.group_by(["_cid", "fund", "benefit", "period"])
        .aggregate(_ids=members.person_id.nunique())
        .filter(ibis._._ids >= 2)
        .select("_cid", "fund", "benefit", "period", _dup=ibis.literal(True))
    )
    others = members.filter(members.person_id != members._primary)
    j = others.left_join(both, ["_cid", "fund", "benefit", "period"])
    risk = ibis.ifelse(ibis.coalesce(j._dup, False), j.amount.cast(AT_RISK), _dec(0))
    names = pay.join(mem.filter(mem.person_id == mem._primary).select("person_id"), "person_id")
    names = names.group_by("person_id").aggregate(_pname=names.name.argmin(names._row))
    j = j.left_join(names, j._primary == names.person_id)
    facts = {f: j[f"_f_{f}"] for f in LINKAGE_FACTS}
    return evidence(j, "payments", risk, facts, person_id=j._primary, name=j._pname)


# what a cluster's reason may say (sifund.payments.linkage.Cluster.reason_facts, plus other_ids)
LINKAGE_FACTS = ("other_ids", "key", "basis", "match_weight", "match_probability")


# ---- row_filter ------------------------------------------------------------------------------------


class RowFilter(_Params):
    """A condition on one table's rows: ``where`` a SQL boolean expression (DuckDB dialect) over
    its columns; ``amount`` the money at risk per row (default: its ``amount`` column, else 0);
    ``facts`` columns to offer to the reason template (as ``{column}``)."""

    table: str = "payments"
    where: str = Field(min_length=1)
    amount: str | None = None
    facts: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sql(self) -> RowFilter:
        from sifund.payments.tables import TABLE_SPECS

        if self.table not in TABLE_SPECS:
            raise ValueError(f"未知的表 unknown table {self.table!r}（{'、'.join(TABLE_SPECS)}）")
        allowed = {"_row", *(c.name for c in TABLE_SPECS[self.table].columns)}
        for label, text in (("where", self.where), ("amount", self.amount)):
            if text is not None:
                _check_sql(text, allowed, label)
        _columns_of(self.table, self.facts)
        return self


def _check_sql(text: str, allowed: set[str], label: str) -> None:
    """``text`` parses as a DuckDB expression and names only ``allowed`` columns."""
    import sqlglot
    from sqlglot import exp

    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as e:
        msg = " ".join(str(e).split())[:160]
        raise ValueError(f"{label} 不是有效的 SQL 表达式 invalid SQL: {msg}") from None
    if isinstance(tree, exp.Query | exp.Command) or tree.find(exp.Select):
        raise ValueError(f"{label} 只能是表达式，不能是查询 (an expression, not a query)")
    unknown = sorted({c.name for c in tree.find_all(exp.Column)} - allowed)
    if unknown:
        raise ValueError(f"{label} 中有未知列 unknown column: {'、'.join(unknown)}")


def row_filter(ctx: Context, p: RowFilter) -> ir.Table:
    """The rows of ``p.table`` where ``p.where`` holds (SQL carried to the backend by sqlglot)."""
    t = _need(ctx, p.table)
    risk = p.amount or ("amount" if "amount" in t.columns else "0")
    q = t.alias("_src").sql(
        f"SELECT *, CAST(({risk}) AS DECIMAL(18,3)) AS _at_risk FROM _src WHERE ({p.where})", dialect="duckdb"
    )
    return evidence(q, p.table, q._at_risk, {f: q[f] for f in p.facts})


# ---- registry ---------------------------------------------------------------------------------------


def _columns_of(table: str, cols: list[str]) -> list[str]:
    from sifund.payments.tables import TABLE_SPECS

    known = {"_row", *(c.name for c in TABLE_SPECS[table].columns)}
    bad = [c for c in cols if c not in known]
    if bad:
        raise ValueError(f"{table} 表没有列 unknown column: {'、'.join(bad)}")
    return cols


@dataclass(frozen=True)
class Kind:
    """A rule kind: its params model, its function and the facts its reasons may use."""

    params: type[BaseModel]
    run: Callable[[Any, Any], Any]
    facts: tuple[str, ...]
    needs: tuple[str, ...] = ()  # tables beyond payments it cannot run without (else skipped)
    # per-person aggregates the kind reads through ``ctx.stats()``: the engine computes those of
    # every enabled rule in ONE group-by over payments (a cheap pass: persons ≪ payments)
    stats: Callable[[Any, Any], dict[str, Any]] | None = None


KINDS: dict[str, Kind] = {
    "paid_after_event": Kind(PaidAfterEvent, paid_after_event, ("event_date",)),
    "duplicate": Kind(Duplicate, duplicate, ("benefits", "funds", "count")),
    "concurrent_funds": Kind(
        ConcurrentFunds, concurrent_funds, ("funds", "kept_fund"), stats=concurrent_funds_stats
    ),
    "incompatible_benefits": Kind(
        IncompatibleBenefits,
        incompatible_benefits,
        ("a_benefits", "b_benefits", "counted"),
        stats=incompatible_benefits_stats,
    ),
    "benefit_while_contributing": Kind(
        BenefitWhileContributing, benefit_while_contributing, ("benefits", "employers"), ("contributions",)
    ),
    "under_age": Kind(UnderAge, under_age, ("birth_date", "reach", "age", "fund"), stats=under_age_stats),
    "invalid_id": Kind(InvalidId, invalid_id, ("problem",)),
    "shared_key": Kind(SharedKey, shared_key, ("key", "people")),
    "outlier": Kind(Outlier, outlier, ("median", "factor", "benefits")),
    "linkage": Kind(Linkage, linkage, LINKAGE_FACTS),
    "row_filter": Kind(RowFilter, row_filter, ()),
}

# Fact columns whose values are fund or benefit codes: the reason shows their Chinese names.
FUND_FACTS = frozenset({"funds", "kept_fund", "fund"})
BENEFIT_FACTS = frozenset({"benefits", "a_benefits", "b_benefits", "counted"})
