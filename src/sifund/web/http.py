"""Small HTTP helpers every page module and the JSON API share: one way to send a download, read
an integer parameter, and get the caller's Actor (a page's 403 when the user has none)."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from sifund.web import scope


def attachment(content: bytes | str, ctype: str, filename: str, fallback: str = "") -> HttpResponse:
    """A download: ``filename*=UTF-8''…`` carries the Chinese name, ``filename`` an ASCII one for
    old clients; never cached by a proxy, never sniffed into another type."""
    if not fallback:
        ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "", PurePath(filename).stem) or "sifund"
        fallback = ascii_stem + PurePath(filename).suffix
    r = HttpResponse(content, content_type=ctype)
    r["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    r["Cache-Control"] = "private, no-store"
    r["X-Content-Type-Options"] = "nosniff"
    return r


def int_param(v: Any) -> int | None:
    """A query or form value as an int, None when it is not one."""
    try:
        return int(str(v).strip())
    except (TypeError, ValueError, OverflowError):
        return None


def page_actor(request: Any) -> scope.Actor:
    """The caller's Actor for a page; a user the scope rules refuse gets the 403 page."""
    try:
        return scope.actor(request.user)
    except scope.Forbidden as e:
        raise PermissionDenied(str(e)) from None
