"""Jinja2 for the heaviest part of a page: the evaluation of a submission (score, indicators,
metrics with their traces, risks, findings, warnings).

Why a second engine: that part has tens of thousands of template nodes for a real dataset, and
Django's engine took ~30 ms of CPU to render it — most of a submission page, and with 3,000
submissions and readers picking any of them a cache rarely helps. Jinja2 (already used for the
HTML report) compiles templates to Python and renders the same part in a few ms. The filters are
the Django ones of :mod:`sifund.web.templatetags.sifund_fmt`, so a number reads the same on every
page; autoescaping is on, and the filters' badges are ``SafeString`` (they carry ``__html__``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, PackageLoader, Undefined, select_autoescape

from sifund.web.templatetags import sifund_fmt


def _lenient(f: Callable[..., Any]) -> Callable[..., Any]:
    """A Django filter that also takes Jinja's Undefined (a key missing from stored JSON) as "",
    which is what Django templates hand a filter for a missing value (``string_if_invalid``)."""

    @wraps(f)
    def g(*args: Any) -> Any:
        return f(*("" if isinstance(x, Undefined) else x for x in args))

    return g


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sifund.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
        trim_blocks=False,
    )
    env.filters.update(
        {name: _lenient(f) for name, f in sifund_fmt.register.filters.items() if not name.startswith("_")}
    )
    return env


def render(name: str, context: dict[str, Any]) -> SafeString:
    """The template ``name`` (under ``sifund/web/templates``) as HTML safe to put in a Django page."""
    return mark_safe(environment().get_template(name).render(context))  # autoescaped above
