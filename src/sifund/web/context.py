"""What every page's template knows: the user's role and region (for the navigation bar)."""

from __future__ import annotations

from typing import Any

from sifund import __version__
from sifund.web.models import ROLE_NAMES


def sifund(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"sifund_version": __version__}
    from sifund.web.scope import actor

    a = actor(user)
    return {
        "sifund_version": __version__,
        "actor": a,
        "role_name": ROLE_NAMES.get(a.role, "超级管理员" if a.is_admin else "未分配"),
    }
