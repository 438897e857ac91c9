"""sifund.web — the multi-agency system in a browser (Django): regions, users, submissions with a
draft → submitted → returned/approved workflow, report review, dashboards and a JSON API.

Every figure, check and wording comes from :mod:`sifund.api`; this package adds storage, roles,
scoping (:mod:`sifund.web.scope`, the one place that decides who sees what) and pages.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA = "sifund-data"


def data_dir(explicit: str | Path | None = None) -> Path:
    """``--data DIR``, else ``$SIFUND_DATA``, else ``./sifund-data`` (web.md)."""
    return Path(explicit or os.environ.get("SIFUND_DATA") or DEFAULT_DATA).expanduser().resolve()


def setup(data: str | Path | None = None) -> Path:
    """Configure Django for the data folder ``data`` (created if missing) and return it.

    Why a function: the CLI commands (`serve`, `regions add`, `users add`, `load`) and the tests
    all start Django the same way, with the data folder chosen before settings are read."""
    import django

    d = data_dir(data)
    d.mkdir(parents=True, exist_ok=True)
    os.environ["SIFUND_DATA"] = str(d)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sifund.web.settings")
    django.setup()
    return d
