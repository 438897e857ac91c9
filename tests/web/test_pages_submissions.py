"""The submission pages — what a county finance officer does in a browser: list, upload (template /
YAML / JSON / report), the detail page with the evaluation and the workflow buttons, the editor
(figures, 绩效指标, narrative) with the CLI's validation messages and If-Match conflicts, the
history, and the downloads. Scoped like everything else: outside the caller's area it is a 404,
an action not allowed is a 403 (or a message on the page)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from sifund.web.models import Event, Submission
from sifund.web.templatetags import sifund_fmt

from .conftest import EXAMPLES

FILES = ["report.docx", "selftable.xlsx", "report.html", "dataset.yaml", "dataset.json", "audit.xlsx"]


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with ``id`` (inputs, checked boxes, the
    selected option of each select, textareas), in document order."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.depth_template = form_id, False, 0
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.depth_template += 1
        if self.depth_template:
            return
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "file"):
                return
            self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "template" and self.depth_template:
            self.depth_template -= 1
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside = False

    def handle_data(self, data):
        if self._textarea and not self.depth_template:
            self.fields[self._textarea] += data


def form_of(html: str, form_id: str = "sub-edit") -> dict[str, str]:
    p = FormFields(form_id)
    p.feed(html)
    if html.count(f'id="{form_id}"') != 1:
        raise AssertionError(f"form {form_id} not on the page")
    # a textarea's first newline is not part of its value (HTML parsing rule)
    return {k: (v[1:] if v.startswith("\n") else v) for k, v in p.fields.items()}


def text_of(resp) -> str:
    return resp.content.decode("utf-8")


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def example_text() -> str:
    return (EXAMPLES / "synthetic-county-2023.yaml").read_text("utf-8")


# ---- list ----------------------------------------------------------------------------------------


def test_the_list_shows_only_the_callers_submissions_with_a_new_button_for_preparers(
    client_for, county_submission
):
    page = text_of(client_for("county-prep").get("/submissions/"))
    assert f'href="/submissions/{county_submission.pk}/"' in page and "示例县" in page
    assert "新建自评" in page and "94.76" in page and "草稿" in page
    assert f"/submissions/{county_submission.pk}/" not in text_of(
        client_for("other-prep").get("/submissions/")
    )
    rev = text_of(client_for("city-rev").get("/submissions/"))
    assert f'href="/submissions/{county_submission.pk}/"' in rev and "新建自评" not in rev


def test_the_list_filters_by_year_region_and_status(client_for, county_submission, tree):
    c = client_for("city-rev")
    row = f'href="/submissions/{county_submission.pk}/"'
    assert row in text_of(c.get("/submissions/?year=2023&status=draft"))
    assert row not in text_of(c.get("/submissions/?year=2022"))
    assert row not in text_of(c.get("/submissions/?status=approved"))
    assert row in text_of(c.get(f"/submissions/?region={tree['regions']['示例县'].pk}"))
    assert row not in text_of(c.get(f"/submissions/?region={tree['regions']['示例市'].pk}"))


# ---- scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("outsider", ["other-prep", "other-rev", "city-prep"])
def test_outside_the_callers_area_every_page_and_download_is_404(client_for, county_submission, outsider):
    c = client_for(outsider)
    pk = county_submission.pk
    urls = [f"/submissions/{pk}/", f"/submissions/{pk}/edit/", f"/submissions/{pk}/history/"]
    urls += [f"/submissions/{pk}/files/{name}" for name in [*FILES, "nonsense.bin"]]
    for url in urls:
        assert c.get(url).status_code == 404, url
    for url in (f"/submissions/{pk}/edit/", f"/submissions/{pk}/act/submit/", f"/submissions/{pk}/replace/"):
        assert c.post(url, {}).status_code == 404, url
    assert Submission.objects.get(pk=pk).status == "draft"


def test_a_reviewer_reads_the_detail_but_editing_is_403(client_for, county_submission):
    c = client_for("city-rev")
    pk = county_submission.pk
    assert c.get(f"/submissions/{pk}/").status_code == 200
    r = c.get(f"/submissions/{pk}/edit/")
    assert r.status_code == 403 and "只有本地区的经办人员可以修改" in text_of(r)
    assert c.post(f"/submissions/{pk}/edit/", {"version": "1"}).status_code == 403
    assert Submission.objects.get(pk=pk).version == 1


def test_pages_need_a_login(client, county_submission):
    for url in ("/submissions/", "/submissions/new/", f"/submissions/{county_submission.pk}/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/")


# ---- new -----------------------------------------------------------------------------------------


def test_uploading_a_good_dataset_creates_a_draft_and_shows_it(client_for, example_upload):
    c = client_for("county-prep")
    assert "下载模板 XLSX" in text_of(c.get("/submissions/new/"))
    r = c.post("/submissions/new/", {"file": example_upload()})
    assert r.status_code == 302
    sub = Submission.objects.get()
    assert r["Location"] == f"/submissions/{sub.pk}/"
    assert (sub.region.name, sub.year, sub.status, sub.version) == ("示例县", 2023, "draft", 1)
    page = text_of(c.get(r["Location"]))
    assert "已由“synthetic-county-2023.yaml”创建示例县2023年度自评提交" in page


REPORT = (
    "示例县2023年社会保险基金支出预算绩效自评报告\n\n一、基本情况\n（一）企业职工基本养老保险基金\n"
    "2023年企业职工基本养老保险基金收入12000万元，其中：保险费收入8000万元，财政补贴收入3500万元。"
    "基金支出11800万元，上年支出10000万元，较上年增长18%。当年收支结余200万元，年末滚存结余5600万元。\n"
)


def test_a_report_is_extracted_into_a_new_submission(client_for):
    r = client_for("county-prep").post(
        "/submissions/new/", {"file": upload("示例县2023年自评报告.txt", REPORT)}
    )
    assert r.status_code == 302
    sub = Submission.objects.get()
    assert (sub.region.name, sub.year, sub.source_kind) == ("示例县", 2023, "txt")
    fig = next(
        f for f in sub.dataset["figures"] if f["item"] == "expenditure_total" and f["measure"] == "actual"
    )
    assert fig["value"] == 11800


def test_a_broken_yaml_names_the_line_and_creates_nothing(client_for):
    lines = example_text().splitlines()
    n = next(i for i, line in enumerate(lines) if "value:" in line)
    lines[n] = re.sub(r"value: [0-9.]+", "value: abc", lines[n])
    r = client_for("county-prep").post("/submissions/new/", {"file": upload("broken.yaml", "\n".join(lines))})
    assert r.status_code == 400
    page = text_of(r)
    assert f"line {n + 1}, figures[0].value" in page and "不是数字 not a number: &#x27;abc&#x27;" in page
    assert not Submission.objects.exists()


def test_a_dataset_of_another_region_is_refused_clearly(client_for, example_upload):
    r = client_for("other-prep").post("/submissions/new/", {"file": example_upload()})
    assert r.status_code == 403
    assert "数据集的地区“示例县”不是您所属的地区“邻县”" in text_of(r)
    assert not Submission.objects.exists()


def test_a_reviewer_cannot_open_the_new_page(client_for):
    assert client_for("city-rev").get("/submissions/new/").status_code == 403


def test_the_blank_template_downloads_and_opens(client_for):
    r = client_for("county-prep").get("/submissions/template.xlsx?funds=unemployment&funds=work_injury")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert len(wb.sheetnames) >= 5


# ---- detail --------------------------------------------------------------------------------------


def test_the_detail_page_shows_the_evaluation_from_the_stored_json(client_for, county_submission):
    page = text_of(client_for("county-prep").get(f"/submissions/{county_submission.pk}/"))
    ev = county_submission.evaluation
    assert sifund_fmt.score(ev["score"]["total"]) in page and ev["score"]["grade"] in page
    for ind in ev["indicators"]:
        assert ind["indicator"]["name"] in page
    m = next(m for m in ev["metrics"] if m["fund"] == "all" and m["code"] == "income_completion")
    assert f"{m['formula']} = {sifund_fmt.value(m['value'], '%')}" in page  # the formula trace
    for r in ev["risks"]:
        assert r["message"] in page
    assert '<span class="badge lv-high">高风险</span>' in page
    for f in ev["findings"]:
        assert f["message"] in page
        assert all(e["place"] in page for e in f["evidence"] if e.get("place"))
    assert "操作记录" in page and "来自synthetic-county-2023.yaml" in page


def test_the_detail_page_lists_the_check_warnings_with_their_places(client_for, tree):
    from sifund.web import services
    from sifund.web.scope import actor

    text = example_text().replace("region: 示例县", "region: 示例县", 1)
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if "item: income_total, measure: actual" in line)
    lines[n] = lines[n].replace("44140.50", "44150.50")  # the 合计 no longer the sum of the funds
    loaded, kind = services.load_upload(upload("w.yaml", "\n".join(lines)))
    sub = services.create_submission(actor(tree["users"]["county-prep"]), loaded, "w.yaml", kind)
    assert sub.evaluation["warnings"]
    page = text_of(client_for("county-prep").get(f"/submissions/{sub.pk}/"))
    for w in sub.evaluation["warnings"]:
        assert w["place"] in page and w["message"] in page
    assert f"line {n + 1}" in page


def test_workflow_buttons_appear_only_for_who_may_use_them(client_for, county_submission):
    pk = county_submission.pk
    prep, rev, other = client_for("county-prep"), client_for("city-rev"), client_for("prov-rev")
    submit, ret, approve = (
        f"/submissions/{pk}/act/submit/",
        f"/submissions/{pk}/act/return/",
        f"/submissions/{pk}/act/approve/",
    )
    page = text_of(prep.get(f"/submissions/{pk}/"))
    assert submit in page and ret not in page and approve not in page and "修改数据" in page
    page = text_of(rev.get(f"/submissions/{pk}/"))
    assert submit not in page and ret not in page and approve not in page and "修改数据" not in page

    r = prep.post(submit, follow=True)
    assert "已提交，等待审核" in text_of(r) and Submission.objects.get(pk=pk).status == "submitted"
    page = text_of(prep.get(f"/submissions/{pk}/"))
    assert submit not in page and approve not in page and "修改数据" not in page
    assert prep.get(f"/submissions/{pk}/edit/").status_code == 403  # submitted data is read-only
    page = text_of(rev.get(f"/submissions/{pk}/"))
    assert ret in page and approve in page and 'name="comment"' in page and "required" in page

    r = prep.post(approve, follow=True)  # a preparer cannot approve: a message, nothing changes
    assert "未能审核通过" in text_of(r) and Submission.objects.get(pk=pk).status == "submitted"
    r = rev.post(ret, {"comment": "  "}, follow=True)
    assert "退回时必须填写退回意见" in text_of(r) and Submission.objects.get(pk=pk).status == "submitted"
    rev.post(ret, {"comment": "请补充工伤保险偏差原因"})
    assert Submission.objects.get(pk=pk).status == "returned"
    page = text_of(prep.get(f"/submissions/{pk}/"))
    assert (
        submit in page
        and "<strong>退回意见</strong>（city-rev，" in page
        and "请补充工伤保险偏差原因" in page
    )
    prep.post(submit)
    r = other.post(approve, follow=True)  # the province reviewer is above 示例县 too
    assert "已审核通过" in text_of(r) and Submission.objects.get(pk=pk).status == "approved"
    history = text_of(prep.get(f"/submissions/{pk}/history/"))
    assert "请补充工伤保险偏差原因" in history and "city-rev" in history and "prov-rev" in history
    assert [e.action for e in Event.objects.filter(submission_id=pk)] == [
        "create", "submit", "return", "submit", "approve"
    ]  # fmt: skip


def test_the_workflow_forms_carry_a_csrf_token(client_for, county_submission):
    c = client_for("county-prep", csrf=True)
    pk = county_submission.pk
    assert c.post(f"/submissions/{pk}/act/submit/").status_code == 403  # no token: refused
    assert Submission.objects.get(pk=pk).status == "draft"
    page = text_of(c.get(f"/submissions/{pk}/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert c.post(f"/submissions/{pk}/act/submit/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert Submission.objects.get(pk=pk).status == "submitted"


# ---- downloads -----------------------------------------------------------------------------------


def test_every_download_has_its_type_a_chinese_name_and_opens(client_for, county_submission):
    import docx

    c = client_for("city-rev")
    pk = county_submission.pk
    got = {}
    for name in FILES:
        r = c.get(f"/submissions/{pk}/files/{name}")
        assert r.status_code == 200, name
        cd = r["Content-Disposition"]
        assert (
            cd.startswith("attachment;") and "filename*=UTF-8''" in cd and "%E7%A4%BA%E4%BE%8B%E5%8E%BF" in cd
        )
        got[name] = (r["Content-Type"], r.content)
    assert got["report.docx"][0] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(got["report.docx"][1])).paragraphs)
    assert "示例县" in body
    assert got["selftable.xlsx"][0].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert openpyxl.load_workbook(io.BytesIO(got["selftable.xlsx"][1])).sheetnames
    assert got["report.html"][0].startswith("text/html") and "示例县" in got["report.html"][1].decode()
    assert got["dataset.yaml"][0].startswith("application/yaml")
    assert yaml.safe_load(got["dataset.yaml"][1].decode()) == json.loads(got["dataset.json"][1].decode())
    ds = json.loads(got["dataset.json"][1].decode())
    assert ds["region"] == "示例县" and len(ds["figures"]) == len(county_submission.dataset["figures"])
    wb = openpyxl.load_workbook(io.BytesIO(got["audit.xlsx"][1]))
    assert wb.sheetnames == ["审核发现", "数据更正"]
    ws = wb["审核发现"]
    assert [c.value for c in ws[4]][:3] == ["序号", "严重程度", "类别"]
    assert ws.max_row - 4 == len(county_submission.evaluation["findings"])


def test_the_downloaded_dataset_does_not_carry_server_paths(client_for, example_upload):
    c = client_for("county-prep")
    c.post("/submissions/new/", {"file": example_upload()})
    sub = Submission.objects.get()
    text = c.get(f"/submissions/{sub.pk}/files/dataset.json").content.decode()
    assert "/uploads/" not in text and "synthetic-county-2023.yaml" in text


def test_audit_xlsx_quotes_corrections_and_never_writes_a_formula():
    from sifund import api
    from sifund.render.audit_xlsx import audit_xlsx_bytes

    loaded = api.load(EXAMPLES / "qitai-2019.yaml")
    ev = api.evaluation_json(api.evaluate(loaded.dataset, None, loaded.warnings))
    ev["warnings"] = [w.model_dump(mode="json", exclude_none=True) for w in loaded.warnings]
    ev["findings"][0]["message"] = '=HYPERLINK("http://x")'
    wb = openpyxl.load_workbook(io.BytesIO(audit_xlsx_bytes(ev, "奇台县", 2019)))
    assert wb["审核发现"]["A1"].value == "奇台县2019年社会保险基金数据审核结果"
    assert wb["审核发现"]["J5"].data_type == "s"  # text, not a formula
    fixes = wb["数据更正"]
    rows = list(fixes.iter_rows(min_row=5, values_only=True))
    assert len(rows) == len(ev["warnings"]) and rows[0][1] == ev["warnings"][0]["place"]
    assert rows[0][6] == ev["warnings"][0]["computed_text"] and rows[0][8] == "是"


# ---- edit ----------------------------------------------------------------------------------------


def edit_form(c, pk) -> dict[str, str]:
    r = c.get(f"/submissions/{pk}/edit/")
    assert r.status_code == 200
    return form_of(text_of(r))


def test_saving_the_editor_unchanged_changes_nothing(client_for, county_submission):
    """The form round-trips the dataset exactly: precision, sources and extra fields included."""
    c = client_for("county-prep")
    fields = edit_form(c, county_submission.pk)
    assert fields["version"] == "1" and fields["f-0-value"] == "44140.5" and fields["f-0-fund"] == "all"
    page = text_of(c.get(f"/submissions/{county_submission.pk}/edit/"))
    assert (
        '<template id="codes-item"><optgroup label="收入"><option value="income_total">基金收入</option>'
        in page
    )
    r = c.post(f"/submissions/{county_submission.pk}/edit/", fields, follow=True)
    assert "没有修改，未生成新版本" in text_of(r)
    assert Submission.objects.get(pk=county_submission.pk).version == 1


def test_editing_a_figure_makes_version_2_with_an_update_event(client_for, county_submission):
    c = client_for("county-prep")
    pk = county_submission.pk
    fields = edit_form(c, pk)
    fields["f-0-value"] = "44,150.5"  # thousands separators are accepted
    fields["n-goals"] = "确保各项待遇按时足额发放。"
    r = c.post(f"/submissions/{pk}/edit/", fields)
    assert r.status_code == 302 and r["Location"] == f"/submissions/{pk}/"
    sub = Submission.objects.get(pk=pk)
    assert sub.version == 2 and sub.dataset["figures"][0]["value"] == 44150.5
    assert sub.dataset["narrative"]["goals"] == "确保各项待遇按时足额发放。"
    e = Event.objects.filter(submission=sub).last()
    assert (e.action, e.version, e.user.get_username()) == ("update", 2, "county-prep")
    assert {
        "field": "figures[all/income_total/actual].value",
        "before": 44140.5,
        "after": 44150.5,
    } in e.changes
    history = text_of(c.get(f"/submissions/{pk}/history/"))
    assert (
        "figures[all/income_total/actual].value" in history and "数字·合计·基金收入·实际数·value" in history
    )
    assert "44140.5" in history and "44150.5" in history and "修改" in history


def test_rows_can_be_added_and_removed(client_for, county_submission):
    c = client_for("county-prep")
    pk = county_submission.pk
    fields = edit_form(c, pk)
    n = len(county_submission.dataset["figures"])
    fields["f-1-del"] = "1"
    fields.update({"f-900-fund": "unemployment", "f-900-item": "new_beneficiaries", "f-900-measure": "actual",
                   "f-900-value": "5321"})  # fmt: skip
    fields.update({"i-900-level1": "产出指标", "i-900-level2": "数量指标", "i-900-name": "失业保险参保人数",
                   "i-900-target": "≥5000人", "i-900-actual": "5321人", "i-900-weight": "0"})  # fmt: skip
    assert c.post(f"/submissions/{pk}/edit/", fields).status_code == 302
    ds = Submission.objects.get(pk=pk).dataset
    assert len(ds["figures"]) == n
    assert ds["figures"][-1] == {
        "fund": "unemployment",
        "item": "new_beneficiaries",
        "measure": "actual",
        "value": 5321.0,
    }
    assert ds["figures"][1] == county_submission.dataset["figures"][2]
    assert ds["indicators"][-1]["name"] == "失业保险参保人数" and ds["indicators"][-1]["weight"] == 0
    history = text_of(c.get(f"/submissions/{pk}/history/"))
    assert "数字·合计·基金收入·年初预算数" in history  # the deleted row, named by its codes
    assert "数字·失业·" in history  # the added one


def test_a_warning_about_a_figure_typed_in_the_form_names_its_row(client_for, county_submission):
    c = client_for("county-prep")
    pk = county_submission.pk
    fields = edit_form(c, pk)
    assert fields["f-1-fund"] == "all" and fields["f-1-measure"] == "budget"
    fields["f-1-value"] = "43330"  # the 合计 budget no longer the sum of the funds' budgets
    c.post(f"/submissions/{pk}/edit/", fields)
    sub = Submission.objects.get(pk=pk)
    (w,) = [w for w in sub.evaluation["warnings"] if w["code"] == "fund_total_mismatch"]
    assert w["place"] == ""  # typed into the form: no line of a file
    page = text_of(c.get(f"/submissions/{pk}/"))
    assert ">figures[1]</span>" in page and w["message"] in page
    assert "校验警告：" + w["message"] in text_of(c.get(f"/submissions/{pk}/edit/"))  # beside its row


def test_a_bad_value_is_named_like_the_cli_next_to_its_row(client_for, county_submission):
    c = client_for("county-prep")
    pk = county_submission.pk
    fields = edit_form(c, pk)
    fields["f-3-value"] = "abc"
    fields["f-5-del"] = "1"
    fields["i-1-weight"] = "-1"
    r = c.post(f"/submissions/{pk}/edit/", fields)
    assert r.status_code == 400
    page = text_of(r)
    assert '<a href="#f-3" class="sub-place">figures[3].value</a>' in page
    assert "不是数字 not a number: &#x27;abc&#x27;" in page
    assert '<a href="#i-1" class="sub-place">indicators[1].weight</a>' in page
    row = re.search(r'<tr id="f-3" class="([^"]+)"', page).group(1)
    assert "sub-err" in row
    again = form_of(page)
    assert again["f-3-value"] == "abc" and again["f-5-del"] == "1"  # the input is shown again as typed
    assert Submission.objects.get(pk=pk).version == 1


def test_a_stale_edit_is_a_conflict_naming_who_and_keeps_the_input(client_for, county_submission):
    pk = county_submission.pk
    mine, theirs = client_for("county-prep"), client_for("admin")
    my_fields, their_fields = edit_form(mine, pk), edit_form(theirs, pk)
    their_fields["f-0-value"] = "44000"
    assert theirs.post(f"/submissions/{pk}/edit/", their_fields).status_code == 302
    my_fields["f-0-value"] = "45678.9"
    r = mine.post(f"/submissions/{pk}/edit/", my_fields)
    assert r.status_code == 409
    page = text_of(r)
    assert "此提交已被admin于" in page and "当前版本2，您编辑的是版本1" in page
    assert f'href="/submissions/{pk}/"' in page and "最新版本为版本2" in page
    again = form_of(page)
    assert again["f-0-value"] == "45678.9" and again["version"] == "1"  # nothing lost
    assert Submission.objects.get(pk=pk).dataset["figures"][0]["value"] == 44000
    # the user may then save on top of version 2 deliberately
    again["overwrite"] = "2"
    assert mine.post(f"/submissions/{pk}/edit/", again).status_code == 302
    sub = Submission.objects.get(pk=pk)
    assert sub.version == 3 and sub.dataset["figures"][0]["value"] == 45678.9


def test_replacing_the_dataset_by_upload_uses_if_match(client_for, county_submission):
    c = client_for("county-prep")
    pk = county_submission.pk
    text = example_text().replace(
        "project: 示例县社会保险基金支出", "project: 示例县社会保险基金支出（修订）"
    )
    r = c.post(f"/submissions/{pk}/replace/", {"version": "1", "file": upload("v2.yaml", text)})
    assert r.status_code == 302
    sub = Submission.objects.get(pk=pk)
    assert sub.version == 2 and sub.dataset["project"].endswith("（修订）") and sub.source_name == "v2.yaml"
    r = c.post(f"/submissions/{pk}/replace/", {"version": "1", "file": upload("v3.yaml", example_text())})
    assert r.status_code == 409 and "当前版本2，您编辑的是版本1" in text_of(r)
    other = example_text().replace("region: 示例县", "region: 邻县")
    r = c.post(f"/submissions/{pk}/replace/", {"version": "2", "file": upload("x.yaml", other)})
    assert r.status_code == 403 and "与此提交的地区“示例县”不一致" in text_of(r)
    assert Submission.objects.get(pk=pk).version == 2


# ---- formatting ----------------------------------------------------------------------------------


def test_numbers_and_times_are_formatted_the_chinese_way():
    f = sifund_fmt
    assert f.wan(44140.5) == "44,140.50万元" and f.wan(None) == "—"
    assert f.pct(101.894044) == "101.89%" and f.months(3.140625) == "3.14个月"
    assert f.value(5854, "人") == "5,854人" and f.value(1.714, "") == "1.71"
    assert f.cn_datetime(datetime(2026, 12, 1, 13, 5, tzinfo=UTC)) == "2026年12月1日 21:05"
    assert f.status_badge("returned") == '<span class="badge st-returned">已退回</span>'
    assert f.risk_badge("中") == '<span class="badge lv-medium">中风险</span>'
    assert f.shown(None) == "（无）" and f.shown(44140.5) == "44140.5" and f.shown({"a": 1}) == '{"a":1}'


def test_text_areas_keep_their_line_breaks_as_the_dataset_has_them(client_for, county_submission):
    """Browsers post a textarea's line breaks as CRLF and drop its first newline; neither is a change."""
    c = client_for("county-prep")
    pk = county_submission.pk
    fields = edit_form(c, pk)
    fields["n-problems"] = "\r\n一是扩面征缴难度加大；\r\n二是工伤保险基金收不抵支。"
    assert c.post(f"/submissions/{pk}/edit/", fields).status_code == 302
    assert (
        Submission.objects.get(pk=pk).dataset["narrative"]["problems"]
        == "\n一是扩面征缴难度加大；\n二是工伤保险基金收不抵支。"
    )
    again = edit_form(c, pk)
    assert again["n-problems"] == "\n一是扩面征缴难度加大；\n二是工伤保险基金收不抵支。"
    again = {k: v.replace("\n", "\r\n") for k, v in again.items()}
    r = c.post(f"/submissions/{pk}/edit/", again, follow=True)
    assert "没有修改，未生成新版本" in text_of(r) and Submission.objects.get(pk=pk).version == 2
