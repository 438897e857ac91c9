"""Reading and evaluating a dataset file before anything is stored — no database, no Django, so
``sifund load --jobs N`` can run it in worker processes and the writing transaction stays short."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sifund import api
from sifund.core.errors import SifundError

DATASET_SUFFIXES = (".xlsx", ".xlsm", ".yaml", ".yml", ".json")
REPORT_SUFFIXES = (".txt", ".docx", ".pdf")


def load_path(path: Path, name: str = "") -> api.Loaded:
    """A dataset from a template/YAML/JSON file, or extracted from a report, with its check
    warnings named after ``name`` (the file as the user knows it). SifundError for a bad file."""
    name = name or str(path)
    if path.suffix.lower() in REPORT_SUFFIXES:
        result = api.extract(path)
        if api.nothing_recognised(result):  # a submission needs figures; a review does not
            raise SifundError(api.NOTHING_RECOGNISED, file=name)
        ds = result.dataset
        return api.Loaded(ds, api.check(ds, file=name), name)
    loaded = api.load(path)
    for w in loaded.warnings:
        if w.file == str(path):
            w.file = name
    return api.Loaded(loaded.dataset, loaded.warnings, name)


def evaluation_of(loaded: api.Loaded) -> tuple[dict[str, Any], dict[str, Any]]:
    """(stored evaluation JSON, dashboard summary) of a dataset: the same evaluation as
    ``sifund evaluate``, plus the check warnings with their places."""
    ev = api.evaluate(loaded.dataset, None, loaded.warnings)
    obj = api.evaluation_json(ev)
    obj["warnings"] = [w.model_dump(mode="json", exclude_none=True) for w in loaded.warnings]
    return obj, api.summary(ev)


@dataclass
class Ready:
    """A dataset made ready to store, computed outside any transaction (so the transaction that
    writes it stays short): its interchange form, evaluation and dashboard summary."""

    dataset: dict[str, Any]
    year: int
    evaluation: dict[str, Any]
    summary: dict[str, Any]
    warnings: int


def ready(loaded: api.Loaded) -> Ready:
    obj, summary = evaluation_of(loaded)
    return Ready(loaded.dataset.to_interchange(), loaded.dataset.year, obj, summary, len(loaded.warnings))
