"""Pages: submissions — what a county finance officer does in a browser.

``/submissions/``                 the caller's submissions (filters 年度/地区/状态)
``/submissions/new/``             upload the XLSX template, a YAML/JSON dataset or a report
``/submissions/template.xlsx``    the blank input template
``/submissions/<id>/``            header, workflow buttons, the evaluation, downloads, history
``/submissions/<id>/history/``    every event with its before/after
``/submissions/<id>/edit/``       figures, 绩效指标, narrative, basic information (If-Match)
``/submissions/<id>/replace/``    a new file for the same submission (PUT semantics, If-Match)
``/submissions/<id>/act/<action>/``  提交 / 退回 / 审核通过 (POST)
``/submissions/<id>/files/<name>``   report.docx, selftable.xlsx, report.html, dataset.yaml,
                                  dataset.json, audit.xlsx

Every object is reached through :mod:`sifund.web.scope` (404 outside the caller's area, 403 with
the reason for an action not allowed) and every write through :mod:`sifund.web.services`. What
is shown is the stored evaluation (the same JSON as ``sifund evaluate --format json``), formatted
by the ``sifund_fmt`` filters; nothing is computed here but the grouping.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from sifund import api
from sifund.core.codes import FUND_ORDER, codebook
from sifund.core.errors import SifundError
from sifund.web import http, jinja, scope, services
from sifund.web.forms import (
    JUDGEMENTS,
    LEVEL1,
    LEVEL2,
    EditState,
    Row,
    UploadForm,
    code_options,
    figure_cells,
    select,
)
from sifund.web.models import STATUSES, Submission

PAGE_SIZE = 50
CHANGES_SHOWN = 8  # changes of one history entry shown before the rest is folded
ACTION_LABELS = {"submit": "提交", "return": "退回", "approve": "审核通过"}
DONE = {"submit": "已提交，等待审核", "return": "已退回，经办人员可修改后重新提交", "approve": "已审核通过"}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
RISK_RANK = {"高": 0, "中": 1, "低": 2}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = [  # (name, label, description)
    ("report.docx", "报告 DOCX", "绩效自评报告（Word）"),
    ("selftable.xlsx", "自评表 XLSX", "绩效自评表（Excel）"),
    ("report.html", "报告 HTML", "绩效自评报告（网页）"),
    ("dataset.yaml", "数据集 YAML", "交换格式数据集"),
    ("dataset.json", "数据集 JSON", "交换格式数据集"),
    ("audit.xlsx", "审核结果 XLSX", "审核发现与数据更正"),
]
FIELD_WORDS = {
    "figures": "数字",
    "indicators": "绩效指标",
    "narrative": "文字说明",
    "fund_narratives": "分基金说明",
    "signoff": "填报信息",
    "agency": "实施单位",
    "department": "主管部门",
    "project": "项目名称",
}


# ---- the renderers this page calls (through sifund.api) -----------------------------------------


def blank_template(funds: list[str] | None = None) -> tuple[bytes, str]:
    """The blank XLSX input template of ``sifund template`` (bytes, file name)."""
    tmp = Path(tempfile.mkdtemp(prefix="sifund-web-"))
    try:
        p = api.template(tmp / "template.xlsx", funds or None)
        return p.read_bytes(), "社会保险基金绩效自评填报模板.xlsx"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def audit_workbook(s: Submission) -> bytes:
    """The 审核结果 workbook of a submission (findings and corrections of its stored evaluation)."""
    return api.audit_xlsx(s.evaluation or {}, s.region.name, s.year)


# ---- helpers ---------------------------------------------------------------------------------------


def public_dataset(s: Submission) -> dict[str, Any]:
    """The stored dataset with the server's upload paths replaced by the uploaded file's name."""
    updir = str(Path(settings.UPLOAD_DIR))

    def walk(v: Any) -> Any:
        if isinstance(v, dict):
            out = {k: walk(x) for k, x in v.items()}
            if isinstance(out.get("file"), str) and out["file"].startswith(updir):
                out["file"] = s.source_name or Path(out["file"]).name
            return out
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(s.dataset)


def field_label(place: str) -> str:
    """``figures[3].value`` → ``数字第4行·value`` (a hint next to the path the CLI prints);
    the history's key ``figures[pension/income_total/budget].value`` →
    ``数字·企业养老·基金收入·年初预算数·value``."""
    k = re.match(r"^figures\[([^\]/]+)/([^\]/]+)/([^\]#]+)(?:#\d+)?\](?:\.(.+))?$", place or "")
    if k:
        cb = codebook()
        fund, item, measure = cb.funds.get(k.group(1)), cb.items.get(k.group(2)), cb.measures.get(k.group(3))
        parts = [
            FIELD_WORDS["figures"],
            fund.short if fund else k.group(1),
            item.name if item else k.group(2),
            measure.name if measure else k.group(3),
        ]
        return "·".join(parts + ([k.group(4)] if k.group(4) else []))
    m = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(.+))?$", place or "")
    if not m or m.group(1) not in FIELD_WORDS:
        return ""
    word = FIELD_WORDS[m.group(1)]
    if m.group(2) is not None:
        word += f"第{int(m.group(2)) + 1}行"
    rest = m.group(3) or ""
    if m.group(1) == "fund_narratives" and rest:
        fund, _, sub = rest.partition(".")
        f = codebook().funds.get(fund)
        rest = (f.short if f else fund) + (f".{sub}" if sub else "")
    return f"{word}·{rest}" if rest else word


# ---- list ----------------------------------------------------------------------------------------


@login_required
def submission_list(request: HttpRequest) -> HttpResponse:
    a = http.page_actor(request)
    qs = scope.submissions(a).select_related("region", "updated_by").defer("dataset", "evaluation")
    years = sorted(set(qs.values_list("year", flat=True)), reverse=True)
    regions = list(scope.regions(a))
    year, region, status = (
        http.int_param(request.GET.get("year")),
        http.int_param(request.GET.get("region")),
        request.GET.get("status"),
    )
    if year:
        qs = qs.filter(year=year)
    if region:
        qs = qs.filter(region_id=region)
    if status in dict(STATUSES):
        qs = qs.filter(status=status)
    else:
        status = ""
    page = Paginator(qs.order_by("-year", "region__path", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("year", year), ("region", region), ("status", status)) if v})
    return render(
        request,
        "sifund/submissions/list.html",
        {
            "page": page,
            "years": years,
            "regions": regions,
            "statuses": STATUSES,
            "f_year": year,
            "f_region": region,
            "f_status": status,
            "query": query,
            "can_create": a.is_preparer or a.is_admin,
            "filtered": bool(year or region or status),
        },
    )


# ---- new -----------------------------------------------------------------------------------------


def _new_context(a: scope.Actor, form: UploadForm, **extra: Any) -> dict[str, Any]:
    cb = codebook()
    return {
        "form": form,
        "funds": [(c, f.name) for c, f in cb.funds.items() if c != "all"],
        "region": a.region,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest) -> HttpResponse:
    a = http.page_actor(request)
    if not (a.is_preparer or a.is_admin):
        raise PermissionDenied("只有经办人员可以创建自评提交")
    if request.method == "GET":
        return render(request, "sifund/submissions/new.html", _new_context(a, UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [{"place": "file", "message": m} for ms in form.errors.values() for m in ms]
        return render(
            request, "sifund/submissions/new.html", _new_context(a, form, problems=problems), status=400
        )
    upload = form.cleaned_data["file"]
    try:
        loaded, kind = services.load_upload(upload)
        sub = services.create_submission(a, loaded, str(upload.name), kind)
    except services.BadInput as e:
        return render(
            request,
            "sifund/submissions/new.html",
            _new_context(a, UploadForm(), problems=e.problems, file_name=upload.name),
            status=400,
        )
    except scope.Forbidden as e:
        return render(
            request,
            "sifund/submissions/new.html",
            _new_context(a, UploadForm(), forbidden=str(e), file_name=upload.name),
            status=403,
        )
    n = sub.warnings
    messages.success(
        request,
        f"已由“{upload.name}”创建{sub.region.name}{sub.year}年度自评提交（草稿，版本1）"
        + (f"；校验发现{n}处数字与复核结果不一致，见“校验警告”" if n else "；校验未发现不一致的数字"),
    )
    return redirect("submission", pk=sub.pk)


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    funds = [f for f in request.GET.getlist("funds") if f in codebook().funds and f != "all"]
    try:
        content, name = blank_template(funds)
    except SifundError as e:
        messages.error(request, str(e))
        return redirect("submission-new")
    return http.attachment(content, XLSX, name, "sifund-template.xlsx")


# ---- detail --------------------------------------------------------------------------------------


def _metric_groups(ev: dict[str, Any]) -> list[dict[str, Any]]:
    """Metrics per fund in the code list's order: those with a value, then those that could not
    be computed (with the engine's note why)."""
    cb = codebook()
    by_fund: dict[str, list[dict[str, Any]]] = {}
    for m in ev.get("metrics") or []:
        by_fund.setdefault(m.get("fund") or "all", []).append(m)
    order = [f for f in FUND_ORDER if f in by_fund] + [f for f in by_fund if f not in FUND_ORDER]
    groups = []
    for fund in order:
        ms = by_fund[fund]
        rows = []
        for m in ms:
            inputs = [(_input_label(k), v) for k, v in (m.get("inputs") or {}).items()]
            rows.append({**m, "input_list": inputs})
        f = cb.funds.get(fund)
        groups.append(
            {
                "fund": fund,
                "name": f.name if f else fund,
                "metrics": [r for r in rows if r.get("value") is not None],
                "missing": [r for r in rows if r.get("value") is None],
            }
        )
    return groups


def _input_label(key: str) -> str:
    cb = codebook()
    if key in cb.measures:
        return cb.measures[key].name
    if key in cb.items:
        return cb.items[key].name
    return key


def _units(ev: dict[str, Any]) -> dict[str, str]:
    return {m.get("code"): m.get("unit", "") for m in ev.get("metrics") or []}


def _change(c: dict[str, Any]) -> dict[str, Any]:
    """One before/after of the history, with a Chinese hint of the field and, for a code, its name
    (``actual`` → ``实际数（actual）``)."""
    out = {**c, "label": field_label(str(c.get("field", "")))}
    m = re.search(r"\.(fund|item|measure)$", str(c.get("field", "")))
    if m:
        cb = codebook()
        table = {"fund": cb.funds, "item": cb.items, "measure": cb.measures}[m.group(1)]
        for side in ("before", "after"):
            v = c.get(side)
            if isinstance(v, str) and v in table:
                out[side] = f"{table[v].name}（{v}）"
    return out


def _events(s: Submission) -> list[dict[str, Any]]:
    out = []
    for e in s.events.select_related("user").order_by("-at", "-id"):
        changes = [_change(c) for c in e.changes or []]
        out.append(
            {
                "e": e,
                "shown": changes[:CHANGES_SHOWN],
                "folded": changes[CHANGES_SHOWN:],
                "count": len(changes),
                "capped": len(changes) >= services.MAX_CHANGES,
            }
        )
    return out


def _row_of(ds: dict[str, Any], w: dict[str, Any]) -> str:
    """Where a warning's figure sits in the dataset (``figures[3]``) when it has no place of its
    own (a figure typed into the web form carries no file line)."""
    for i, f in enumerate(ds.get("figures") or []):
        if (f.get("fund"), f.get("item"), f.get("measure"), f.get("value")) == (
            w.get("fund"), w.get("item"), w.get("measure"), w.get("stated")
        ):  # fmt: skip
            return f"figures[{i}]"
    return ""


def _detail_context(a: scope.Actor, s: Submission) -> dict[str, Any]:
    ev = s.evaluation or {}
    units = _units(ev)
    names = {m.get("code"): m.get("name", "") for m in ev.get("metrics") or []}
    risks = sorted(ev.get("risks") or [], key=lambda r: RISK_RANK.get(r.get("level"), 3))
    for r in risks:
        r["value_list"] = [
            (names.get(k) or k, v, units.get(k, "")) for k, v in (r.get("values") or {}).items()
        ]
    findings = sorted(ev.get("findings") or [], key=lambda f: SEVERITY_RANK.get(f.get("severity"), 3))
    warnings = ev.get("warnings")
    if warnings is None:
        warnings = ev.get("corrections") or []
    warnings = [{**w, "row": _row_of(s.dataset, w)} if not w.get("place") else w for w in warnings]
    sc = ev.get("score") or {}
    groups = [
        {"name": g, "weight": w, "score": (sc.get("group_scores") or {}).get(g)}
        for g, w in (sc.get("group_weights") or {}).items()
    ]
    actions = scope.allowed_actions(a, s)
    returned = None
    if s.status == "returned":
        returned = s.events.filter(action="return").select_related("user").order_by("-at", "-id").first()
    return {
        "s": s,
        "returned": returned,
        "ev": ev,
        "sc": sc,
        "score_groups": groups,
        "indicators": ev.get("indicators") or [],
        "metric_groups": _metric_groups(ev),
        "risks": risks,
        "risk_counts": {"高": s.risk_high, "中": s.risk_medium, "低": s.risk_low},
        "findings": findings,
        "finding_counts": {k: sum(1 for f in findings if f.get("severity") == k) for k in SEVERITY_RANK},
        "warnings": warnings,
        "actions": actions,
        "can_edit": "update" in actions,
        "events": _events(s),
        "downloads": DOWNLOADS,
        "warnings_count": len(warnings),
    }


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    s = scope.submission(a, pk)
    ctx = _detail_context(a, s)
    ctx["evaluation_html"] = _evaluation_html(s, ctx)
    return render(request, "sifund/submissions/detail.html", ctx)


def _evaluation_html(s: Submission, ctx: dict[str, Any]) -> SafeString:
    """The evaluation part of the page: the same for every reader of this version, so rendered once
    per process and version (Jinja2, :mod:`sifund.web.jinja`)."""
    key = f"sifund:evaluation:{s.pk}:{s.version}:{s.updated_at.isoformat()}"
    html = cache.get(key)
    if html is None:
        html = jinja.render("sifund/submissions/_evaluation.jinja", ctx)
        cache.set(key, str(html), 600)
    return mark_safe(html)  # rendered with autoescaping by jinja.render


@login_required
def submission_history(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    s = scope.submission(a, pk)
    return render(request, "sifund/submissions/history.html", {"s": s, "events": _events(s)})


@login_required
@require_POST
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = http.page_actor(request)
    s = scope.submission(a, pk)
    if action not in ACTION_LABELS:
        raise Http404
    try:
        services.transition(a, s.pk, action, request.POST.get("comment", ""))
    except services.BadInput as e:
        messages.error(
            request, f"未能{ACTION_LABELS[action]}：" + "；".join(p["message"] for p in e.problems)
        )
    except scope.Forbidden as e:
        messages.error(request, f"未能{ACTION_LABELS[action]}：{e}")
    else:
        messages.success(request, DONE[action])
    return redirect("submission", pk=s.pk)


# ---- downloads -----------------------------------------------------------------------------------


@login_required
def submission_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    a = http.page_actor(request)
    s = scope.submission(a, pk)  # 404 outside the caller's area, before the name is looked at
    stem = f"{s.region.name}{s.year}年社会保险基金绩效数据（版本{s.version}）"
    fallback = f"sifund-{s.year}-{s.pk}-{name}"
    if name in services.FILES:
        try:
            content, ctype, filename = services.render_file(s, name)
        except services.BadInput as e:
            messages.error(request, f"无法生成{name}：{e}")
            return redirect("submission", pk=s.pk)
        return http.attachment(content, ctype, filename, fallback)
    if name == "dataset.yaml":
        text = yaml.safe_dump(public_dataset(s), allow_unicode=True, sort_keys=False, width=1000)
        return http.attachment(
            text.encode("utf-8"), "application/yaml; charset=utf-8", f"{stem}.yaml", fallback
        )
    if name == "dataset.json":
        text = json.dumps(public_dataset(s), ensure_ascii=False, indent=2)
        return http.attachment(
            text.encode("utf-8"), "application/json; charset=utf-8", f"{stem}.json", fallback
        )
    if name == "audit.xlsx":
        filename = f"{s.region.name}{s.year}年社会保险基金数据审核结果.xlsx"
        return http.attachment(audit_workbook(s), XLSX, filename, fallback)
    raise Http404


# ---- edit ----------------------------------------------------------------------------------------


def _metric_options(s: Submission) -> str:
    seen: dict[str, str] = {}
    for m in (s.evaluation or {}).get("metrics") or []:
        seen.setdefault(str(m.get("code")), str(m.get("name") or m.get("code")))
    return "".join(f'<option value="{escape(c)}">{escape(n)}</option>' for c, n in sorted(seen.items()))


def _edit_context(s: Submission, state: EditState, version: int, **extra: Any) -> dict[str, Any]:
    metrics = _metric_options(s)
    judgements = "".join(f'<option value="{c}">{n}</option>' for c, n in JUDGEMENTS if c)
    for row in state.figures:
        row.cells = figure_cells(row)
    for row in state.indicators:
        row.cells = {
            "fund": select(
                f"i-{row.key}-fund", code_options("fund"), row.values.get("fund", ""), blank="（不限）"
            ),
            "metric": select(
                f"i-{row.key}-metric", metrics, row.values.get("metric", ""), blank="（自动匹配）"
            ),
            "judgement": select(
                f"i-{row.key}-judgement",
                judgements,
                row.values.get("judgement", ""),
                blank="（按目标值判断）",
            ),
        }
    tpl_fig = Row(key="__K__", values={"fund": "", "item": "", "measure": "actual", "value": ""})  # type: ignore[arg-type]
    tpl_fig.cells = {
        name: select(
            f"f-__K__-{name}",
            code_options(name),
            tpl_fig.values[name],
            blank="—" if name != "measure" else None,
        )
        for name in ("fund", "item", "measure")
    }
    tpl_ind = Row(key="__K__", values={})  # type: ignore[arg-type]
    tpl_ind.cells = {
        "fund": select("i-__K__-fund", code_options("fund"), "", blank="（不限）"),
        "metric": select("i-__K__-metric", metrics, "", blank="（自动匹配）"),
        "judgement": select("i-__K__-judgement", judgements, "", blank="（按目标值判断）"),
    }
    return {
        "s": s,
        "state": state,
        "version": version,
        "next_f": state.next_key("f"),
        "next_i": state.next_key("i"),
        "tpl_fig": tpl_fig,
        "tpl_ind": tpl_ind,
        "warnings": (s.evaluation or {}).get("warnings") or [],
        "code_templates": {k: code_options(k) for k in ("fund", "item", "measure")},
        "level1": state.suggestions("level1", LEVEL1),
        "level2": state.suggestions("level2", LEVEL2),
        "filter_funds": state.filter_funds(),
        **extra,
    }


def _editable(a: scope.Actor, pk: int) -> Submission:
    s = scope.submission(a, pk)
    try:
        scope.can_edit(a, s)
    except scope.Forbidden as e:
        raise PermissionDenied(str(e)) from None
    return s


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    s = _editable(a, pk)
    if request.method == "GET":
        state = EditState.from_dataset(s.dataset, (s.evaluation or {}).get("warnings"))
        return render(request, "sifund/submissions/edit.html", _edit_context(s, state, s.version))
    version = http.int_param(request.POST.get("version"))
    overwrite = http.int_param(request.POST.get("overwrite"))
    state = EditState.from_post(request.POST)
    data = state.to_interchange(s.dataset)
    try:
        loaded = services.parse_body(data)
        sub = services.update_submission(a, s.pk, loaded, if_match=overwrite or version)
    except services.BadInput as e:
        state.attach(e.problems)
        return render(
            request, "sifund/submissions/edit.html", _edit_context(s, state, version or 0), status=400
        )
    except services.Conflict as e:
        s.refresh_from_db()
        ctx = _edit_context(s, state, version or 0, conflict=str(e), latest=s)
        return render(request, "sifund/submissions/edit.html", ctx, status=409)
    except scope.Forbidden as e:
        s.refresh_from_db()
        ctx = _edit_context(s, state, version or 0, forbidden=str(e))
        return render(request, "sifund/submissions/edit.html", ctx, status=403)
    if sub.version == (overwrite or version):
        messages.info(request, "没有修改，未生成新版本")
    else:
        n = sub.warnings
        messages.success(
            request,
            f"已保存为版本{sub.version}，评价已重新计算" + (f"；校验警告{n}处" if n else ""),
        )
    return redirect("submission", pk=sub.pk)


@login_required
@require_POST
def submission_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """A new file for this submission (the API's PUT with a file): same region, If-Match."""
    a = http.page_actor(request)
    s = _editable(a, pk)
    version = http.int_param(request.POST.get("version"))
    form = UploadForm(request.POST, request.FILES)
    state = EditState.from_dataset(s.dataset, (s.evaluation or {}).get("warnings"))
    if not form.is_valid():
        problems = [{"place": "file", "message": m} for ms in form.errors.values() for m in ms]
        ctx = _edit_context(s, state, s.version, upload_problems=problems)
        return render(request, "sifund/submissions/edit.html", ctx, status=400)
    upload = form.cleaned_data["file"]
    try:
        loaded, _kind = services.load_upload(upload)
        sub = services.update_submission(a, s.pk, loaded, if_match=version, source_name=str(upload.name))
    except services.BadInput as e:
        ctx = _edit_context(s, state, s.version, upload_problems=e.problems, upload_name=upload.name)
        return render(request, "sifund/submissions/edit.html", ctx, status=400)
    except services.Conflict as e:
        s.refresh_from_db()
        state = EditState.from_dataset(s.dataset, (s.evaluation or {}).get("warnings"))
        ctx = _edit_context(s, state, s.version, upload_conflict=str(e), upload_name=upload.name)
        return render(request, "sifund/submissions/edit.html", ctx, status=409)
    except scope.Forbidden as e:
        ctx = _edit_context(s, state, s.version, upload_forbidden=str(e), upload_name=upload.name)
        return render(request, "sifund/submissions/edit.html", ctx, status=403)
    if sub.version == version:
        messages.info(request, f"“{upload.name}”与当前数据相同，未生成新版本")
    else:
        messages.success(request, f"已用“{upload.name}”替换数据，保存为版本{sub.version}")
    return redirect("submission", pk=sub.pk)


urlpatterns = [
    path("submissions/", submission_list, name="submissions"),
    path("submissions/new/", submission_new, name="submission-new"),
    path("submissions/template.xlsx", template_download, name="submission-template"),
    path("submissions/<int:pk>/", submission_detail, name="submission"),
    path("submissions/<int:pk>/history/", submission_history, name="submission-history"),
    path("submissions/<int:pk>/edit/", submission_edit, name="submission-edit"),
    path("submissions/<int:pk>/replace/", submission_replace, name="submission-replace"),
    path("submissions/<int:pk>/act/<slug:action>/", submission_action, name="submission-action"),
    path("submissions/<int:pk>/files/<str:name>", submission_file, name="submission-file"),
]
