"""The chart font: the SC face of a CJK font found on a fresh machine, or one clear error.

Charts are drawn with Pillow from a font *file*; ``NotoSansCJK-Regular.ttc`` (Debian's
fonts-noto-cjk) holds JP, KR, SC, TC … faces and only SC draws the simplified forms. The font is
looked for at the distributions' paths, then through fontconfig, then in the font folders; with
none, charts fail with "未找到中文字体" instead of drawing boxes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import ImageFont
from tests.render.conftest import EXAMPLES, evaluate_dataset

from sifund.core.errors import SifundError
from sifund.ingest import load_dataset
from sifund.render import charts, fonts

FAMILY = "Noto Sans CJK SC"


@pytest.fixture(scope="module")
def installed() -> fonts.Face:
    face = fonts.find_face([FAMILY])
    if face is None:
        pytest.skip("fonts-noto-cjk is not installed on this machine")
    return face


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """The chart font is looked up once per process: forget it around a test that hides fonts."""
    charts.cjk_face.cache_clear()
    charts.font.cache_clear()
    yield
    charts.cjk_face.cache_clear()
    charts.font.cache_clear()


def _no_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_fc_list", lambda family, bold: iter(()))


def test_the_sc_face_of_the_collection(installed: fonts.Face) -> None:
    name, style = ImageFont.truetype(installed.path, 12, index=installed.index).getname()
    assert (name, style) == (FAMILY, "Regular")
    bold = fonts.find_face([FAMILY], bold=True)
    if bold is not None:
        assert ImageFont.truetype(bold.path, 12, index=bold.index).getname() == (FAMILY, "Bold")


def test_a_face_is_taken_by_its_own_name(installed: fonts.Face) -> None:
    assert fonts.face_index(installed.path, FAMILY) == installed.index
    assert fonts.face_index(installed.path, "Noto Sans CJK XX") is None
    assert fonts.face_index(installed.path, FAMILY, bold=True) is None  # the regular file has no bold


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig's fc-list is not installed")
def test_found_through_fontconfig_at_an_unknown_path(
    installed: fonts.Face, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "KNOWN_FILES", {})
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    face = fonts.find_face(["No Such Family", FAMILY])
    assert face is not None and face.family == FAMILY
    assert ImageFont.truetype(face.path, 12, index=face.index).getname()[0] == FAMILY


def test_found_in_a_font_folder_without_fontconfig(
    installed: fonts.Face, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "NotoSansCJK-Regular.ttc").write_bytes(b"not a font")  # skipped, not fatal
    (tmp_path / "noto").mkdir()
    (tmp_path / "noto" / "NotoSansCJK-Regular.ttc").symlink_to(installed.path)
    monkeypatch.setattr(fonts, "KNOWN_FILES", {})
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path),))
    _no_fontconfig(monkeypatch)
    face = fonts.find_face([FAMILY])
    assert face == fonts.Face(str(tmp_path / "noto" / "NotoSansCJK-Regular.ttc"), installed.index, FAMILY)


def test_no_cjk_font_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_caches: None
) -> None:
    monkeypatch.setattr(fonts, "KNOWN_FILES", {})
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path),))
    _no_fontconfig(monkeypatch)
    ev = evaluate_dataset(load_dataset(EXAMPLES / "synthetic-county-2023.yaml"))
    with pytest.raises(SifundError, match=r"未找到中文字体.*fonts-noto-cjk"):
        charts.build_charts(ev)
    assert charts.chart_refs(ev)  # which charts exist is still known, without a font


def test_a_family_list_is_tried_in_order(installed: fonts.Face) -> None:
    assert fonts.find_face(["No Such Family"]) is None
    face = fonts.find_face(["No Such Family", FAMILY, "WenQuanYi Zen Hei"])
    assert face is not None and face.family == FAMILY
