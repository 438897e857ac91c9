"""Error pages in Chinese (the API answers JSON for the same cases; see sifund.web.jsonapi)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render


def forbidden(request: Any, exception: Any = None) -> HttpResponse:
    msg = str(exception) if exception and str(exception) else "您没有权限执行此操作"
    return render(
        request, "sifund/error.html", {"code": 403, "title": "无权操作", "message": msg}, status=403
    )


def not_found(request: Any, exception: Any = None) -> HttpResponse:
    return render(
        request,
        "sifund/error.html",
        {"code": 404, "title": "未找到", "message": "您要找的页面不存在，或不在您的权限范围内"},
        status=404,
    )


def server_error(request: Any) -> HttpResponse:
    return render(
        request,
        "sifund/error.html",
        {"code": 500, "title": "服务器错误", "message": "处理请求时出错，请稍后重试或联系管理员"},
        status=500,
    )
