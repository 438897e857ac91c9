"""End to end in a real headless Chromium: a county's preparer imports a 疑点筛查 result, opens
the 疑点 list, narrows it to the high risks, confirms one 死亡冒领 with the money recovered and sees
the change in the hit's history; and uploads a .zip of payment tables, which the server's job
thread audits while the run page refreshes itself — on the real ``sifund serve`` (tests/web/e2e/live.py).

The screenshots go to a temporary folder (``SIFUND_SCREENSHOTS=1``: docs/screenshots/)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .e2e.live import CHROMIUM, Server, chromium, cli, logged_in_page
from .payments_sample import result
from .test_payments_zip import DEAD, tables_zip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
]
pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-Horse-7"
TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _uploads():
    """Overrides tests/web/conftest.py's: the server here is a subprocess with its own settings."""


def shots(tmp_path: Path) -> Path:
    if os.environ.get("SIFUND_SCREENSHOTS") == "1":
        d = ROOT / "docs" / "screenshots"
        d.mkdir(parents=True, exist_ok=True)
        return d
    return tmp_path


def test_a_preparer_confirms_a_hit_and_sees_it_in_the_history(tmp_path):
    data = tmp_path / "data"
    cli("regions", "add", "示例县", "--level", "county", data=data)  # creates and migrates the database
    server = Server(data).start()  # starts up meanwhile
    cli("users", "add", "county-prep", "--role", "preparer", "--region", "示例县", data=data,
        stdin=PASSWORD + "\n")
    audit = tmp_path / "示例县2024年疑点筛查.json"
    audit.write_text(json.dumps(result(), ensure_ascii=False), encoding="utf-8")
    out = shots(tmp_path)

    with server as base, chromium() as browser:
        page = logged_in_page(browser, base, "county-prep", PASSWORD, TIMEOUT_MS)

        with page.expect_navigation():
            page.get_by_role("link", name="疑点核查").click()
        page.locator("input[type=file][name=file]").set_input_files(audit)
        with page.expect_navigation():
            page.get_by_role("button", name="导入 / 筛查").click()
        assert re.search(r"/payments/runs/\d+/$", page.url), page.get_by_role("alert").all_inner_texts()
        assert "疑点（5条）" in page.locator("body").inner_text()
        page.screenshot(path=str(out / "payments-run.png"), full_page=True)

        page.locator("select[name=risk]").select_option("high")
        with page.expect_navigation():
            page.get_by_role("button", name="筛选").click()
        table = page.locator("table.pay-hits")
        assert table.locator("tbody tr").count() == 3 and "陈刚" not in table.inner_text()

        with page.expect_navigation():
            page.get_by_role("link", name="65280119450307123X").click()
        assert "死亡后仍发放2个月待遇" in page.locator(".pay-why").inner_text()
        page.get_by_label("核查状态").select_option(label="确认违规")
        page.get_by_label("追回金额（元）").fill("6840")
        page.get_by_label("核查说明").fill("经比对民政死亡信息属实，已停发并全额追回。")
        with page.expect_navigation():
            page.get_by_role("button", name="保存核查结果").click()

        assert "已保存核查结果：确认违规" in page.locator(".messages").inner_text()
        assert page.locator("#hit-status").inner_text().strip() == "确认违规"
        row = page.locator("#history tbody tr").first.inner_text()
        assert "county-prep" in row and "待核查" in row and "确认违规" in row, row
        assert "0.00元 → 6,840.00元" in row and "全额追回" in row, row
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(out / "payments-hit.png"), full_page=True)
    assert (out / "payments-hit.png").stat().st_size > 20_000


def test_an_uploaded_zip_is_queued_then_audited_while_the_page_refreshes(tmp_path):
    data = tmp_path / "data"
    cli("regions", "add", "示例县", "--level", "county", data=data)
    server = Server(data).start()
    cli("users", "add", "county-prep", "--role", "preparer", "--region", "示例县", data=data,
        stdin=PASSWORD + "\n")  # fmt: skip
    tables = tmp_path / "示例县2024年支付数据.zip"
    tables.write_bytes(tables_zip("2024年/"))

    with server as base, chromium() as browser:
        page = logged_in_page(browser, base, "county-prep", PASSWORD, TIMEOUT_MS)
        page.goto(base + "/payments/")
        page.locator("input[type=file][name=file]").set_input_files(tables)
        with page.expect_navigation():
            page.get_by_role("button", name="导入 / 筛查").click()
        assert re.search(r"/payments/runs/\d+/$", page.url), page.get_by_role("alert").all_inner_texts()
        first = page.locator("body").inner_text()
        assert "正在排队筛查" in first  # the answer came before the audit: the run was queued
        # the page reloads itself every few seconds until the job thread has finished the run
        page.wait_for_selector("table.pay-hits", timeout=60_000)
        body = page.locator("body").inner_text()
        assert "疑点（1条）" in body and DEAD in body and "张建国" in body, body
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        page.goto(base + "/payments/")
        assert "已完成" in page.locator("table.pay-runs").inner_text()
