"""Login, logout and the home page (which sends each role to its own start page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sifund.web.auth import Throttled, check_login
from sifund.web.scope import actor


@require_http_methods(["GET", "POST"])
def login_view(request: Any) -> HttpResponse:
    error = ""
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    if request.method == "POST":
        try:
            user = check_login(request, request.POST.get("username", ""), request.POST.get("password", ""))
        except Throttled as e:
            error = str(e)
        else:
            if user is not None:
                login(request, user)
                return redirect(nxt)
            error = "用户名或密码不正确"
    status = 429 if error.startswith("登录失败次数过多") else (200 if not error else 401)
    return render(request, "sifund/login.html", {"error": error, "next": nxt}, status=status)


@require_POST
def logout_view(request: Any) -> HttpResponse:
    logout(request)
    return redirect("/login/")


@login_required
def home(request: Any) -> HttpResponse:
    a = actor(request.user)
    return redirect("/dashboard/" if (a.is_reviewer or a.is_admin) else "/submissions/")


urlpatterns = [
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("", home, name="home"),
]
