"""Readers: .txt encodings, .docx order and tables, .pdf via LibreOffice; errors name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sifund.core.errors import SifundError
from sifund.review.readers import read_document

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
    rules = dict(normalize.rules())
    rules["limits"] = {"max_bytes": 100}
    monkeypatch.setattr("sifund.review.readers.rules", lambda: rules)
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
