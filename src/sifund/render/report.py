"""Report assembly and the ``sifund report`` entry point: blocks once, then every format.

``build_blocks`` lays out the outline of the genre (一 … 五) from the Evaluation;
``write_outputs`` renders all requested formats in memory first, then writes the set through
one temporary folder inside OUTDIR and renames it into place only when all files are complete,
so a failure or a signal leaves no half-written or partial set of outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sifund.core.errors import SifundError
from sifund.core.model import Dataset
from sifund.core.structured import no_gc
from sifund.engine.results import Evaluation
from sifund.render import phrases as ph
from sifund.render.blocks import Block, Chart, ChartRef, Cover, Heading, Para, Table
from sifund.render.safe import safe_filename
from sifund.render.selftable import build_grid
from sifund.render.text import blocks_text, text_bytes
from sifund.render.wording import filename, phrase, report, section, title
from sifund.util import OutputSet

FORMATS = ("docx", "xlsx", "html", "txt")
CN_ORDINALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 (enough for the funds of one report)."""
    if n <= 10:
        return CN_ORDINALS[n - 1]
    return "十" + CN_ORDINALS[n - 11] if n < 20 else str(n)


@dataclass
class SignOff(Para):
    """A 落款 line (填报单位/填报人/联系电话/日期). A Para to every writer that does not know it —
    so DOCX, HTML and TXT print it today — and a writer that does can set it flush right without a
    first-line indent, as the sign-off of a Chinese official document is set."""


def _paras(texts: list[str]) -> list[Block]:
    return [Para(t) for t in texts if t]


def _charts_with_reference(ev: Evaluation, drawn: dict[str, Chart], keys: list[str]) -> list[Block]:
    """A sentence that refers to the charts ("…见图2，…见图3。"), then the charts themselves.

    Why: a chart the text never mentions reads as decoration and leaves a reviewer guessing what
    it shows; the numbers come from ``chart_refs`` so the text and the captions always agree."""
    from sifund.render.charts import chart_refs

    present = [k for k in keys if k in drawn]
    if not present:
        return []
    refs = chart_refs(ev)
    what = report()["chart_subjects"]
    parts = [phrase("chart_ref", what=what[k], ref=refs[k]) for k in present]
    return [ChartRef("，".join(parts) + "。"), *(drawn[k] for k in present)]


def build_blocks(ev: Evaluation, charts: bool = True, audit_appendix: bool = False) -> list[Block]:
    """The whole report as blocks, in the outline real reports use."""
    ds = ev.dataset
    f = ph.PrintFacts(ev)
    cover = [(label, str(getattr(ds, field) or "")) for label, field in report()["cover"]]
    drawn: dict[str, Chart] = {}
    if charts:
        from sifund.render.charts import build_charts

        drawn = {key: Chart(key, name, png) for key, name, png in build_charts(ev)}
    blocks: list[Block] = [
        Cover(title(ds.region, ds.year), str(report()["subtitle"]).format(year=ds.year), cover),
        *_paras(ph.opening_paragraphs(f)),
        Heading(section("overview"), 1),
        Heading(section("overview_general"), 2),
        *_paras(ph.overview_paragraphs(f)),
        *_charts_with_reference(ev, drawn, ["income_expenditure"]),
        Heading(section("overview_targets"), 2),
        *_paras(ph.target_paragraphs(f)),
        Heading(section("funds"), 1),
    ]
    funds = f.funds()
    if funds:
        blocks.append(Para(phrase("funds_intro")))
    for n, fund in enumerate(funds, 1):
        blocks.append(Heading(section("fund", n=cn_ordinal(n), fund=ph.fund_name(fund)), 2))
        blocks += _paras(ph.fund_paragraphs(f, fund))
    blocks += _charts_with_reference(ev, drawn, ["completion", "balance"])
    n = ds.narrative
    blocks += [
        Heading(section("implementation"), 1),
        Heading(section("management"), 2),
        *_paras(ph.narrative(n.management)),
        Heading(section("results"), 2),
        *_paras(ph.result_paragraphs(f)),
        Heading(section("reasons"), 2),
        *_paras(ph.reason_paragraphs(f)),
        Heading(section("risks"), 2),
        *_paras(ph.risk_paragraphs(f)),
        Heading(section("problems"), 1),
        Heading(section("problems_list"), 2),
        *_paras(ph.narrative(n.problems)),
        Heading(section("plans"), 2),
        *_paras(ph.narrative(n.plans)),
    ]
    optional = [
        ("application", ph.application_paragraphs(f)),
        ("experience", ph.lines(n.experience)),
        ("other", ph.lines(n.other)),
    ]
    sub = 2  # （一）存在问题, （二）下一步计划; the optional parts number on only when written
    for key, paras in optional:
        if paras:
            sub += 1
            blocks += [Heading(section("sub", n=cn_ordinal(sub), title=section(key)), 2), *_paras(paras)]
    blocks += [SignOff(line) for line in ph.signoff_lines(f)]  # 落款 closes the body; 附表 follow it
    grid = build_grid(ev)
    blocks += [Heading(section("appendix"), 1), Table(grid, title=str(grid.cells[0].value))]
    if audit_appendix and (audit := ph.audit_paragraphs(f)):
        blocks += [Heading(section("audit"), 1), *_paras(audit)]
    return blocks


def render_text(ev: Evaluation, audit_appendix: bool = False) -> str:
    """The report as plain text (same content as the DOCX, without the charts)."""
    return blocks_text(build_blocks(ev, charts=False, audit_appendix=audit_appendix))


def output_names(ds: Dataset) -> dict[str, str]:
    """File name per format: the report (.docx/.html/.txt) and the 自评表 (.xlsx).

    Each is one path component of at most NAME_BYTES bytes, suffix included (the region in it
    comes from the dataset, see :func:`sifund.render.safe.safe_filename`).
    """
    rep, tab = filename("report", ds.region, ds.year), filename("table", ds.region, ds.year)
    return {
        fmt: safe_filename(tab if fmt == "xlsx" else rep, f".{fmt}")
        for fmt in ("docx", "html", "txt", "xlsx")
    }


def _renderers() -> dict[str, Callable[[Evaluation, list[Block]], bytes]]:
    """The writer of each format, each importing its library when called: ``-f txt`` never loads
    openpyxl (≈ 0.25 s of start-up) or python-docx, ``-f xlsx`` never loads Jinja2. The TXT
    writer needs no library, so it is imported with this module."""

    def docx(ev: Evaluation, blocks: list[Block]) -> bytes:
        from sifund.render.docx_report import docx_bytes

        return docx_bytes(ev, blocks)

    def xlsx(ev: Evaluation, blocks: list[Block]) -> bytes:
        from sifund.render.xlsx_table import xlsx_bytes

        return xlsx_bytes(ev, blocks)

    def html(ev: Evaluation, blocks: list[Block]) -> bytes:
        from sifund.render.html import html_bytes

        return html_bytes(ev, blocks)

    return {"docx": docx, "xlsx": xlsx, "html": html, "txt": text_bytes}


def write_outputs(
    ds: Dataset, ev: Evaluation, outdir: Path, formats: list[str], audit_appendix: bool = False
) -> list[Path]:
    """Write the requested formats into ``outdir``, all or nothing.

    All formats are rendered in memory first; then the set is written through
    :class:`sifund.util.OutputSet` (a temporary folder inside ``outdir``, renamed into place
    only when every file is complete; names checked to be one component inside ``outdir``;
    existing targets that are not regular files refused).
    """
    wanted = list(dict.fromkeys(x.lower().lstrip(".") for x in formats))
    unknown = [x for x in wanted if x not in FORMATS]
    if unknown:
        raise SifundError(f"未知输出格式 unknown format {', '.join(unknown)}（可选 {'/'.join(FORMATS)}）")
    names = output_names(ds)
    outdir = Path(outdir)
    OutputSet(outdir, [names[x] for x in wanted])  # refuse a bad target before the slow rendering
    charts = any(x in ("docx", "html") for x in wanted)
    payloads = {}
    # The cyclic GC is paused while rendering: loading openpyxl/python-docx and building the
    # documents allocate a few hundred thousand objects, and the collector's full passes over
    # everything already loaded cost 0.1–0.3 s of `sifund report`. A report is bounded (limits),
    # and whatever cycles rendering leaves are collected once the GC is back on.
    with no_gc():
        blocks = build_blocks(ev, charts=charts, audit_appendix=audit_appendix)
        render = _renderers()
        for x in wanted:
            try:
                payloads[x] = render[x](ev, blocks)
            except OSError as e:  # openpyxl's temporary files: name the file that could not be made
                raise OSError(e.errno, e.strerror or str(e), str(outdir / names[x])) from None
    with OutputSet(outdir, [names[x] for x in wanted]) as out:
        for fmt, data in payloads.items():
            out.write(names[fmt], lambda p, data=data: p.write_bytes(data))
    return out.written
