"""Lookups that keep extraction and the report audit linear in the number of figures.

Why a module: several steps ask "which figures stated so far meet this printed interval?" (a total
that disagrees with the one stated before, a budget quoted by a completion rate, a share's
reference). A scan of every figure so far made a report with thousands of figures of one key
quadratic. ``IntervalIndex`` answers the same question from sorted lists, one per precision, so a
query only looks at the figures whose intervals can meet it; the answer is exactly what the scan
with ``Interval.meets`` gives (the window is wider than any float-noise allowance, then every
candidate is checked with ``meets`` itself).

``sane`` is the one place that says whether a parsed number can become a Figure: finite, and
within the magnitudes the model accepts (``limits().dataset``), so the review code never builds a
Figure the model would refuse, nor prints ``Infinity`` in JSON.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sifund.core import model
from sifund.core.limits import DatasetLimits, limits
from sifund.core.numbers import Quantity
from sifund.engine.intervals import Interval

T = TypeVar("T")


def _limits() -> DatasetLimits:
    """The dataset limits in force: those an extraction holds while it runs (``model._ACTIVE``, set
    by ``extract._dataset_limits``), else looked up (``limits()`` reads the environment, ~10 µs, and
    a table cell asks for every number)."""
    active = getattr(model, "_ACTIVE", None)
    held = active.get() if active is not None else None
    return held or limits().dataset


def sane(value: float, precision: float | None, lim: DatasetLimits | None = None) -> bool:
    """True when ``value`` (and its precision) may be a Figure: finite, |v| ≤ max_abs_value and 0 or
    ≥ min_abs_value; a precision must be positive and within the same bounds. ``lim``: the dataset
    limits, when the caller has looked them up already."""
    lim = lim or _limits()
    top, lo = lim.max_abs_value, float(getattr(lim, "min_abs_value", 0.0))
    if not math.isfinite(value) or abs(value) > top or (value and abs(value) < lo):
        return False
    # a precision is positive, so "0 or ≥ min_abs_value" is "≥ min_abs_value"
    return precision is None or (math.isfinite(precision) and 0 < precision <= top and precision >= lo)


def sane_quantity(q: Quantity, lim: DatasetLimits | None = None) -> bool:
    """A parsed number whose canonical value and precision can be a Figure (``sane``). Every number
    of a report is asked once, so this multiplies by the unit's factor itself rather than through
    the two ``Quantity`` properties (same products)."""
    try:
        factor = q.factor
        return sane(float(q.value * factor), float(q.precision * factor), lim)
    except (OverflowError, ValueError, ArithmeticError):  # a Decimal beyond any float
        return False


@dataclass
class _Bucket(Generic[T]):
    """Intervals of about one width (``width`` is the largest), sorted by lower end."""

    width: float
    los: list[float] = field(default_factory=list)
    entries: list[tuple[float, float, int, T]] = field(default_factory=list)  # (lo, hi, seq, value)


class IntervalIndex(Generic[T]):
    """Values filed under printed intervals; ``meeting(iv)`` yields, in the order they were added,
    the values whose interval meets ``iv`` (``Interval.meets``).

    ``key`` (optional, per ``add``) deduplicates: of several values with the same interval and key
    only the first is kept, which is all an "any"/"first" question needs and keeps a report that
    states one number 10,000 times from making every query long."""

    def __init__(self) -> None:
        self._buckets: dict[float, _Bucket[T]] = {}
        self._by_width: dict[float, _Bucket[T]] = {}  # exact width -> its bucket (formatting is slow)
        self._seen: set[tuple[float, float, Hashable]] = set()
        self._seq = 0

    def add(self, iv: Interval, value: T, key: Hashable = None) -> None:
        seen = (iv.lo, iv.hi, key)
        if seen in self._seen:
            return
        self._seen.add(seen)
        width = iv.hi - iv.lo
        b = self._by_width.get(width)
        if b is None:
            # one bucket per printed precision: v ± p/2 gives widths that differ in the last bits
            name = float(f"{width:.6g}")
            b = self._buckets.get(name)
            if b is None:
                b = self._buckets[name] = _Bucket(width)
            self._by_width[width] = b
        if width > b.width:
            b.width = width
        i = bisect.bisect_right(b.los, iv.lo)
        b.los.insert(i, iv.lo)
        b.entries.insert(i, (iv.lo, iv.hi, self._seq, value))
        self._seq += 1

    def meeting(self, iv: Interval) -> list[T]:
        """The values whose interval meets ``iv``, in the order they were added."""
        return [v for _seq, v in sorted(self._candidates(iv), key=lambda x: x[0])]

    def any_meeting(self, iv: Interval) -> bool:
        return next(self._candidates(iv), None) is not None

    def _candidates(self, iv: Interval) -> Iterator[tuple[int, T]]:
        m = max(1.0, abs(iv.lo), abs(iv.hi))
        for b in self._buckets.values():
            # meets() allows 1e-9 × the largest magnitude involved; any interval that meets ``iv``
            # has its lower end within this window (see the module docstring), so the window is
            # only a pre-filter and meets() decides.
            slack = 1e-8 * (1.0 + 2 * m + 3 * b.width)
            i = bisect.bisect_left(b.los, iv.lo - b.width - slack)
            j = bisect.bisect_right(b.los, iv.hi + slack)
            for lo, hi, seq, value in b.entries[i:j]:
                if Interval(lo, hi).meets(iv):
                    yield seq, value
