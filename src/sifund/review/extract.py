"""``sifund extract``: a report file → its figures and 自评表 indicators, each with its source.

Data flows one way: reader (Document: text + joined view) → clauses (figures) and indicators (the
自评表) → a core Dataset whose Sources are offsets into ``text``. Figures with no fund or item
that can be told are listed under ``unresolved`` instead of being guessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from sifund.core import model
from sifund.core.errors import Problem, SifundError
from sifund.core.limits import limits
from sifund.core.model import Dataset
from sifund.review.clauses import Parsed, parse_clauses
from sifund.review.document import Document
from sifund.review.header import Header, read_header
from sifund.review.indicators import parse_indicators
from sifund.review.normalize import build_view


@dataclass
class ExtractResult:
    text: str  # the normalised text; every Source offset points into it
    document: Document
    dataset: Dataset
    header: Header
    parsed: Parsed = field(repr=False, default_factory=Parsed)

    @property
    def unresolved(self) -> list[dict]:
        return self.parsed.unresolved


def extract_file(path: str | Path) -> ExtractResult:
    """Read and extract one report (.txt/.docx/.pdf). Raises SifundError for unreadable input."""
    from sifund.review.readers import read_document

    return extract_document(read_document(path))


def check_text_length(text: str, path: str) -> None:
    """Refuse a normalised text longer than ``limits().text.max_chars``: the view, its offset map and
    the figures of a longer one would take memory out of proportion to any real report (a few
    hundred KB), whatever reader produced it."""
    cap = limits().text.max_chars
    if len(text) > cap:
        msg = (f"报告文本过长（{len(text):,} 个字符，上限 {cap:,}） "
               f"(report text too long: {len(text):,} characters, limit {cap:,})")
        raise SifundError(Problem(path, "", msg))


def extract_text(text: str, path: str = "<text>") -> ExtractResult:
    """Extract from text already in memory (tests, round trips)."""
    check_text_length(text, path)
    view, view_map = build_view(text)
    return extract_document(Document(path=path, kind="txt", text=text, view=view, view_map=view_map))


@contextmanager
def _dataset_limits() -> Iterator[None]:
    """The dataset limits held for the whole extraction, as ``Dataset`` validation holds them: each
    Figure and Source field otherwise looks them up again (``limits()`` reads the environment),
    which was a third of the time of a report with 50,000 figures."""
    active = getattr(model, "_ACTIVE", None)
    token = active.set(limits().dataset) if active is not None else None
    try:
        yield
    finally:
        if active is not None and token is not None:
            active.reset(token)


def extract_document(doc: Document) -> ExtractResult:
    check_text_length(doc.text, doc.path)
    header = read_header(doc.view)
    if header.year is None:
        raise SifundError(Problem(doc.path, "", "未能识别报告年度：标题中应有“（20XX年度）”或正文中有"
                                                "“20XX年” (could not tell the year of the report)"))
    try:
        with _dataset_limits():
            parsed = parse_clauses(doc)
            indicators = parse_indicators(doc, parsed.table_start)
    except ValidationError as e:
        # the parsers only build figures the model accepts (lookup.sane); should one slip through
        # anyway, the user gets one line naming the file, not a traceback
        raise SifundError(Problem(doc.path, "", f"报告内容无法构成数据集：{_first_error(e)}")) from None
    try:
        ds = Dataset(region=header.region, region_level=header.region_level, year=header.year,
                     figures=parsed.figures, indicators=indicators, unresolved=parsed.unresolved)
    except ValueError as e:  # pydantic: year out of range and the like
        raise SifundError(Problem(doc.path, "", f"报告内容无法构成数据集：{e}")) from None
    return ExtractResult(text=doc.text, document=doc, dataset=ds, header=header, parsed=parsed)


def _first_error(e: ValidationError) -> str:
    errs = e.errors()
    if not errs:
        return str(e)
    err = errs[0]
    return f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
