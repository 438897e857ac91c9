"""The plain-text report: the same blocks as the DOCX, one paragraph per line.

It is what ``sifund extract`` must read back exactly, so it carries the same sentences; the
自评表 is flattened one row per line with tab-separated cells, as real reports' text dumps are.
A leaf like html.py: it writes given blocks; ``render.report.render_text`` builds them first.
"""

from __future__ import annotations

from sifund.engine.results import Evaluation
from sifund.render.blocks import Block, Chart, ChartRef, Cover, Grid, Heading, Para, Table


def grid_lines(grid: Grid) -> list[str]:
    return ["\t".join(c.display() for c in row) for row in grid.rows()]


def blocks_text(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Cover):
            lines += [b.title, b.subtitle, ""] + [f"{k}：{v}" for k, v in b.lines]
        elif isinstance(b, Chart | ChartRef):
            continue
        elif isinstance(b, Heading | Para):
            lines.append(b.text)
        elif isinstance(b, Table):
            lines += grid_lines(b.grid)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def text_bytes(ev: Evaluation, blocks: list[Block]) -> bytes:
    return blocks_text(blocks).encode("utf-8")
