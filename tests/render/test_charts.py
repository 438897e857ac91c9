"""The charts as drawn (Pillow): what a reviewer checks on the picture, read from the canvas record
of every text, bar and line drawn, and from the PNG's pixels.

Nothing overlaps (fund names, value labels, ticks, legend, titles), every label is inside the
picture, every bar carries its value printed as the text prints it (24357.20, 101.49%, 8.54个月),
bars are proportional to their values, two-series charts have a legend, no glyph is missing (no
tofu), and the PNG is 15 cm wide at 2× a screen's resolution.
"""

from __future__ import annotations

import io
from itertools import combinations

import pytest
from PIL import Image
from tests.render.conftest import EXAMPLES, evaluate_dataset

from sifund.core.numbers import format_number, format_percent
from sifund.ingest import load_dataset
from sifund.render import charts
from sifund.render.charts import Canvas, Item, Panel, Series, Spec

Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def synthetic():  # type: ignore[no-untyped-def]
    return evaluate_dataset(load_dataset(EXAMPLES / "synthetic-county-2023.yaml"))


def _drawn(ev, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Canvas, bytes]]:  # type: ignore[no-untyped-def]
    """{key: (canvas, png)} of every chart of ``ev``."""
    canvases: list[Canvas] = []
    real = charts._png

    def keep(canvas: Canvas) -> bytes:
        canvases.append(canvas)
        return real(canvas)

    monkeypatch.setattr(charts, "_png", keep)
    built = charts.build_charts(ev)
    assert len(built) == len(canvases)
    return {key: (canvas, png) for (key, _, png), canvas in zip(built, canvases, strict=True)}


def _texts(c: Canvas) -> list[Item]:
    return [i for i in c.items if i.kind == "text" and i.text.strip()]


def _assert_clean(c: Canvas) -> None:
    """No two texts overlap, no text covers a bar, everything is inside the picture, no tofu."""
    texts = _texts(c)
    bars = [i for i in c.items if i.kind == "bar"]
    for a, b in combinations(texts, 2):
        assert not _overlap(a.box, b.box), (a.text, b.text)
    for t in texts:
        assert t.box[0] >= 0 and t.box[1] >= 0 and t.box[2] <= c.width and t.box[3] <= c.height, t.text
        for bar in bars:
            assert not _overlap(t.box, bar.box), (t.text, bar.row, bar.series)
    assert c.missing == set()


def test_nothing_overlaps_in_any_example(example, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _, ev = example
    drawn = _drawn(ev, monkeypatch)
    assert drawn
    for canvas, _ in drawn.values():
        _assert_clean(canvas)


def test_each_bar_carries_its_value_as_the_text_prints_it(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    f = charts.PrintFacts(synthetic)
    funds = f.funds()
    drawn = _drawn(synthetic, monkeypatch)
    income = [f.fig(x, "income_total") for x in funds]
    rates = [f.value(x, "income_completion") for x in funds]
    months = [f.value(x, "payable_months") for x in funds]
    expect = {
        ("income_expenditure", 0, 0): [format_number(v, 2) for v in income],
        ("completion", 0, 0): [format_percent(v) for v in rates],
        ("balance", 1, 0): [format_number(v, 2) + "个月" for v in months],
    }
    for (key, panel, series), labels in expect.items():
        canvas, _ = drawn[key]
        got = [i for i in _texts(canvas) if i.panel == panel and i.series == series]
        assert [i.text for i in sorted(got, key=lambda i: i.row)] == labels, key
        bars = {i.row: i for i in canvas.items if i.kind == "bar" and i.panel == panel and i.series == series}
        for label in got:  # just right of its own bar's end, on its own bar's line
            bar = bars[label.row]
            assert 0 < label.box[0] - bar.box[2] < charts.px_cm(0.25), (key, label.text)
            assert bar.box[1] <= (label.box[1] + label.box[3]) / 2 <= bar.box[3], (key, label.text)
    assert any("%" in i.text and "." in i.text for i in _texts(drawn["completion"][0]))  # 101.98%, not 102


def test_bars_are_proportional_to_their_values(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for key, (canvas, _) in _drawn(synthetic, monkeypatch).items():
        for panel in {i.panel for i in canvas.items if i.kind == "bar"}:
            bars = [i for i in canvas.items if i.kind == "bar" and i.panel == panel and i.value]
            per_unit = [(b.box[2] - b.box[0]) / abs(b.value) for b in bars]  # type: ignore[arg-type]
            assert max(per_unit) - min(per_unit) < 1e-6 * max(per_unit), key


def test_titles_legends_and_axis_titles(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    drawn = _drawn(synthetic, monkeypatch)
    legend = {
        "income_expenditure": ["基金收入", "基金支出"],
        "completion": ["合理区间 90%~110%", "收入完成率", "支出完成率"],
    }
    for key, (canvas, _) in drawn.items():
        texts = [i.text for i in _texts(canvas)]
        assert texts[0] == charts._name(key)  # the chart's name on top
        swatches = [i for i in canvas.items if i.kind == "swatch"]
        assert len(swatches) == len(legend.get(key, []))
        for name in legend.get(key, []):
            assert name in texts, (key, name)
    assert "金额（万元）" in [i.text for i in _texts(drawn["income_expenditure"][0])]
    assert "预算完成率（%）" in [i.text for i in _texts(drawn["completion"][0])]
    balance = [i.text for i in _texts(drawn["balance"][0])]
    assert "年末滚存结余（万元）" in balance and "累计结余可支付月数（个月）" in balance
    band = [i for i in drawn["completion"][0].items if i.kind == "band"]
    assert len(band) == 1


def test_png_is_print_width_at_twice_screen_resolution(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for key, (canvas, png) in _drawn(synthetic, monkeypatch).items():
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG"
        assert image.size == (canvas.width, canvas.height) == (round(15 / 2.54 * 192), canvas.height)
        assert image.info["dpi"] == pytest.approx((192, 192), abs=0.5)
        assert canvas.height / 192 * 2.54 <= 9.01, key  # never a half page


def test_the_pixels_show_the_bars_in_their_colours(synthetic, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for key, (canvas, png) in _drawn(synthetic, monkeypatch).items():
        image = Image.open(io.BytesIO(png)).convert("RGB")
        for bar in (i for i in canvas.items if i.kind == "bar" and i.box[2] - i.box[0] > 4):
            x, y = (bar.box[0] + bar.box[2]) / 2, (bar.box[1] + bar.box[3]) / 2
            color = charts.COLORS[bar.panel if key == "balance" else bar.series]
            want = Image.new("RGB", (1, 1), color).getpixel((0, 0))
            got = image.getpixel((int(x), int(y)))
            assert got == want, (key, bar.row, got, want)
        corner = image.getpixel((2, 2))
        assert corner == (255, 255, 255)


def test_long_names_negative_missing_and_many_funds_stay_readable() -> None:
    names = [
        "企业职工基本养老保险基金",
        "机关事业单位基本养老保险基金",
        "城乡居民基本养老保险基金",
        "职工基本医疗保险基金（含生育保险）",
        "一个非常非常非常非常非常非常长的自定义基金名称基金",
        "生育",
        "工伤",
        "失业",
        "职业年金",
    ]
    income = [123456.78, -2345.5, None, 0.0, 8.1, 99999.99, 5.0, 12345.0, 777.0]
    spend = [100000.0, 3000.0, 5000.0, None, 0.004, 88888.0, 4.0, -12000.0, 700.0]
    series = [Series("基金收入", income, charts.COLORS[0]), Series("基金支出", spend, charts.COLORS[1])]
    panel = Panel(series, charts._money, charts._plain, axis_title="金额（万元）")
    spec = Spec("各项基金收入与支出", names, [panel], [(s.name, s.color) for s in series])
    canvas = charts.draw(spec, charts.height_cm(len(names)))
    _assert_clean(canvas)
    name_lines = [i for i in _texts(canvas) if i.row >= 0 and i.series < 0]
    assert max(i.box[2] - i.box[0] for i in name_lines) <= canvas.width * charts.MAX_LABEL_SHARE + 1
    per_row = {r: [i.text for i in name_lines if i.row == r] for r in range(len(names))}
    assert per_row[0] == ["企业职工基本", "养老保险基金"]  # balanced lines, not "…保险基" + "金"
    assert "".join(per_row[3]) == names[3]
    assert per_row[4][-1].endswith("…") and len(per_row[4]) <= 2  # cut, never over the next row
    bars = {(i.row, i.series): i for i in canvas.items if i.kind == "bar"}
    labels = {(i.row, i.series): i for i in _texts(canvas) if i.series >= 0}
    assert (2, 0) not in bars and (2, 0) not in labels  # a missing figure draws nothing, not a 0
    assert labels[(3, 0)].text == "0.00" and labels[(4, 1)].text == "0.00"
    for key in ((1, 0), (7, 1)):  # negative: the bar goes left of zero, its label left of the bar
        assert labels[key].text.startswith("-")
        assert labels[key].box[2] < bars[key].box[0]
        assert bars[key].box[2] == pytest.approx(bars[(0, 0)].box[0])  # both start at zero


def test_a_missing_glyph_is_found_and_warned() -> None:
    f = charts.font(charts.FONT)
    assert charts.missing_glyphs(f, "基金收入 103.96%（万元）") == set()
    assert charts.missing_glyphs(f, "基金\U000e0100\ue000") == {"\U000e0100", "\ue000"}
    panel = Panel([Series("x", [1.0], charts.COLORS[0])], charts._money, charts._plain)
    spec = Spec("基金\ue000", ["工伤"], [panel])
    with pytest.warns(UserWarning, match="缺字"):
        charts.draw(spec, charts.height_cm(1))
