"""The JSON API under /api/v1/ (web.md), on django-ninja: OpenAPI at /api/v1/schema.

Authentication: ``Authorization: Token <key>`` for scripts, the session (with CSRF) for the
browser; neither → 401. Outside the caller's scope → 404; a forbidden action → 403; a malformed
upload or body → 400 ``{"errors": [{"place", "message"}]}``; a stale ``If-Match`` → 409.
Every endpoint calls :mod:`sifund.web.services` — the same functions as the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, SessionAuth

from sifund.web import scope
from sifund.web.auth import user_for_token
from sifund.web.services import BadInput, Conflict


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` (the DRF convention web.md names)."""

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


api = NinjaAPI(
    title="sifund API",
    version="1",
    description="社会保险基金预算绩效管理系统接口（web.md）",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    openapi_url="/schema",
    docs_url="/docs",
    urls_namespace="api-v1",
)


def _errors(request: HttpRequest, problems: list[dict[str, str]], status: int = 400) -> Any:
    return api.create_response(request, {"errors": problems}, status=status)


@api.exception_handler(BadInput)
def _bad_input(request: HttpRequest, exc: BadInput) -> Any:
    return _errors(request, exc.problems)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    problems = []
    for e in exc.errors:
        loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "payload", "query", "form", "path")]
        problems.append({"place": ".".join(loc), "message": str(e.get("msg", "格式不正确"))})
    return _errors(request, problems)


@api.exception_handler(scope.Forbidden)
def _forbidden(request: HttpRequest, exc: scope.Forbidden) -> Any:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> Any:
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, {"detail": "未找到"}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> Any:
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)
