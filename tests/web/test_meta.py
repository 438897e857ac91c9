"""Meta-tests over every route: nothing but the login page answers an anonymous visitor, and no
page or endpoint is left out of the scope rules by forgetting a decorator.

Each route of every page module (``sifund.web.views.*``) and of the JSON API is requested without
a session, with its URL parameters filled in with 1: a page must send the visitor to /login/, an
API endpoint must answer 401. A route added later is covered without touching this file."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {"login/", "logout/"}  # logout is POST-only and harmless without a session


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    url = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    url = re.sub(r"\^|\$|\\Z|\(\?P<\w+>[^)]*\)", "", url)
    return "/" + url


ROUTES = sorted({r for r in _routes(get_resolver().url_patterns) if not r.startswith("admin/")})


def test_there_are_routes_to_check():
    assert "api/v1/submissions" in ROUTES and "login/" in ROUTES


@pytest.mark.parametrize("route", [r for r in ROUTES if r not in PUBLIC and not r.startswith("api/v1/")])
def test_every_page_needs_a_login(client, db, route):
    r = client.get(_concrete(route))
    assert r.status_code in (302, 405), f"{route}: {r.status_code}"
    if r.status_code == 302:
        assert r["Location"].startswith("/login/"), r["Location"]


@pytest.mark.parametrize(
    "route",
    [
        r
        for r in ROUTES
        if r.startswith("api/v1/")
        and r != "api/v1/"
        and "<path:rest>" not in r  # unknown paths: 404
        and not r.endswith(("token", "schema", "docs"))
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "put"])
def test_every_api_endpoint_needs_a_token_or_session(client, db, route, method):
    r = getattr(client, method)(_concrete(route))
    assert r.status_code in (401, 405), f"{method.upper()} {route}: {r.status_code}"
