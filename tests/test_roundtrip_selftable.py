"""The 自评表 round trip: every row sifund prints comes back from ``sifund extract`` exactly.

For every example and a seven-fund dataset, the DOCX, the TXT (and, with LibreOffice, the PDF
converted from the DOCX) are read back; each indicator row — 一级/二级/三级指标, 指标值, 实际完成值 and
its 基金 — must equal the row of the printed table, in order, and the audit of the file must find
nothing at warning level or above.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from pdfrender import render_pdf
from sifund.core.model import Dataset
from sifund.engine.config import load_config
from sifund.engine.evaluation import evaluate
from sifund.engine.results import Evaluation
from sifund.ingest import load_dataset
from sifund.render.phrases import PrintFacts, indicator_actual
from sifund.render.report import write_outputs
from sifund.render.selftable import grouped_indicators
from sifund.review.audit import audit_report
from sifund.review.extract import extract_file

Row = tuple[str, str, str, str, str, str | None]
SEVEN = ["enterprise_pension", "institution_pension", "resident_pension", "employee_medical",
         "resident_medical", "work_injury", "unemployment"]  # fmt: skip


def seven_funds() -> Dataset:
    """examples/seven-funds-2023.yaml, or when absent one built from the synthetic county: each of
    its first fund's figures and indicators copied to the seven funds (so names repeat per fund)."""
    path = EXAMPLES / "seven-funds-2023.yaml"
    if path.exists():
        return load_dataset(path)
    base = load_dataset(EXAMPLES / "synthetic-county-2023.yaml")
    data = base.model_dump(by_alias=True, exclude_none=True)
    src = "institution_pension"
    figs = [f for f in data["figures"] if f["fund"] not in ("all",)]
    data["figures"] = [dict(f, fund=code) for code in SEVEN for f in figs if f["fund"] == src]
    inds = [i for i in data["indicators"] if i.get("fund") == src]
    data["indicators"] = [dict(copy.deepcopy(i), fund=code) for code in SEVEN for i in inds]
    return Dataset.model_validate(data)


def datasets() -> list[tuple[str, Dataset]]:
    out = [(p.stem, load_dataset(p)) for p in sorted(EXAMPLES.glob("*.yaml"))]
    if not any(len(ds.funds()) >= 8 for _, ds in out):  # seven funds plus `all`
        out.append(("seven-funds", seven_funds()))
    return out


def printed_rows(ev: Evaluation) -> list[Row]:
    """The indicator rows as the 自评表 prints them (grouped by fund; the actual as shown)."""
    f = PrintFacts(ev)
    return [
        (r.indicator.level1, r.indicator.level2, r.indicator.name, r.indicator.target,
         indicator_actual(r, f), r.indicator.fund)
        for r in grouped_indicators(ev)
    ]  # fmt: skip


def read_rows(path: Path) -> tuple[list[Row], list[str]]:
    result = extract_file(path)
    rows = [(i.level1, i.level2, i.name, i.target, i.actual, i.fund) for i in result.dataset.indicators]
    serious = [f"{f.code}: {f.message}" for f in audit_report(result) if f.severity in ("warning", "error")]
    return rows, serious


@pytest.fixture(scope="module", params=datasets(), ids=lambda p: p[0])
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    _, ds = request.param
    ev = evaluate(ds, load_config(None))
    paths = write_outputs(ds, ev, tmp_path_factory.mktemp("rt"), ["docx", "txt"])
    return ev, {p.suffix[1:]: p for p in paths}


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_every_selftable_row_comes_back(written, fmt: str) -> None:  # type: ignore[no-untyped-def]
    ev, paths = written
    rows, _ = read_rows(paths[fmt])
    assert rows == printed_rows(ev)


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_audit_of_the_generated_report_is_clean(written, fmt: str) -> None:  # type: ignore[no-untyped-def]
    _, paths = written
    _, serious = read_rows(paths[fmt])
    assert not serious, serious


def test_seven_funds_have_a_fund_per_row() -> None:
    ds = seven_funds()
    ev = evaluate(ds, load_config(None))
    rows = printed_rows(ev)
    assert len({r[5] for r in rows if r[5]}) >= 7
    names = [r[2] for r in rows]
    assert len(names) > len(set(names)) or len({(r[2], r[5]) for r in rows}) == len(rows)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice absent")
@pytest.mark.parametrize("which", ["seven-funds", "synthetic-county-2023"])
def test_pdf_of_the_report_gives_every_row(tmp_path: Path, which: str) -> None:
    """Also guards the LibreOffice layout: a table it breaks badly loses rows in the PDF."""
    ds = seven_funds() if which == "seven-funds" else load_dataset(EXAMPLES / f"{which}.yaml")
    ev = evaluate(ds, load_config(None))
    (docx,) = write_outputs(ds, ev, tmp_path, ["docx"])
    rows, _ = read_rows(render_pdf(docx, tmp_path / "pdf"))
    assert rows == printed_rows(ev)
