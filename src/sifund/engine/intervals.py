"""Interval arithmetic over printed precision (Beancount-style tolerance from the digits printed).

A stated figure ``v`` printed to precision ``p`` stands for [v − p/2, v + p/2]. A derived
figure is consistent when its stated interval meets the interval computed from its inputs'
intervals; only disagreement beyond printed precision is a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

EPS = 1e-9


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    @classmethod
    def point(cls, v: float) -> Interval:
        return cls(v, v)

    @classmethod
    def printed(cls, value: float, precision: float | None) -> Interval:
        """The values that print as ``value`` at ``precision`` (None: exact)."""
        if not precision:
            return cls(value, value)
        h = precision / 2
        return cls(value - h, value + h)

    def __add__(self, o: Interval) -> Interval:
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Interval) -> Interval:
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Interval | float) -> Interval:
        if not isinstance(o, Interval):
            o = Interval.point(float(o))
        c = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return Interval(min(c), max(c))

    def __truediv__(self, o: Interval | float) -> Interval:
        if not isinstance(o, Interval):
            o = Interval.point(float(o))
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError("divisor interval contains zero")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def meets(self, o: Interval, eps: float = EPS) -> bool:
        """True when the two intervals overlap (with a float-noise allowance)."""
        scale = max(1.0, abs(self.lo), abs(self.hi), abs(o.lo), abs(o.hi))
        return self.lo <= o.hi + eps * scale and o.lo <= self.hi + eps * scale

    def contains(self, v: float, eps: float = EPS) -> bool:
        return self.meets(Interval.point(v), eps)

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def gap(self, o: Interval) -> float:
        """Distance between the intervals (0 when they meet)."""
        return max(0.0, o.lo - self.hi, self.lo - o.hi)

    def widen(self, by: float) -> Interval:
        return Interval(self.lo - by, self.hi + by)


def rate(num: Interval, den: Interval) -> Interval:
    """num / den × 100, in percent."""
    return num / den * 100.0


def sum_intervals(parts: list[Interval]) -> Interval:
    out = Interval.point(0.0)
    for p in parts:
        out = out + p
    return out
