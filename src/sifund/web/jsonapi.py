"""The JSON API under /api/v1/ (web.md), on django-ninja: OpenAPI at /api/v1/schema.

Authentication: ``Authorization: Token <key>`` for scripts (no CSRF), the session (with CSRF on
unsafe methods) for the browser; neither → 401. Outside the caller's scope → 404, with the same
body as an id that does not exist; a forbidden action → 403; a malformed upload or body → 400
``{"errors": [{"place", "message"}]}`` (``基金收支!E12``, ``line 4``, ``figures[2].value``); a stale
``If-Match`` → 409; anything unexpected → a JSON 500 (the traceback goes to the log), never an
HTML page.

Every endpoint calls :mod:`sifund.web.services` (writes), :mod:`sifund.web.scope` (who sees and
does what) and :mod:`sifund.web.dashboard` — the same functions as the pages.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, File, Header, NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyHeader, SessionAuth
from ninja.utils import check_csrf
from pydantic import BaseModel, ConfigDict

from sifund import api as sifund_api
from sifund.web import http, scope, services
from sifund.web.auth import Throttled, check_login, user_for_token
from sifund.web.dashboard import grid_rows
from sifund.web.models import STATUS_NAMES, ApiToken, FindingComment, Review, Submission
from sifund.web.services import BadInput, Conflict

log = logging.getLogger("django.request")  # where Django logs its own 500s

# ---- authentication ----------------------------------------------------------------------------


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` (the DRF convention web.md names). A request carrying a
    valid token needs no CSRF token: a browser never adds this header by itself."""

    param_name = "Authorization"
    openapi_description = "Authorization: Token <key>（由 POST /api/v1/token 获得）"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        scheme, _, value = key.strip().partition(" ")
        if scheme.lower() != "token":
            return None
        user = user_for_token(value.strip())
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """The logged-in browser session; unsafe methods must carry the CSRF token (403 without).

    The CSRF check is made only for a session that is logged in, so a script with a wrong or
    missing token gets 401 (not authenticated), not a CSRF 403."""

    openapi_description = "浏览器会话（sessionid Cookie），POST/PUT 需带 X-CSRFToken 头"

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            self._keep_body(request)
            if check_csrf(request):
                raise scope.Forbidden("CSRF 校验失败：请刷新页面后重试（请求需带 X-CSRFToken 头）")
        return user

    @staticmethod
    def _keep_body(request: HttpRequest) -> None:
        """Read the body before the CSRF check parses a form out of it: ninja reads
        ``request.body`` afterwards, which Django refuses once the stream was consumed. Bounded by
        DATA_UPLOAD_MAX_MEMORY_SIZE (the upload limit + 1 MB); a larger body is refused later."""
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        with contextlib.suppress(RequestDataTooBig):
            request.body  # noqa: B018 (Django caches it on the request)


class _Parser(Parser):
    """JSON bodies (a syntax error is a 400 naming the line: ``line 4``); a form post (a browser
    form, or a bare POST without a body) is read as its fields."""

    def parse_body(self, request: HttpRequest) -> Any:
        ctype = request.content_type or ""
        if ctype.startswith("multipart/") or ctype == "application/x-www-form-urlencoded":
            return request.POST.dict() or None
        return json_of(request.body)


def json_of(body: bytes) -> Any:
    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise BadInput([{"place": "body", "message": "请求体不是 UTF-8 编码的 JSON"}]) from None
    except json.JSONDecodeError as e:
        why = f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}"
        raise BadInput([{"place": f"line {e.lineno}", "message": why}]) from None


class _Renderer(JSONRenderer):
    """UTF-8 JSON with the Chinese as it is (not ``\\uXXXX``): readable, and half the bytes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="sifund API",
    version="1",
    description=(
        "社会保险基金预算绩效管理系统接口（web.md）。脚本用 `Authorization: Token <token>`"
        "（POST /api/v1/token 获取），浏览器用登录会话与 CSRF。"
        "401 未登录或令牌无效；404 对象不存在或不在权限范围内；403 无权执行此操作；"
        '400 `{"errors": [{"place", "message"}]}`；409 版本已过期（If-Match）。'
    ),
    auth=[TokenAuth(), BrowserSession(csrf=True)],
    openapi_url="/schema",
    docs_url="/docs",
    urls_namespace="api-v1",
    parser=_Parser(),
    renderer=_Renderer(),
)


# ---- errors ------------------------------------------------------------------------------------

PYDANTIC_MESSAGES = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "bool_parsing": "应为 true/false",
    "extra_forbidden": "不认识的字段",
}
SOURCES = ("body", "query", "form", "path", "header", "file", "cookie")


def _errors(request: HttpRequest, problems: list[dict[str, str]], status: int = 400) -> HttpResponse:
    return api.create_response(request, {"errors": problems}, status=status)


def _detail(request: HttpRequest, detail: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(BadInput)
def _bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
    return _errors(request, exc.problems)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for e in exc.errors:
        # ninja's loc: (source, [body parameter name,] field…); a body is one schema parameter
        loc = list(e.get("loc", ()))
        if loc and loc[0] in SOURCES:
            loc = loc[2:] if loc[0] == "body" and len(loc) > 2 else loc[1:]
        place = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".")
        msg = PYDANTIC_MESSAGES.get(str(e.get("type", "")), str(e.get("msg", "格式不正确")))
        problems.append({"place": place, "message": msg})
    return _errors(request, problems)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, BadInput):  # a JSON syntax error raised by _Parser
        return _errors(request, exc.__cause__.problems)
    if exc.status_code == 400:
        return _errors(request, [{"place": "body", "message": "请求体无法解析"}])
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(scope.Forbidden)
def _forbidden(request: HttpRequest, exc: scope.Forbidden) -> HttpResponse:
    return _detail(request, str(exc) or "您没有权限执行此操作", 403)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _detail(request, str(exc), 409)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # one body whether the object does not exist or is outside the caller's scope
    return _detail(request, "未找到", 404)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    r = _detail(request, "未登录或令牌无效", 401)
    r["WWW-Authenticate"] = 'Token realm="sifund"'
    return r


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _detail(request, str(exc), 429)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return _errors(request, [{"place": "body", "message": "请求体过大"}])
    if isinstance(exc, TooManyFieldsSent):
        return _errors(request, [{"place": "body", "message": "表单字段过多"}])
    return _errors(request, [{"place": "", "message": "请求无效"}])


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _errors(request, [{"place": "file", "message": "multipart 表单格式不正确，无法读取上传的文件"}])


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.error("API error: %s %s", request.method, request.path, exc_info=exc)
    return _detail(request, "服务器内部错误", 500)


# ---- schemas (for validation and the OpenAPI description; extra fields are allowed) -----------


class Out(BaseModel):
    """An answer: the keys web.md names, and whatever else the endpoint adds (kept)."""

    model_config = ConfigDict(extra="allow")


class Problem(Schema):
    place: str
    message: str


class ErrorsOut(Schema):
    errors: list[Problem]


class DetailOut(Schema):
    detail: str


class Credentials(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=1000)


class TokenOut(Schema):
    token: str


class MeOut(Out):
    username: str
    role: str
    region: str | None


class SubmissionRow(Out):
    id: int
    region: str
    year: int
    status: str
    version: int
    score: float | None
    grade: str | None


class SubmissionList(Out):
    results: list[SubmissionRow]


class SubmissionShort(Out):
    id: int
    region: str
    year: int
    status: str
    version: int


class RiskOut(Out):
    level: str = Field(..., description="high | medium | low")
    message: str


class FindingOut(Out):
    code: str
    severity: str
    message: str


class EvaluationOut(Out):
    metrics: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    score: dict[str, Any] = Field(..., description="{total, grade, …}")
    risks: list[RiskOut]
    findings: list[FindingOut]
    corrections: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []


class HistoryOut(Out):
    at: str
    user: str
    action: str = Field(..., description="create | update | submit | return | approve")
    comment: str


class SubmissionDetail(SubmissionShort):
    dataset: dict[str, Any]
    evaluation: EvaluationOut
    history: list[HistoryOut]
    actions: list[str] = Field(..., description="调用者现在可执行的操作：update/submit/return/approve")


class CommentIn(Schema):
    comment: str = Field("", max_length=5000)


class ReviewOut(Out):
    id: int
    region: str | None
    year: int | None
    figures: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    unresolved: list[Any]
    version: int


class ReviewRow(Out):
    id: int
    region: str
    file: str
    uploaded_at: str
    uploaded_by: str
    report_region: str | None
    year: int | None
    findings: int


class ReviewList(Out):
    results: list[ReviewRow]


class CorrectionIn(Schema):
    index: int
    fund: str | None = None
    item: str | None = None
    measure: str | None = None


class CorrectionsIn(Schema):
    corrections: list[CorrectionIn]


class FindingCommentIn(Schema):
    finding: str = Field(..., max_length=200, description="审核发现的键：GET /reviews/{id} 的 findings[].key")
    state: str = Field(..., description="accepted | explained | to_fix")
    text: str = Field("", max_length=5000)


class FindingCommentOut(Out):
    id: int
    finding: str
    state: str
    text: str
    user: str
    at: str


class DashboardOut(Out):
    rows: list[dict[str, Any]]


ERR = {400: ErrorsOut, 401: DetailOut, 403: DetailOut, 404: DetailOut}


# ---- helpers -----------------------------------------------------------------------------------


def actor(request: HttpRequest) -> scope.Actor:
    return scope.actor(getattr(request, "auth", None) or request.user)


def short(s: Submission) -> dict[str, Any]:
    return {"id": s.pk, "region": s.region.name, "year": s.year, "status": s.status, "version": s.version}


def etag(version: int) -> str:
    return f'"{version}"'


_IF_MATCH = re.compile(r'^(?:W/)?"?\s*v?(\d{1,9})\s*"?$', re.IGNORECASE)


def if_match_version(value: str | None) -> int | None:
    """The version in ``If-Match``: ``3``, ``"3"`` or ``W/"3"`` (an ETag of this API); absent or
    ``*`` → None (no check)."""
    if value is None or value.strip() in ("", "*"):
        return None
    m = _IF_MATCH.match(value.strip())
    if not m:
        raise BadInput(
            [{"place": "If-Match", "message": f'If-Match 应为版本号（如 3 或 "3"），收到“{value[:40]}”'}]
        )
    return int(m.group(1))


def _load_files(request: HttpRequest) -> Any:
    """``request.FILES`` also for PUT (Django parses multipart only for POST)."""
    if request.method != "POST" and not hasattr(request, "_files"):
        method = request.method
        request.method = request.META["REQUEST_METHOD"] = "POST"
        try:
            request._load_post_and_files()
        finally:
            request.method = request.META["REQUEST_METHOD"] = method
    return request.FILES


def dataset_from(request: HttpRequest) -> tuple[sifund_api.Loaded, str, str]:
    """(loaded dataset, source name, kind) from a multipart ``file`` or a JSON ``{"dataset": …}``."""
    ctype = request.content_type or ""
    if ctype.startswith("multipart/") or ctype == "application/x-www-form-urlencoded":
        upload = _load_files(request).get("file")
        if upload is None:
            raise BadInput([{"place": "file", "message": "缺少上传文件（表单字段 file）"}])
        loaded, kind = services.load_upload(upload)
        return loaded, str(upload.name), kind
    try:
        body = request.body
    except RequestDataTooBig:
        raise BadInput([{"place": "body", "message": "请求体过大"}]) from None
    if not body.strip():
        raise BadInput(
            [{"place": "file", "message": '缺少数据：请上传文件（file）或提交 JSON {"dataset": …}'}]
        )
    data = json_of(body)
    if not isinstance(data, dict) or "dataset" not in data:
        raise BadInput([{"place": "dataset", "message": 'JSON 请求体应为 {"dataset": 数据集}'}])
    return services.parse_body(data["dataset"]), "", "json"


DATASET_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": ".xlsx 模板、.yaml/.json 数据集，或 .txt/.docx/.pdf 报告（提取）",
                        }
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["dataset"],
                    "properties": {
                        "dataset": {"type": "object", "description": "交换格式数据集（interchange.md）"}
                    },
                }
            },
        },
    }
}


# ---- token and caller --------------------------------------------------------------------------


@api.post("/token", auth=None, response={200: TokenOut, 400: ErrorsOut, 429: DetailOut}, tags=["auth"])
def token(request: HttpRequest, credentials: Credentials) -> Any:
    """Exchange a user name and password for an API token (login throttling applies)."""
    user = check_login(request, credentials.username, credentials.password)
    if user is None:
        raise BadInput([{"place": "password", "message": "用户名或密码不正确"}])
    return {"token": ApiToken.issue(user)}


@api.get("/me", response={200: MeOut, 401: DetailOut}, tags=["auth"])
def me(request: HttpRequest) -> Any:
    """Who the caller is: user name, role and region."""
    a = actor(request)
    return {
        "username": a.user.get_username(),
        "role": "admin" if a.is_admin else a.role,
        "region": a.region.name if a.region else None,
        "region_level": a.region.level if a.region else None,
    }


# ---- submissions -------------------------------------------------------------------------------


@api.get("/submissions", response={200: SubmissionList, **ERR}, tags=["submissions"])
def list_submissions(
    request: HttpRequest,
    year: int | None = None,
    region: str | None = Query(None, description="地区名称（精确匹配）"),
    status: str | None = Query(None, description="draft | submitted | returned | approved"),
) -> Any:
    """Every submission the caller may see, newest year first, optionally filtered."""
    qs = scope.submissions(actor(request))
    if year is not None:
        qs = qs.filter(year=year)
    if region:
        qs = qs.filter(region__name=region.strip())
    if status:
        if status not in STATUS_NAMES:
            raise BadInput([{"place": "status", "message": f"状态应为 {'/'.join(STATUS_NAMES)} 之一"}])
        qs = qs.filter(status=status)
    rows = qs.values("id", "region__name", "year", "status", "version", "score", "grade")
    return {
        "results": [
            {
                "id": r["id"],
                "region": r["region__name"],
                "year": r["year"],
                "status": r["status"],
                "version": r["version"],
                "score": r["score"],
                "grade": r["grade"] or None,
            }
            for r in rows
        ]
    }


@api.post(
    "/submissions",
    response={201: SubmissionShort, **ERR},
    openapi_extra=DATASET_BODY,
    tags=["submissions"],
)
def create_submission(request: HttpRequest) -> Any:
    """File a new draft from an upload (multipart ``file``) or a JSON ``{"dataset": …}``; the
    dataset's region must be the caller's (403 otherwise)."""
    a = actor(request)
    loaded, name, kind = dataset_from(request)
    sub = services.create_submission(a, loaded, name, kind)
    out = short(sub)
    out.update(score=sub.score, grade=sub.grade or None, warnings=sub.evaluation.get("warnings", []))
    return Status(201, out)


def evaluation_out(ev: dict[str, Any]) -> dict[str, Any]:
    """The stored evaluation with web.md's risk levels (high/medium/low; ``level_name`` keeps 高/中/低)."""
    out = dict(ev)
    out["risks"] = [
        {
            **r,
            "level": sifund_api.RISK_LEVELS.get(r.get("level"), r.get("level")),
            "level_name": r.get("level"),
        }
        for r in ev.get("risks", [])
    ]
    out.setdefault("findings", [])
    out.setdefault("corrections", [])
    out.setdefault("warnings", [])
    return out


@api.get("/submissions/{int:id}", response={200: SubmissionDetail, **ERR}, tags=["submissions"])
def get_submission(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    """One submission: its dataset, evaluation, history and what the caller may do with it."""
    a = actor(request)
    s = scope.submission(a, id)
    response["ETag"] = etag(s.version)
    return {
        **short(s),
        "region_level": s.region.level,
        "dataset": s.dataset,
        "evaluation": evaluation_out(s.evaluation),
        "history": services.history(s),
        "actions": scope.allowed_actions(a, s),
        "updated_at": s.updated_at.isoformat(),
        "updated_by": s.updated_by.get_username() if s.updated_by else "",
    }


@api.put(
    "/submissions/{int:id}",
    response={200: SubmissionShort, **ERR, 409: DetailOut},
    openapi_extra=DATASET_BODY,
    tags=["submissions"],
)
def update_submission(
    request: HttpRequest,
    id: int,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match", description='编辑所依据的版本：3、"3" 或 W/"3"'),
) -> Any:
    """Replace a draft's/returned submission's dataset; ``If-Match`` names the version the edit
    started from (409 when someone saved in between)."""
    a = actor(request)
    s = scope.submission(a, id)  # 404 first: nothing about the body for an object out of scope
    scope.can_edit(a, s)  # 403 before the body is read
    version = if_match_version(if_match)
    loaded, name, _kind = dataset_from(request)
    sub = services.update_submission(a, id, loaded, version, name)
    response["ETag"] = etag(sub.version)
    return {**short(sub), "score": sub.score, "grade": sub.grade or None}


def _transition(request: HttpRequest, id: int, action: str, body: CommentIn | None) -> Any:
    sub = services.transition(actor(request), id, action, body.comment if body else "")
    return {**short(sub), "actions": scope.allowed_actions(actor(request), sub)}


@api.post("/submissions/{int:id}/submit", response={200: SubmissionShort, **ERR}, tags=["workflow"])
def submit(request: HttpRequest, id: int, body: CommentIn | None = None) -> Any:
    """draft/returned → submitted (the preparer of the region)."""
    return _transition(request, id, "submit", body)


@api.post("/submissions/{int:id}/return", response={200: SubmissionShort, **ERR}, tags=["workflow"])
def return_(request: HttpRequest, id: int, body: CommentIn | None = None) -> Any:
    """submitted → returned, with a required ``comment`` (a reviewer of the region or above)."""
    return _transition(request, id, "return", body)


@api.post("/submissions/{int:id}/approve", response={200: SubmissionShort, **ERR}, tags=["workflow"])
def approve(request: HttpRequest, id: int, body: CommentIn | None = None) -> Any:
    """submitted → approved (a reviewer of the region or above)."""
    return _transition(request, id, "approve", body)


def file_response(s: Submission, name: str) -> HttpResponse:
    if name not in services.FILES:
        raise Http404
    content, ctype, filename = services.render_file(s, name)
    return http.attachment(content, ctype, filename, f"sifund-{s.year}-{s.pk}-{name}")


FILE_DOC = {
    "responses": {
        200: {
            "description": "文件（与 sifund report 相同的渲染器）",
            "content": {"application/octet-stream": {}},
        }
    }
}


def _file_endpoint(name: str) -> None:
    def download(request: HttpRequest, id: int) -> HttpResponse:
        return file_response(scope.submission(actor(request), id), name)

    download.__doc__ = f"Download {name} of a submission."
    api.get(
        f"/submissions/{{int:id}}/files/{name}",
        response={**ERR},
        openapi_extra=FILE_DOC,
        operation_id=f"submission_file_{name.replace('.', '_')}",
        tags=["files"],
    )(download)


for _name in services.FILES:
    _file_endpoint(_name)


@api.get("/submissions/{int:id}/files/{name}", response={**ERR}, include_in_schema=False)
def other_file(request: HttpRequest, id: int, name: str) -> Any:
    scope.submission(actor(request), id)
    raise Http404


# ---- reviews of uploaded reports ---------------------------------------------------------------


def review_out(r: Review) -> dict[str, Any]:
    res = r.result or {}
    findings = [{**f, "key": services.finding_key(f, i)} for i, f in enumerate(res.get("findings", []))]
    return {
        "id": r.pk,
        "region": res.get("region"),
        "year": res.get("year"),
        "figures": res.get("figures", []),
        "indicators": res.get("indicators", []),
        "findings": findings,
        "unresolved": res.get("unresolved", []),
        "version": r.version,
        "file": r.original_name,
        "kind": r.kind,
        "filed_under": r.region.name,
        "corrections": r.corrections,
    }


def comment_out(c: FindingComment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "finding": c.finding_key,
        "state": c.state,
        "text": c.text,
        "user": c.user.get_username(),
        "at": c.at.isoformat(),
    }


@api.get("/reviews", response={200: ReviewList, **ERR}, tags=["reviews"])
def list_reviews(request: HttpRequest) -> Any:
    """The reports uploaded for review that the caller may see."""
    out = []
    for r in scope.reviews(actor(request)).select_related("uploaded_by"):
        res = r.result or {}
        out.append(
            {
                "id": r.pk,
                "region": r.region.name,
                "file": r.original_name,
                "uploaded_at": r.uploaded_at.isoformat(),
                "uploaded_by": r.uploaded_by.get_username(),
                "report_region": res.get("region"),
                "year": res.get("year"),
                "findings": len(res.get("findings", [])),
            }
        )
    return {"results": out}


@api.post("/reviews", response={201: ReviewOut, **ERR}, tags=["reviews"])
def create_review(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """Upload a report (.txt/.docx/.pdf): its extracted figures, indicators and unresolved
    numbers (as ``sifund extract``) and audit findings (as ``sifund audit --format json``)."""
    r = services.create_review(actor(request), file)
    return Status(201, review_out(r))


@api.get("/reviews/{int:id}", response={200: ReviewOut, **ERR}, tags=["reviews"])
def get_review(request: HttpRequest, id: int, response: HttpResponse) -> Any:
    """A review: the extraction and findings, the normalised text every source offset points
    into, the corrections and the comments on findings."""
    r = scope.review(actor(request), id)
    response["ETag"] = etag(r.version)
    return {
        **review_out(r),
        "text": r.text,
        "comments": [comment_out(c) for c in r.comments.select_related("user")],
        "history": [
            {
                "at": e.at.isoformat(),
                "user": e.user.get_username() if e.user else "",
                "action": e.action,
                "comment": e.comment,
                "version": e.version,
            }
            for e in r.events.select_related("user").order_by("at", "id")
        ],
    }


@api.post("/reviews/{int:id}/corrections", response={200: ReviewOut, **ERR, 409: DetailOut}, tags=["reviews"])
def correct_review(
    request: HttpRequest,
    id: int,
    body: CorrectionsIn,
    response: HttpResponse,
    if_match: str | None = Header(None, alias="If-Match", description="审核的版本"),
) -> Any:
    """Correct figures' fund/item/measure by hand and re-run the audit."""
    a = actor(request)
    scope.review(a, id)
    version = if_match_version(if_match)
    r = services.correct_review(a, id, [c.model_dump(exclude_none=True) for c in body.corrections], version)
    response["ETag"] = etag(r.version)
    return review_out(r)


@api.post("/reviews/{int:id}/comments", response={201: FindingCommentOut, **ERR}, tags=["reviews"])
def comment_finding(request: HttpRequest, id: int, body: FindingCommentIn) -> Any:
    """Attach a comment (accepted / explained / to_fix) to a finding; comments are kept."""
    c = services.comment_finding(actor(request), id, body.finding, body.state, body.text)
    return Status(201, comment_out(c))


# ---- dashboard ---------------------------------------------------------------------------------


@api.get("/dashboard", response={200: DashboardOut, **ERR}, tags=["dashboard"])
def dashboard(request: HttpRequest, year: int | None = None) -> Any:
    """One row per region-year over the caller's area (the newest submission of each)."""
    return {"rows": grid_rows(actor(request), year)}


# ---- payment audit (疑点核查): its own router ----------------------------------------------------

from sifund.web.payments_api import router as payments_router  # noqa: E402

api.add_router("/payments", payments_router)

# the catch-all on a router of its own, mounted last: on the default router it would come before
# every mounted router's paths (ninja lists the default router's URLs first)
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown(request: HttpRequest, rest: str) -> Any:
    """An unknown API path: a JSON 404, not the HTML page."""
    raise Http404


api.add_router("", _fallback)


def json_method_not_allowed(get_response: Any) -> Any:
    """Middleware: a method an API path does not take (DELETE on a submission) answers 405 in
    JSON like every other API error, with the ``Allow`` header kept. django-ninja answers it
    before any exception handler runs, as plain text."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            detail = f"此地址不支持 {request.method} 请求" + (f"（可用：{allowed}）" if allowed else "")
            out = HttpResponse(
                json.dumps({"detail": detail}, ensure_ascii=False),
                status=405,
                content_type="application/json; charset=utf-8",
            )
            if allowed:
                out["Allow"] = allowed
            return out
        return response

    return middleware
