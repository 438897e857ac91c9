"""Logging in: Django's password check with throttling after repeated failures, and API tokens.

Failures are counted per user name and per client address within a window (settings
LOGIN_MAX_FAILURES / LOGIN_FAILURE_WINDOW_S); past the limit a login is refused without checking
the password, so guessing costs the window, not a few milliseconds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from sifund.web.models import ApiToken, LoginFailure


class Throttled(Exception):
    """Too many failed logins; ``str()`` says how long to wait."""


def client_address(request: Any) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def check_login(request: Any, username: str, password: str) -> Any | None:
    """The user for these credentials, None when wrong; Throttled past the failure limit."""
    username = (username or "").strip()[:150]
    addr = client_address(request)
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_S)
    LoginFailure.objects.filter(at__lt=since).delete()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username).count() >= settings.LOGIN_MAX_FAILURES or (
        addr and recent.filter(address=addr).count() >= 4 * settings.LOGIN_MAX_FAILURES
    ):
        minutes = max(1, settings.LOGIN_FAILURE_WINDOW_S // 60)
        raise Throttled(f"登录失败次数过多，请{minutes}分钟后再试")
    user = authenticate(request, username=username, password=password or "")
    if user is None:
        LoginFailure.objects.create(username=username, address=addr)
        return None
    LoginFailure.objects.filter(username=username).delete()
    return user


def user_for_token(key: str) -> Any | None:
    """The active user of an API token (``Authorization: Token <key>``), or None."""
    if not key or len(key) > 200:
        return None
    tok = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.digest(key)).first()
    if tok is None or not tok.user.is_active:
        return None
    now = timezone.now()
    if tok.last_used_at is None or now - tok.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=tok.pk).update(last_used_at=now)
    return tok.user
