"""A matplotlib font cache written before the CJK fonts were installed must not break charts.

On a machine where matplotlib first ran before ``fonts-noto-cjk`` was installed, its cached font
list has no Chinese font; ``sifund report`` used to fail with "未找到中文字体" until somebody
deleted ``~/.cache/matplotlib`` by hand. Here a cache is made stale on purpose (its CJK entries
removed) and the chart font must still be found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FIND = (
    "from sifund.render.charts import cjk_family; from matplotlib import font_manager as fm;"
    "print(cjk_family()); print(any('CJK' in e.fname for e in fm.fontManager.ttflist))"
)


def _run(code: str, mplconfig: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLCONFIGDIR": str(mplconfig)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_chart_font_found_although_the_cache_predates_the_font(tmp_path: Path) -> None:
    from matplotlib import font_manager

    if not any("CJK" in f for f in font_manager.findSystemFonts()):
        pytest.skip("no CJK font installed on this machine")
    built = _run("import matplotlib.font_manager", tmp_path)  # writes a fresh cache
    assert built.returncode == 0, built.stderr
    (cache,) = tmp_path.glob("fontlist-*.json")
    data = json.loads(cache.read_text("utf-8"))
    data["ttflist"] = [e for e in data["ttflist"] if "CJK" not in e["fname"]]
    cache.write_text(json.dumps(data), "utf-8")
    stale = _run("from matplotlib import font_manager as fm;"
                 "print(any('CJK' in e.fname for e in fm.fontManager.ttflist))", tmp_path)
    assert stale.stdout.split() == ["False"], "the cache was not made stale"

    found = _run(FIND, tmp_path)

    assert found.returncode == 0, found.stderr
    family, has_cjk = found.stdout.split("\n")[:2]
    assert "CJK" in family or family in ("SimHei", "Microsoft YaHei", "WenQuanYi Zen Hei")
    assert has_cjk == "True"
