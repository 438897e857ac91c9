"""End to end in a real headless Chromium (issue #10 acceptance): the real ``sifund serve`` in a
subprocess on a data folder made with ``sifund regions add`` / ``sifund users add``, driven by Debian's
/usr/bin/chromium through Playwright — the way a county officer and a reviewer use it.

The second test takes the screenshots of ``docs/screenshots/`` from the ``--demo`` data; they are
written there only with ``SIFUND_SCREENSHOTS=1`` (otherwise to a temporary folder, so a test run
leaves the tree clean). Skipped when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest

from reportscore import CORPUS

from .e2e.live import CHROMIUM, Server, chromium, cli

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
]
pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "synthetic-county-2023.yaml"  # region 示例县, year 2023
CORPUS_REPORT = CORPUS / "korla-2020.txt"  # absent under SIFUND_NO_SHARED=1: the synthetic report then
PASSWORD = "Correct-Horse-7"
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 20_000


@pytest.fixture(autouse=True)
def _uploads():
    """Overrides tests/web/conftest.py's: the server here is a subprocess with its own settings."""


def fill_module():
    """tests/ingest/fill.py: fills a blank template from a Dataset the way a user does (rows by codes)."""
    spec = importlib.util.spec_from_file_location("_e2e_fill", ROOT / "tests" / "ingest" / "fill.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    click_and_load(page, page.get_by_role("button", name="登录"))
    assert "/login/" not in page.url, alerts(page)


def log_out(page) -> None:
    click_and_load(page, page.get_by_role("button", name="退出"))
    assert page.url.endswith("/login/"), page.url


def click_and_load(page, locator) -> None:
    """Click what posts a form or follows a link, and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def status(page) -> str:
    """The status badge in the submission page's title: 草稿 / 已提交 / 已退回 / 已通过."""
    return page.locator("h1 .badge").inner_text().strip()


def alerts(page) -> str:
    """What the page says went wrong (for an assertion's message)."""
    return f"{page.url}: {page.get_by_role('alert').all_inner_texts()}"


def flash(page) -> str:
    return " ".join(page.locator(".messages li").all_inner_texts())


def test_a_submission_goes_from_upload_to_approval_in_a_real_browser(tmp_path):
    from sifund.ingest import load_dataset

    data = tmp_path / "data"
    cli("regions", "add", "示例省", "--level", "province", data=data)  # creates and migrates the database
    server = Server(data).start()  # starts up meanwhile
    cli("regions", "add", "示例市", "--level", "prefecture", "--parent", "示例省", data=data)
    cli("regions", "add", "示例县", "--level", "county", "--parent", "示例市", data=data)
    for user, role, region in (("county-prep", "preparer", "示例县"), ("city-rev", "reviewer", "示例市")):
        cli("users", "add", user, "--role", role, "--region", region, data=data, stdin=PASSWORD + "\n")
    example = load_dataset(EXAMPLE)
    comment = "请在下一步计划中写明失业保险稳岗补贴支出低于预算的改进措施"
    plan = "按上年实际申领情况测算失业保险稳岗补贴预算，加强稳岗返还政策宣传。"

    with server as base, chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
        page.set_default_timeout(TIMEOUT_MS)
        page.on("dialog", lambda d: d.accept())  # the buttons' data-confirm questions: 确认提交？

        # the preparer downloads the blank template of its funds, fills it in (as in Excel), uploads
        # it and sees its evaluation with the audit findings
        log_in(page, base, "county-prep")
        assert page.url.endswith("/submissions/")
        click_and_load(page, page.get_by_role("link", name="新建自评"))
        for code in (f for f in example.funds() if f != "all"):  # "all": the totals, in every template
            page.locator(f"input[name=funds][value='{code}']").check()
        with page.expect_download() as dl:
            page.get_by_role("button", name="下载模板 XLSX").click()
        blank = tmp_path / dl.value.suggested_filename
        assert blank.suffix == ".xlsx", blank
        dl.value.save_as(blank)
        xlsx = fill_module().fill_template(blank, example, tmp_path / "示例县2023年自评数据.xlsx")
        page.get_by_label("文件", exact=True).set_input_files(xlsx)
        click_and_load(page, page.get_by_role("button", name="上传并创建"))
        assert re.search(r"/submissions/\d+/$", page.url), alerts(page)
        url = page.url
        assert status(page) == "草稿"
        assert "示例县 2023年度" in page.locator("h1").inner_text()
        findings = page.locator("#findings")
        assert "小于总数" in findings.inner_text()  # sum_below_total: 其中所列…合计…小于总数，另有未列明部分
        assert re.search(r"基金收支![A-Z]+\d+", findings.inner_text())  # evidence: cells of the upload

        click_and_load(page, page.get_by_role("button", name="提交", exact=True))
        assert status(page) == "已提交", flash(page)
        assert page.get_by_role("link", name="修改数据").count() == 0  # submitted data are read-only
        log_out(page)

        # the reviewer of the prefecture returns it with a comment
        log_in(page, base, "city-rev")
        page.goto(url)
        page.locator("summary", has_text="退回").click()
        page.get_by_label("退回意见").fill(comment)
        click_and_load(page, page.get_by_role("button", name="确认退回"))
        assert status(page) == "已退回", flash(page)
        log_out(page)

        # the preparer reads the comment, adds the plan through the edit form and submits again
        log_in(page, base, "county-prep")
        page.goto(url)
        assert comment in page.locator("#history").inner_text()
        click_and_load(page, page.get_by_role("link", name="修改数据"))
        box = page.get_by_label("下一步计划")
        box.fill((box.input_value() + "\n" + plan).strip())
        click_and_load(page, page.get_by_role("button", name="保存").first)
        assert page.url == url, alerts(page)
        assert re.search(r"版本\s*2\b", page.locator(".sub-meta").inner_text()), alerts(page)
        click_and_load(page, page.get_by_role("button", name="提交", exact=True))
        assert status(page) == "已提交", flash(page)
        log_out(page)

        # the reviewer approves it and downloads the report through the page's link
        log_in(page, base, "city-rev")
        page.goto(url)
        click_and_load(page, page.get_by_role("button", name="审核通过"))
        assert status(page) == "已通过", flash(page)
        history = page.locator("#history").inner_text()
        assert "county-prep" in history and "city-rev" in history and comment in history
        with page.expect_download() as dl:
            page.get_by_role("link", name="报告 DOCX").click()
        assert dl.value.suggested_filename.endswith(".docx"), dl.value.suggested_filename
        docx = tmp_path / "report.docx"
        dl.value.save_as(docx)

    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "示例县" in text and "2023" in text
    assert plan in text  # the preparer's fix is in the approved report


def screenshot_dir(tmp_path: Path) -> Path:
    if os.environ.get("SIFUND_SCREENSHOTS") == "1":
        d = ROOT / "docs" / "screenshots"
        d.mkdir(parents=True, exist_ok=True)
        return d
    return tmp_path


def demo_reviewer(output: list[str]) -> str:
    """A reviewer among the demo logins the server printed (``  name  审核  region``): the one of
    示例省 (the demo's tree with years of synthetic submissions) when there is one, else the first."""
    reviewers = [w for w in (line.split() for line in output) if len(w) >= 3 and w[1] == "审核"]
    assert reviewers, "no reviewer among the demo logins:\n" + "\n".join(output)
    return next((w[0] for w in reviewers if w[2] == "示例省"), reviewers[0][0])


def settle(page) -> None:
    """Wait until the page is loaded and its charts are drawn (ECharts animates for ~1 s)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(1200)


def charts_drawn(page) -> int:
    """How many .chart containers hold a drawn ECharts canvas (or SVG) of a real size."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.chart')].filter(c => {
             const g = c.querySelector('canvas, svg'); return g && g.clientWidth > 50 && g.clientHeight > 50;
           }).length"""
    )


def test_screenshots_of_the_dashboard_a_submission_and_a_report_review(tmp_path):
    """dashboard.png (the reviewer's grid), region.png (a region's trend and peer charts),
    submission.png and review.png (a report uploaded for review: ../shared/corpus/korla-2020.txt
    when present, else the example's report written by `sifund report`)."""
    out = screenshot_dir(tmp_path)
    report = CORPUS_REPORT if CORPUS_REPORT.exists() else synthetic_report(tmp_path)
    server = Server(tmp_path / "demo", "--demo")
    with server as base, chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT, locale="zh-CN")
        page.set_default_timeout(TIMEOUT_MS)
        log_in(page, base, demo_reviewer(server.output), "sifund-demo")

        page.goto(base + "/dashboard/")
        settle(page)
        assert page.locator("table.dash-grid tbody tr").count() >= 2
        page.screenshot(path=str(out / "dashboard.png"))

        region = page.locator("table.dash-grid tbody tr:has(.badge) a[href^='/dashboard/region/']")
        click_and_load(page, region.first)  # a region with a submission
        settle(page)
        page.screenshot(path=str(out / "region.png"))
        drawn = charts_drawn(page)
        assert drawn >= 4, f"only {drawn} charts drawn on {page.url}: {out / 'region.png'}"

        page.goto(base + "/submissions/")
        click_and_load(page, page.locator("table.sub-table tbody a[href^='/submissions/']").first)
        settle(page)
        assert page.locator("h1 .badge").count() == 1
        page.screenshot(path=str(out / "submission.png"))

        page.goto(base + "/reviews/")
        page.locator("input[type=file][name=file]").set_input_files(report)
        click_and_load(page, page.get_by_role("button", name="上传并审核"))
        assert re.search(r"/reviews/\d+/$", page.url), alerts(page)
        settle(page)
        assert page.locator("[data-locate]").count() > 0, "no finding to locate in the text"
        page.locator("[data-locate]").first.click()  # the first finding → its spans in the text
        page.wait_for_timeout(600)
        page.screenshot(path=str(out / "review.png"))
    for name in ("dashboard", "region", "submission", "review"):
        assert (out / f"{name}.png").stat().st_size > 20_000, name


def synthetic_report(tmp: Path) -> Path:
    """A report of the genre when ../shared/corpus is absent: the example written by `sifund report`."""
    cli("report", str(EXAMPLE), "--format", "txt", "--out", str(tmp / "report"))
    return next((tmp / "report").glob("*.txt"))
