"""The HTML report: one self-contained page (Jinja2 template, inline CSS, charts as data: URIs).

Same blocks as the DOCX and the TXT; the template lives in sifund/templates/report.html.j2.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sifund import __version__
from sifund.engine.results import Evaluation
from sifund.render.blocks import Block, Chart, Cover, Heading, Para, Table
from sifund.render.safe import xml_text
from sifund.render.wording import load


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("sifund", "templates"),
        autoescape=select_autoescape(["j2", "html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _block(b: Block) -> dict[str, Any]:
    """A block as template data; every text is XML-legal (NUL and C0 controls are not allowed in
    HTML either and would make an XHTML-minded viewer or a later DOCX conversion refuse the page)."""
    x = xml_text
    if isinstance(b, Cover):
        lines = [(x(k), x(v)) for k, v in b.lines]
        return {"type": "cover", "title": x(b.title), "subtitle": x(b.subtitle), "lines": lines}
    if isinstance(b, Heading):
        return {"type": "heading", "level": b.level, "text": x(b.text)}
    if isinstance(b, Para):
        return {"type": "para", "text": x(b.text)}
    if isinstance(b, Chart):
        src = "data:image/png;base64," + base64.b64encode(b.png).decode("ascii")
        return {"type": "chart", "title": x(b.title), "src": src}
    assert isinstance(b, Table)
    rows = [
        [{"text": x(c.display()), "kind": c.kind, "rowspan": c.rowspan, "colspan": c.colspan} for c in row]
        for row in b.grid.rows()
    ]
    return {"type": "table", "rows": rows}


def render_html(blocks: list[Block]) -> str:
    title = xml_text(next((b.title for b in blocks if isinstance(b, Cover)), ""))
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            title=title,
            blocks=[_block(b) for b in blocks],
            font_family=load("fonts")["html"],
            version=__version__,
        )
    )


def html_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    return render_html(blocks).encode("utf-8")
