"""``sifund serve --demo``: a demo region tree, demo users and the bundled examples as submissions.

Idempotent: a second start finds the demo in place and only prints the logins again."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

DEMO_PASSWORD = "sifund-demo"
TREE = [  # (name, level, parent)
    ("新疆维吾尔自治区", "province", None),
    ("巴音郭楞蒙古自治州", "prefecture", "新疆维吾尔自治区"),
    ("库尔勒市", "county", "巴音郭楞蒙古自治州"),
    ("昌吉回族自治州", "prefecture", "新疆维吾尔自治区"),
    ("奇台县", "county", "昌吉回族自治州"),
    ("示例省", "province", None),
    ("示例市", "prefecture", "示例省"),
    ("示例县", "county", "示例市"),
]
USERS = [  # (username, role, region)
    ("admin", "admin", "新疆维吾尔自治区"),
    ("xj-reviewer", "reviewer", "新疆维吾尔自治区"),
    ("bz-reviewer", "reviewer", "巴音郭楞蒙古自治州"),
    ("korla", "preparer", "库尔勒市"),
    ("qitai", "preparer", "奇台县"),
    ("demo-reviewer", "reviewer", "示例省"),
    ("demo-city", "preparer", "示例市"),
    ("demo-county", "preparer", "示例县"),
]


def examples_dir() -> Path:
    """The bundled examples: the repository's examples/ (a source checkout)."""
    return Path(__file__).resolve().parents[3] / "examples"


@transaction.atomic
def load_demo() -> list[str]:
    from sifund import api
    from sifund.web import services
    from sifund.web.models import Profile, Region, Submission
    from sifund.web.scope import actor

    User = get_user_model()
    for name, level, parent in TREE:
        if not Region.objects.filter(name=name).exists():
            Region.objects.create(
                name=name, level=level, parent=Region.objects.get(name=parent) if parent else None
            )
    for username, role, region in USERS:
        if not User.objects.filter(username=username).exists():
            u = User(username=username, is_staff=role == "admin", is_superuser=role == "admin")
            u.set_password(DEMO_PASSWORD)
            u.save()
            Profile.objects.create(user=u, region=Region.objects.get(name=region), role=role)
    preparers = {r: u for u, role, r in USERS if role == "preparer"}
    ex = examples_dir()
    for f in sorted(ex.glob("*.yaml")) if ex.is_dir() else []:
        loaded = api.load(f)
        region = loaded.dataset.region
        if (
            region not in preparers
            or Submission.objects.filter(region__name=region, year=loaded.dataset.year).exists()
        ):
            continue
        services.create_submission(
            actor(User.objects.get(username=preparers[region])), loaded, f.name, "yaml"
        )
    lines = [f"演示账户 demo logins（密码 password: {DEMO_PASSWORD}）:"]
    lines += [f"  {u:14} {dict(Profile._meta.get_field('role').choices)[role]:4} {r}" for u, role, r in USERS]
    return lines
