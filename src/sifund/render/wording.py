"""Loaders for the render data files (data/render/*.yaml): wording, table labels, fonts, template layout.

Kept apart so every renderer reads the same words from one place, and a wording change is a
YAML edit, never a code change.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sifund.core.packaged import data_yaml


@cache
def load(name: str) -> dict[str, Any]:
    """One YAML file under ``sifund/data/render`` (``report``, ``table``, ``fonts``, ``template``)."""
    return data_yaml("render", f"{name}.yaml")


def report() -> dict[str, Any]:
    return load("report")


def phrase(key: str, **values: Any) -> str:
    """A fixed phrase from report.yaml with its ``{placeholders}`` filled."""
    return str(report()["phrases"][key]).format(**values)


def phrases(key: str) -> Any:
    """A raw entry of report.yaml's ``phrases`` (a list of sentence shapes, a mapping of words), for
    callers that choose among several wordings rather than fill one."""
    return report()["phrases"][key]


def section(key: str, **values: Any) -> str:
    return str(report()["sections"][key]).format(**values)


def title(region: str, year: int) -> str:
    return str(report()["title"]).format(region=region, year=year)


def filename(kind: str, region: str, year: int) -> str:
    """Base file name (no suffix) of the report or the 自评表: always one path component.

    The region comes from the dataset, so it is cleaned first (no ``/``, ``..``, controls, …;
    at most 80 characters) and the whole name again, since a hostile region such as ``../../x``
    must never choose the folder a report is written to.
    """
    from sifund.render.safe import name_part, safe_filename

    return safe_filename(str(report()["files"][kind]).format(region=name_part(region), year=year))
