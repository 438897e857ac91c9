"""Readers: .txt encodings, .docx order and tables, .pdf via LibreOffice; errors name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.review.readers import read_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"  # as in tests/conftest.py
SAMPLE = "一、社会保险基金总体情况\r\n2020年基金总收入43937万元，完成预算的98%。\r\n≥99% 100%\r\n"


def _flat(s: str) -> str:
    return "".join(s.split())


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("utf-16", b"")],
)
def test_txt_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(prefix + SAMPLE.encode(encoding))
    doc = read_document(f)
    assert doc.kind == "txt"
    assert doc.path == str(f)
    assert doc.text == SAMPLE.replace("\r\n", "\n")
    first = ["一、社会保险基金总体情况", "2020年基金总收入43937万元，完成预算的98%。", "≥99% 100%"]
    assert doc.view.split("\n")[:3] == first
    i = doc.view.index("43937")
    s, e = doc.to_text_span(i, i + 5)
    assert doc.text[s:e] == "43937"


def test_txt_lone_cr_becomes_lf(tmp_path: Path) -> None:
    f = tmp_path / "mac.txt"
    f.write_bytes("第一行\r第二行".encode())
    assert read_document(f).text == "第一行\n第二行"


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b" \r\n\t\n", "没有文字"),
        ("bad.txt", b"\x81\x30\xff\xfe\xff" * 3 + b"\x80", "无法识别文本编码"),
        ("bin.txt", bytes(range(0, 32)) * 20, "不是文本文件"),
        ("report.xlsx", b"PK\x03\x04", "不支持的文件类型"),
        ("report", b"abc", "应为 .txt/.docx/.pdf"),
    ],
)
def test_bad_inputs_raise_sifund_error(tmp_path: Path, name: str, content: bytes, needle: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(SifundError) as exc:
        read_document(f)
    assert needle in str(exc.value)
    assert str(f) in str(exc.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SifundError, match="文件不存在"):
        read_document(tmp_path / "nope.txt")


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sifund.review import normalize

    f = tmp_path / "big.txt"
    f.write_text("社会保险" * 100, encoding="utf-8")
    rules = dict(normalize.normalize_rules())
    rules["limits"] = {"max_bytes": 100}
    monkeypatch.setattr("sifund.review.readers.normalize_rules", lambda: rules)
    with pytest.raises(SifundError, match="文件过大"):
        read_document(f)


def test_corpus_txt_offsets(corpus: Path) -> None:
    f = corpus / "korla-2020.txt"
    doc = read_document(f)
    assert doc.text == f.read_text("utf-8")
    i = doc.view.index("财政补贴收入14221万元")
    src = doc.source(i, i + len("财政补贴收入14221万元"))
    assert _flat(src.text) == "财政补贴收入14221万元"
    assert doc.text[src.start : src.end] == src.text


# --------------------------------------------------------------------------- .docx and .pdf

ROWS = [
    ["一级指标", None, "三级指标", "指标值"],  # None: merged into the left cell
    ["产出指标", "数量指标", "保障城乡居民养老保险退休待遇享受人数", "≥9203人"],
    ["产出指标", "质量指标", "各项社会保险待遇发放准确率", "≥99%"],
]
PARAS_BEFORE = [
    "2020年社会保险基金预算总收入43937万元，其中：社会保险费收入29303万元，财政补贴收入14221万元。",
    "预算总支出40673万元，完成预算的97%。",
]


def _font(doc: object) -> None:
    from docx.oxml.ns import qn

    for name in ("Normal", "Heading 1"):
        style = doc.styles[name]  # type: ignore[attr-defined]
        rf = style.element.get_or_add_rPr().get_or_add_rFonts()
        rf.set(qn("w:eastAsia"), "Noto Serif CJK SC")
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(a), None)


def _page_footer(doc: object, before: str, after: str) -> None:
    """A footer with a PAGE field ("- 1 -"), as real reports have; the readers must drop it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = doc.sections[0].footer.paragraphs[0]  # type: ignore[attr-defined]
    p.add_run(before)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    p.add_run(after)


def make_sample_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    _font(d)
    _page_footer(d, "- ", " -")
    d.add_heading("一、社会保险基金收支总体情况", level=1)
    for text in PARAS_BEFORE:
        d.add_paragraph(text)
    table = d.add_table(rows=len(ROWS), cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(0, 1))
    for i, row in enumerate(ROWS):
        for j, v in enumerate(row):
            if v is not None:
                table.cell(i, j).text = v
    inner = table.cell(2, 3).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "实际完成值"
    inner.cell(0, 1).text = "100%"
    d.add_paragraph("第二页的内容：年末滚存结余14590万元。").runs[0].add_break(WD_BREAK.PAGE)
    d.add_heading("二、绩效目标完成情况", level=1)
    d.add_paragraph("各项社会保险待遇享受人员满意度达到90%以上。")
    d.save(str(path))
    return path


def make_corpus_docx(txt: Path, path: Path) -> Path:
    """The corpus text, one paragraph per non-blank line (a report typed into Word)."""
    import docx

    d = docx.Document()
    _font(d)
    _page_footer(d, "", "")
    for line in txt.read_text("utf-8").split("\n"):
        if line.strip():
            d.add_paragraph(line.strip())
    d.save(str(path))
    return path


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Sample (and, when present, corpus) DOCX files and their PDFs from one LibreOffice run."""
    import shutil
    import subprocess

    out = tmp_path_factory.mktemp("docs")
    files = {"sample": make_sample_docx(out / "sample.docx")}
    if (CORPUS / "korla-2020.txt").exists():
        for name in ("korla-2020", "qitai-2019"):
            files[name] = make_corpus_docx(CORPUS / f"{name}.txt", out / f"{name}.docx")
    soffice = shutil.which("soffice")
    if soffice:
        profile = tmp_path_factory.mktemp("lo-profile")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out), *map(str, files.values())],
            check=False, capture_output=True, timeout=180,
        )
    return {**{f"{k}.docx": v for k, v in files.items()},
            **{f"{k}.pdf": v.with_suffix(".pdf") for k, v in files.items() if v.with_suffix(".pdf").exists()}}


def test_docx_order_tables_and_merges(converted: dict[str, Path]) -> None:
    doc = read_document(converted["sample.docx"])
    assert doc.kind == "docx"
    lines = doc.text.split("\n")
    assert lines[0] == "一、社会保险基金收支总体情况"
    assert lines[1:3] == PARAS_BEFORE
    assert lines[3] == "一级指标\t三级指标\t指标值"  # merged cell not repeated
    assert lines[4] == "产出指标\t数量指标\t保障城乡居民养老保险退休待遇享受人数\t≥9203人"
    assert lines[5] == "产出指标\t质量指标\t各项社会保险待遇发放准确率\t≥99%"
    assert lines[6] == "实际完成值\t100%"  # nested table, right after its row
    assert lines[7] == "第二页的内容：年末滚存结余14590万元。"
    assert lines[-1] == "各项社会保险待遇享受人员满意度达到90%以上。"
    assert "- 1 -" not in doc.text  # footers are skipped
    view_lines = doc.view.split("\n")
    assert "产出指标\t数量指标\t保障城乡居民养老保险退休待遇享受人数\t≥9203人" in view_lines


def _need_pdf(converted: dict[str, Path], name: str) -> Path:
    if f"{name}.pdf" not in converted:
        pytest.skip("LibreOffice (soffice) not available or conversion failed")
    return converted[f"{name}.pdf"]


def test_pdf_from_libreoffice(converted: dict[str, Path]) -> None:
    doc = read_document(_need_pdf(converted, "sample"))
    assert doc.kind == "pdf"
    flat = _flat(doc.text)
    for s in (*PARAS_BEFORE, "一、社会保险基金收支总体情况", "年末滚存结余14590万元", "满意度达到90%以上"):
        assert _flat(s) in flat, s
    # page-number footers ("- 1 -", "- 2 -") are gone
    assert "-1-" not in flat and "-2-" not in flat
    assert not any(ln.strip() in {"- 1 -", "- 2 -", "1", "2"} for ln in doc.text.split("\n"))
    # table rows stay one line each, cells in order
    rows = [ln for ln in doc.view.split("\n") if "≥9203人" in ln]
    assert len(rows) == 1
    cells = rows[0].split("\t") if "\t" in rows[0] else rows[0].split()
    assert cells == ["产出指标", "数量指标", "保障城乡居民养老保险退休待遇享受人数", "≥9203人"]
    assert doc.view.split("\n")[0] == "一、社会保险基金收支总体情况"


def test_docx_and_pdf_tables_index_the_tab_lines(converted: dict[str, Path]) -> None:
    """The sample's tables as grids (review/grid.py) over the unchanged text: the merged 一级指标
    spans two columns, so 三级指标 stands in column 2 although it is the TAB line's second cell; the
    nested table is a grid of its own in the DOCX (in the PDF its text stays in the outer cell)."""
    doc = read_document(converted["sample.docx"])
    g = doc.tables[0]
    assert g.shape == (3, 4)
    assert [(c.col, c.colspan, c.text) for c in g.row_cells(0)] == [(0, 2, "一级指标"), (2, 1, "三级指标"),
                                                                    (3, 1, "指标值")]
    assert all(doc.text[c.start : c.end] == c.text for t in doc.tables for c in t.cells)
    assert doc.tables[1].parent == (0, 2, 3) and doc.tables[1].texts() == [["实际完成值", "100%"]]
    pdf = read_document(_need_pdf(converted, "sample"))
    assert [(c.col, c.colspan, c.text) for c in pdf.tables[0].row_cells(0)] == [
        (0, 2, "一级指标"), (2, 1, "三级指标"), (3, 1, "指标值")]
    assert pdf.tables[0].texts()[1] == ROWS[1]
    assert all(pdf.text[c.start : c.end] == c.text for c in pdf.tables[0].cells)


@pytest.mark.parametrize("name", ["korla-2020", "qitai-2019"])
def test_corpus_same_view_from_txt_docx_pdf(converted: dict[str, Path], corpus: Path, name: str) -> None:
    want = read_document(corpus / f"{name}.txt")
    for kind in ("docx", "pdf"):
        if kind == "pdf":
            _need_pdf(converted, name)
        got = read_document(converted[f"{name}.{kind}"])
        assert _flat(got.view) == _flat(want.view), kind
    pdf = read_document(converted[f"{name}.pdf"])
    if name == "korla-2020":
        for s in ("财政补贴收入14221万元", "增加2269万元", "预算总收入43937万元"):
            assert s in pdf.view, s


# --------------------------------------------------------------------------- PDF repairs


def test_undouble_fake_bold() -> None:
    from sifund.review.readers import undouble

    assert undouble("社社会会保保险险基基金金") == "社会保险基金"
    assert undouble("一一、、总总体体情情况况") == "一、总体情况"
    assert undouble("2020年社社会会保保险险基基金金收支情况") == "2020年社会保险基金收支情况"
    # genuine doubles survive
    assert undouble("人人参保，88万元，1100人") == "人人参保，88万元，1100人"
    assert undouble("人人") == "人人"
    assert undouble("1100") == "1100"
    assert undouble("……") == "……"


def test_page_number_lines_dropped_only_at_page_edges() -> None:
    from sifund.review.readers import repair_pdf_lines

    page = ["- 3 -", "基金收入43937万元。", "3", "支出40673万元。", "第3页 共10页"]
    assert repair_pdf_lines(page, 2) == ["基金收入43937万元。", "3", "支出40673万元。"]
    assert repair_pdf_lines(["正文", "", "12", ""], 11) == ["正文", "", ""]
    # a bare number far from the page's own number is content, not a page number
    assert repair_pdf_lines(["正文", "40673"], 0) == ["正文", "40673"]
    assert repair_pdf_lines(["正文", "96"], 3) == ["正文", "96"]


def test_spaced_out_cjk_is_closed_up() -> None:
    from sifund.review.readers import repair_pdf_lines

    assert repair_pdf_lines(["社 会 保 险 基 金 支 出 43937 万 元"]) == ["社会保险基金支出 43937 万元"]
    # a table row with a few column gaps keeps them
    row = "预算单位 库尔勒市社会保险管理局 项目名称 库尔勒市社会保险基金支出"
    assert repair_pdf_lines([row]) == [row]


def test_unsupported_and_corrupt_office_files(tmp_path: Path) -> None:
    bad = tmp_path / "r.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SifundError, match="无法读取 Word 文件"):
        read_document(bad)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(SifundError, match="PDF"):
        read_document(pdf)
