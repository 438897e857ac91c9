"""Pages: the payment audit's 疑点 lists and their verification (核查).

``/payments/``                     the runs in the caller's scope, and the form to import a result
                                   (.json of ``sifund payments audit``) or upload tables (.zip)
``/payments/runs/<id>/``           one region's 疑点 list: summary by risk and rule (counts, 确认问题,
                                   追回金额), the hit table with filters and pages, the workbook download,
                                   and writing the figures into the region's self-evaluation; while an
                                   uploaded .zip waits or is audited, its state (排队中/筛查中, reloading
                                   itself) or why it failed (失败)
``/payments/runs/<id>/workbook.xlsx``  the 疑点清单 workbook (the CLI's writer)
``/payments/runs/<id>/feed/``      POST: the 疑点核查 figures into a submission (``payment_audit``)
``/payments/hits/<id>/``           a hit: evidence rows, reason, the verification form (POST) and its
                                   history

Who sees and does what is :mod:`sifund.web.payments` (its docstring); this module only asks.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sifund.web import http, scope
from sifund.web import payments as pay
from sifund.web.models import EDITABLE, Submission
from sifund.web.payment_models import CONCLUDED, DONE, QUEUED, VERIFY_STATUSES, PaymentHit, PaymentRun

PAGE_SIZE = 50
REFRESH_SECONDS = 3  # the page of a run not yet finished reloads itself this often
RISKS = [("high", "高"), ("medium", "中"), ("low", "低")]
TABLE_NAMES = {
    "payments": "支付记录",
    "deaths": "死亡记录",
    "contributions": "缴费记录",
    "people": "参保人员",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _regions_for_create(a: scope.Actor) -> list[Any]:
    out = []
    for r in scope.regions(a):
        try:
            pay.can_create_run(a, r)
            out.append(r)
        except scope.Forbidden:
            pass
    return out


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    a = http.page_actor(request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            region = pay.region_for(a, request.POST.get("region"))
            upload = request.FILES.get("file")
            if upload is None:
                raise pay.BadInput([{"place": "file", "message": "请选择要上传的文件"}])
            r = pay.create_run_from_upload(a, region, upload)
        except scope.Forbidden as e:
            raise PermissionDenied(str(e)) from None
        except pay.BadInput as e:
            errors = e.problems or [{"place": "file", "message": "文件无法读取"}]
        else:
            if r.state == QUEUED:
                messages.success(request, f"已上传{r.region.name}的支付数据，正在排队筛查；本页将自动刷新")
            else:
                messages.success(request, f"已建立{r.region.name}的疑点筛查：疑点{r.hit_count}条")
            return redirect(f"/payments/runs/{r.pk}/")
    qs = pay.runs(a).defer("summary")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    creatable = _regions_for_create(a)
    return render(
        request,
        "sifund/payments/list.html",
        {
            "page": page,
            "errors": errors,
            "regions": creatable,
            "mine": a.region.pk if a.region else None,
            "max_mb": pay.upload_max_bytes() // pay.MB,
        },
        status=400 if errors else 200,
    )


def _feed_targets(a: scope.Actor, r: PaymentRun) -> list[Submission]:
    """The submissions of the run's region and years the caller may write the figures into."""
    if r.year_first is None:
        return []
    qs = (
        scope.submissions(a)
        .filter(region=r.region, year__gte=r.year_first, year__lte=r.year_last, status__in=EDITABLE)
        .defer("dataset", "evaluation")
        .order_by("-year", "-id")
    )
    out = []
    for s in qs[:20]:
        try:
            scope.can_edit(a, s)
            out.append(s)
        except scope.Forbidden:
            pass
    return out


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = pay.run(a, pk)
    if r.state != DONE:  # 排队中 / 筛查中 (the page refreshes itself) / 失败 (why)
        return render(
            request,
            "sifund/payments/job.html",
            {"run": r, "refresh": REFRESH_SECONDS, "problems": r.problems},
        )
    f = pay.HitFilter.of(request.GET)
    page = Paginator(pay.hits(r, f), PAGE_SIZE).get_page(request.GET.get("page"))
    rules = pay.by_rule(r)
    names = {x["rule"]: x["name"] for x in rules}
    rows = [{"h": h, "rule_name": names.get(h.rule, h.rule)} for h in page.object_list]
    figures = pay.report_figures(r)
    return render(
        request,
        "sifund/payments/run.html",
        {
            "run": r,
            "rules": rules,
            "risks_summary": pay.by_risk(rules),
            "totals": pay.totals(r),
            "figures": figures,
            "sentence": pay.report_sentence(figures),
            "page": page,
            "rows": rows,
            "f": f,
            "query": urlencode(f.query()),
            "statuses": VERIFY_STATUSES,
            "risks": RISKS,
            "workbook": pay.has_workbook(),
            "feed_targets": _feed_targets(a, r),
        },
    )


@login_required
@require_GET
def run_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = pay.run(a, pk)
    if not pay.has_workbook() or r.state != DONE:
        raise Http404("疑点清单工作簿不可用")
    stem = f"{r.region.name}{r.period_first}至{r.period_last}疑点清单"
    return http.attachment(pay.workbook(r), XLSX, f"{stem}.xlsx", f"sifund-payments-{r.pk}.xlsx")


@login_required
@require_POST
def run_feed(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = pay.run(a, pk)
    sub_pk = http.int_param(request.POST.get("submission"))
    if sub_pk is None:
        messages.error(request, "未指明要写入的自评提交")
        return redirect(f"/payments/runs/{r.pk}/")
    try:
        sub, _ = pay.feed_submission(a, sub_pk, r.pk)
    except scope.Forbidden as e:
        raise PermissionDenied(str(e)) from None
    except (pay.BadInput, pay.Conflict) as e:
        messages.error(request, f"未写入：{e}")
        return redirect(f"/payments/runs/{r.pk}/")
    fig = sub.dataset.get("payment_audit") or {}
    messages.success(
        request,
        f"已写入{sub.region.name}{sub.year}年自评（版本{sub.version}）：核查疑点数据{fig.get('checked')}条，"
        f"确认问题{fig.get('confirmed')}条，追回资金{fig.get('recovered', 0):.2f}万元",
    )
    return redirect(f"/submissions/{sub.pk}/")


def _evidence(h: PaymentHit) -> list[dict[str, Any]]:
    out = []
    for x in h.rows or []:
        extra = {k: v for k, v in x.items() if k not in ("table", "row")} if isinstance(x, dict) else {}
        table = x.get("table", "") if isinstance(x, dict) else ""
        out.append(
            {
                "table": table,
                "table_name": TABLE_NAMES.get(table, table),
                "row": x.get("row") if isinstance(x, dict) else x,
                "values": extra,
            }
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    h = pay.hit(a, pk)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            h = pay.verify(
                a,
                h.pk,
                request.POST.get("status"),
                request.POST.get("note", ""),
                request.POST.get("recovered", ""),
                http.int_param(request.POST.get("version")),
            )
        except scope.Forbidden as e:
            raise PermissionDenied(str(e)) from None
        except pay.Conflict as e:
            errors = [{"place": "", "message": str(e)}]
        except pay.BadInput as e:
            errors = e.problems
        else:
            messages.success(request, f"已保存核查结果：{h.status_name}")
            return redirect(f"/payments/hits/{h.pk}/")
    events = list(h.events.select_related("user").order_by("-at", "-id"))
    names = h.run.rule_names()
    return render(
        request,
        "sifund/payments/hit.html",
        {
            "h": h,
            "run": h.run,
            "rule_name": names.get(h.rule, h.rule),
            "evidence": _evidence(h),
            "events": events,
            "statuses": VERIFY_STATUSES,
            "may_verify": pay.may_verify(a, h),
            "may_conclude": a.is_reviewer or h.status not in CONCLUDED,
            "errors": errors,
            "form": request.POST if errors else None,
        },
        status=400 if errors else 200,
    )


urlpatterns = [
    path("payments/", run_list, name="payments"),
    path("payments/runs/<int:pk>/", run_detail, name="payment-run"),
    path("payments/runs/<int:pk>/workbook.xlsx", run_workbook, name="payment-workbook"),
    path("payments/runs/<int:pk>/feed/", run_feed, name="payment-feed"),
    path("payments/hits/<int:pk>/", hit_detail, name="payment-hit"),
]
