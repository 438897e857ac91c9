"""The payment audit's JSON API under /api/v1/payments/ (a django-ninja Router that jsonapi.py
mounts; authentication, the 400/401/403/404/409 bodies and the JSON 500 are jsonapi.py's).

- GET ``/payments/runs?region=&year=``: ``{"results": [run]}``, the runs the caller sees.
- POST ``/payments/runs``: multipart ``file`` (a result ``.json`` or tables ``.zip``) and
  ``region``, or the result JSON as the body (``?region=``) → 201 run (a result: imported at
  once); a ``.zip`` → 202 run with ``state`` ``queued`` and its ``url`` (also ``Location``), audited
  in the background: poll the url until ``state`` is ``done`` (or ``failed``, with ``errors``);
  400 ``{"errors"}`` for a file that is not a safe table .zip.
- GET ``/payments/runs/{id}?rule=&risk=&status=&q=&page=&per_page=``: the run, ``by_rule``,
  ``by_risk``, ``totals`` and one page of hits (``results``).
- GET ``/payments/runs/{id}/figures``: the report's 疑点核查 figures (a dataset's ``payment_audit``).
- GET ``/payments/runs/{id}/files/疑点清单.xlsx``: the workbook (when its writer is installed).
- GET ``/payments/hits/{id}``: a hit with its evidence rows and history.
- PATCH ``/payments/hits/{id}``: ``{"status", "note", "recovered"}`` (any of them; ``If-Match``).
- POST ``/payments/submissions/{id}/feed``: ``{"run": id}`` (optional) → the figures written
  into the submission.

Who may do what: :mod:`sifund.web.payments`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from sifund.web import http, scope
from sifund.web import payments as pay
from sifund.web.payment_models import DONE, FAILED, QUEUED, VERIFY_NAMES, PaymentHit, PaymentRun
from sifund.web.services import BadInput

router = Router(tags=["payments"])
PER_PAGE, MAX_PER_PAGE = 100, 1000
WORKBOOK = "疑点清单.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Problem(Schema):
    place: str
    message: str


class _Errors(Schema):
    errors: list[_Problem]


class _Detail(Schema):
    detail: str


ERR = {400: _Errors, 401: _Detail, 403: _Detail, 404: _Detail}


class RunOut(_Out):
    id: int
    region: str
    periods: list[str]
    hits: int
    amount: float
    source: str = Field(..., description="import（导入结果）| upload（上传数据筛查）")
    state: str = Field(..., description="queued（排队中）| running（筛查中）| done（已完成）| failed（失败）")
    url: str
    created_by: str
    created_at: str


class RunList(_Out):
    results: list[RunOut]


class HitOut(_Out):
    id: int
    rule: str
    risk: str
    person_id: str
    name: str
    periods: list[str]
    amount: float
    status: str = Field(..., description="pending | checking | confirmed | excluded")
    note: str
    recovered: float
    version: int


class RunDetail(RunOut):
    totals: dict[str, Any]
    by_rule: list[dict[str, Any]]
    by_risk: list[dict[str, Any]]
    count: int
    page: int
    pages: int
    results: list[HitOut]


class VerifyIn(Schema):
    status: str | None = Field(None, description="pending | checking | confirmed | excluded")
    note: str | None = Field(None, max_length=pay.NOTE_MAX)
    recovered: float | str | None = Field(None, description="追回金额，元，两位小数")


class FeedIn(Schema):
    run: int | None = None


def _actor(request: HttpRequest) -> scope.Actor:
    return scope.actor(getattr(request, "auth", None) or request.user)


def _f(d: Decimal | float | None) -> float:
    return float(d or 0)


def run_out(r: PaymentRun) -> dict[str, Any]:
    return {
        "id": r.pk,
        "region": r.region.name,
        "periods": [r.period_first, r.period_last],
        "years": [r.year_first, r.year_last],
        "hits": r.hit_count,
        "amount": _f(r.amount),
        "payments": r.payments,
        "people": r.people,
        "source": r.source,
        "source_name": r.source_name,
        "engine": r.engine,
        "catalogue_version": r.catalogue_version,
        "state": r.state,
        "state_name": r.state_name,
        "url": f"/api/v1/payments/runs/{r.pk}",
        **({"errors": r.problems} if r.state == FAILED else {}),
        "created_by": r.created_by.get_username(),
        "created_at": r.created_at.isoformat(),
        "started_at": r.started_at.isoformat() if r.started_at else None,
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
    }


def hit_out(h: PaymentHit) -> dict[str, Any]:
    out = {
        "id": h.pk,
        "run": h.run_id,
        "rule": h.rule,
        "risk": h.risk,
        "person_id": h.person_id,
        "name": h.name,
        "periods": h.periods,
        "amount": _f(h.amount),
        "reason": h.reason,
        "status": h.status,
        "status_name": VERIFY_NAMES.get(h.status, h.status),
        "note": h.note,
        "recovered": _f(h.recovered),
        "version": h.version,
        "updated_at": h.updated_at.isoformat() if h.updated_at else None,
    }
    if h.other_ids:
        out["other_ids"] = h.other_ids
    return out


def _money(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (_f(v) if isinstance(v, Decimal) else v) for k, v in x.items()} for x in rows]


@router.get("/runs", response={200: RunList, **ERR})
def list_runs(
    request: HttpRequest,
    region: str | None = Query(None, description="地区名称（精确匹配）"),
    year: int | None = None,
) -> Any:
    """The payment audits the caller sees, newest first."""
    qs = pay.runs(_actor(request))
    if region:
        qs = qs.filter(region__name=region.strip())
    if year is not None:
        qs = qs.filter(year_first__lte=year, year_last__gte=year)
    return {"results": [run_out(r) for r in qs[:1000]]}


@router.post(
    "/runs",
    response={201: RunOut, 202: RunOut, **ERR},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {
                                "type": "string",
                                "format": "binary",
                                "description": "sifund payments audit 的 JSON 结果，或支付数据表的 .zip",
                            },
                            "region": {"type": "string", "description": "地区名称（默认本人所属地区）"},
                        },
                    }
                },
                "application/json": {"schema": {"type": "object", "description": "AuditResult"}},
            }
        }
    },
)
def create_run(
    request: HttpRequest, response: HttpResponse, region: str | None = Query(None, description="地区名称")
) -> Any:
    """Import a result (``.json``: 201) or queue uploaded tables (``.zip``: 202, audited in the
    background; poll ``url``) for a region."""
    from sifund.web.jsonapi import _load_files

    a = _actor(request)
    ctype = request.content_type or ""
    if ctype.startswith("multipart/") or ctype == "application/x-www-form-urlencoded":
        target = pay.region_for(a, request.POST.get("region") or region)
        upload = _load_files(request).get("file")
        if upload is None:
            raise BadInput([{"place": "file", "message": "缺少上传文件（表单字段 file）"}])
        r = pay.create_run_from_upload(a, target, upload)
    else:
        target = pay.region_for(a, region)
        pay.can_create_run(a, target)
        if len(request.body) > pay.upload_max_bytes():
            raise BadInput([{"place": "body", "message": "请求体过大"}])
        r = pay.create_run(a, target, pay.load_json_bytes(request.body), "import", "")
    if r.state == QUEUED:
        response["Location"] = run_out(r)["url"]
        return Status(202, run_out(r))
    return Status(201, run_out(r))


@router.get("/runs/{int:id}", response={200: RunDetail, **ERR})
def get_run(
    request: HttpRequest,
    id: int,
    rule: str = "",
    risk: str = Query("", description="high | medium | low"),
    status: str = Query("", description="pending | checking | confirmed | excluded"),
    q: str = Query("", description="身份证号码（前缀）或姓名"),
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Any:
    """A run: its summary by rule and risk, the verification totals and one page of hits."""
    r = pay.run(_actor(request), id)
    if status and status not in VERIFY_NAMES:
        raise BadInput([{"place": "status", "message": f"核查状态应为 {'/'.join(VERIFY_NAMES)} 之一"}])
    f = pay.HitFilter(rule.strip(), risk.strip(), status, q.strip())
    qs = pay.hits(r, f)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    count = qs.count()
    pages = max(1, -(-count // per_page))
    page = max(1, min(page, pages))
    rules = pay.by_rule(r)
    totals = pay.totals(r)
    return {
        **run_out(r),
        "summary": r.ordered_summary,
        "totals": {k: (_f(v) if isinstance(v, Decimal) else v) for k, v in totals.items()},
        "by_rule": _money(rules),
        "by_risk": _money(pay.by_risk(rules)),
        "count": count,
        "page": page,
        "pages": pages,
        "results": [hit_out(h) for h in qs[(page - 1) * per_page : page * per_page]],
    }


@router.get("/runs/{int:id}/figures", response={200: dict[str, Any], **ERR})
def run_figures(request: HttpRequest, id: int) -> Any:
    """The 疑点核查 figures the report states (a dataset's ``payment_audit``; 追回资金 in 万元); a run
    still queued, running or failed has none (400, as the feed answers), not zeros."""
    r = pay.run(_actor(request), id)
    if r.state != DONE:
        raise BadInput([{"place": "run", "message": f"该疑点筛查{r.state_name}，尚无结果"}])
    return pay.report_figures(r)


@router.get("/runs/{int:id}/files/{name}", response={**ERR}, include_in_schema=False)
def run_file(request: HttpRequest, id: int, name: str) -> HttpResponse:
    r = pay.run(_actor(request), id)
    if name != WORKBOOK or not pay.has_workbook() or r.state != DONE:
        raise Http404
    stem = f"{r.region.name}{r.period_first}至{r.period_last}疑点清单"
    return http.attachment(pay.workbook(r), XLSX, f"{stem}.xlsx", f"sifund-payments-{r.pk}.xlsx")


@router.get("/hits/{int:id}", response={200: HitOut, **ERR})
def get_hit(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    """A hit: its evidence rows, reason, verification and history, and whether the caller may verify."""
    a = _actor(request)
    h = pay.hit(a, id)
    response["ETag"] = f'"{h.version}"'
    return {**hit_out(h), "rows": h.rows, "history": pay.history(h), "may_verify": pay.may_verify(a, h)}


@router.patch("/hits/{int:id}", response={200: HitOut, **ERR, 409: _Detail})
def verify_hit(
    request: HttpRequest,
    id: int,
    body: VerifyIn,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match", description="疑点的版本"),
) -> Any:
    """Change a hit's verification status, note and/or 追回金额 (元); every change is recorded."""
    from sifund.web.jsonapi import if_match_version

    a = _actor(request)
    pay.hit(a, id)  # 404 first
    h = pay.verify(a, id, body.status, body.note, body.recovered, if_match_version(if_match))
    response["ETag"] = f'"{h.version}"'
    return {**hit_out(h), "history": pay.history(h)}


@router.post("/submissions/{int:id}/feed", response={200: dict[str, Any], **ERR, 409: _Detail})
def feed(request: HttpRequest, id: int, body: FeedIn | None = None) -> Any:
    """Write the 疑点核查 figures (the given run's, else the region's latest for the submission's
    year) into a draft/returned submission's dataset (``payment_audit``)."""
    sub, r = pay.feed_submission(_actor(request), id, body.run if body else None)
    return {
        "submission": {"id": sub.pk, "region": sub.region.name, "year": sub.year, "version": sub.version},
        "run": r.pk,
        "payment_audit": sub.dataset.get("payment_audit"),
    }
