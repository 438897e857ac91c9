"""In a real headless Chromium: a reviewer uploads a report, clicks a figure in the text and reads in
the figure panel how it was read (「读作」: the rule, and the heading its fund came from). The real
``sifund serve`` on a data folder made with the CLI, Debian's /usr/bin/chromium through Playwright
(see tests/web/e2e/live.py); skipped when either is absent."""

from __future__ import annotations

import re

import pytest

from .e2e.live import CHROMIUM, Server, chromium, cli, logged_in_page
from .test_review_explain import REPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
]
pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")

PASSWORD = "Correct-Horse-7"
TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _uploads():
    """Overrides tests/web/conftest.py's: the server here is a subprocess with its own settings."""


def test_clicking_a_figure_shows_how_it_was_read(tmp_path):
    data = tmp_path / "data"
    cli("regions", "add", "示例省", "--level", "province", data=data)
    server = Server(data).start()
    cli("users", "add", "rev", "--role", "reviewer", "--region", "示例省", data=data, stdin=PASSWORD + "\n")
    report = tmp_path / "示例县2023年自评报告.txt"
    report.write_text(REPORT, encoding="utf-8")

    with server as base, chromium() as browser:
        page = logged_in_page(browser, base, "rev", PASSWORD, TIMEOUT_MS)
        page.goto(base + "/reviews/")
        page.locator("input[type=file][name=file]").set_input_files(report)
        with page.expect_navigation():
            page.get_by_role("button", name="上传并审核").click()
        assert re.search(r"/reviews/\d+/$", page.url), page.url

        panel = page.locator("#fig-panel")
        assert panel.is_hidden()
        page.locator("#report-text mark.fig[data-i]", has_text="基金支出11800万元").first.click()
        assert panel.is_visible()
        read_as = panel.locator('[data-f="read_as"]').inner_text()
        assert read_as.startswith("读作：企业职工基本养老保险基金 基金支出 的实际数"), read_as
        assert "标题「（一）企业职工基本养老保险基金」" in read_as, read_as
        # another figure, from the list of all figures: the row follows the selection
        n = page.evaluate(
            "JSON.parse(document.getElementById('review-data').textContent)"
            ".figures.findIndex(f => f.measure === 'completion_rate')"
        )
        assert n >= 0
        page.locator("#figures summary").click()
        page.locator(f'[data-fig="{n}"]').click()
        read_as = panel.locator('[data-f="read_as"]').inner_text()
        assert "基金支出 的预算完成率（对" in read_as, read_as
