"""The data behind the dashboard (pages and API alike): one row per region-year over a user's area.

Which submission stands for a region-year: the newest one (highest id) — a later upload is a new
version of that year's report. Rows come from the columns stored on each submission (score, grade,
completion, months, risk counts), so the grid of a province × 10 years is one indexed query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from sifund.web import scope
from sifund.web.models import Submission


def latest(a: scope.Actor, year: int | None = None):  # -> QuerySet[Submission]
    """The newest submission of every region-year ``a`` sees (optionally of one year)."""
    qs = scope.submissions(a)
    if year is not None:
        qs = qs.filter(year=year)
    ids = qs.values("region_id", "year").annotate(last=Max("id")).values("last")
    return Submission.objects.filter(id__in=ids).select_related("region")


def grid_rows(a: scope.Actor, year: int | None = None) -> list[dict[str, Any]]:
    """web.md's dashboard rows: region, year, status, score, grade, expenditure_completion,
    payable_months, risks {high, medium, low} (plus id and level)."""
    out = []
    for s in latest(a, year).order_by("region__path", "year"):
        out.append(
            {
                "id": s.pk,
                "region": s.region.name,
                "level": s.region.level,
                "year": s.year,
                "status": s.status,
                "score": s.score,
                "grade": s.grade,
                "expenditure_completion": s.expenditure_completion,
                "payable_months": s.payable_months,
                "risks": {"high": s.risk_high, "medium": s.risk_medium, "low": s.risk_low},
            }
        )
    return out
