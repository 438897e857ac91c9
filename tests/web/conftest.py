"""Fixtures for the web tests: a region tree with users of every role, logged-in clients, and the
bundled examples as upload files.

Tree (names are those of the bundled examples, so their datasets file into them)::

    示例省 (province)              reviewer: prov-rev
    ├── 示例市 (prefecture)         reviewer: city-rev, preparer: city-prep
    │   └── 示例县 (county)         preparer: county-prep   ← examples/synthetic-county-2023.yaml
    └── 邻市 (prefecture)           reviewer: other-rev
        └── 邻县 (county)           preparer: other-prep
    admin: admin (示例省)
"""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "Correct-Horse-7"


@pytest.fixture(autouse=True)
def _uploads(tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.LOGIN_MAX_FAILURES = 5
    # PBKDF2's million rounds cost ~0.5 s per user; tests check roles, not hashing strength
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_dashboard_memo():
    """Each test starts with no memoised grid: a test's rolled-back data can leave the next test
    with the very same stamp (no events, the same region ids), which a real database never does."""
    from sifund.web import dashboard

    dashboard.clear_cache()
    yield
    dashboard.clear_cache()


@pytest.fixture
def tree(db):
    from django.contrib.auth import get_user_model

    from sifund.web.models import Profile, Region

    r = {}
    r["示例省"] = Region.objects.create(name="示例省", level="province")
    r["示例市"] = Region.objects.create(name="示例市", level="prefecture", parent=r["示例省"])
    r["示例县"] = Region.objects.create(name="示例县", level="county", parent=r["示例市"])
    r["邻市"] = Region.objects.create(name="邻市", level="prefecture", parent=r["示例省"])
    r["邻县"] = Region.objects.create(name="邻县", level="county", parent=r["邻市"])
    User = get_user_model()
    users = {}
    for name, role, region in [
        ("admin", "admin", "示例省"),
        ("prov-rev", "reviewer", "示例省"),
        ("city-rev", "reviewer", "示例市"),
        ("other-rev", "reviewer", "邻市"),
        ("city-prep", "preparer", "示例市"),
        ("county-prep", "preparer", "示例县"),
        ("other-prep", "preparer", "邻县"),
    ]:
        u = User(username=name, is_staff=role == "admin", is_superuser=role == "admin")
        u.set_password(PASSWORD)
        u.save()
        Profile.objects.create(user=u, region=r[region], role=role)
        users[name] = u
    return {"regions": r, "users": users}


@pytest.fixture
def client_for(tree):
    """``client_for("county-prep")``: a Django test client logged in as that user."""
    from django.test import Client

    def make(username: str, csrf: bool = False) -> Client:
        c = Client(enforce_csrf_checks=csrf)
        c.force_login(tree["users"][username])
        return c

    return make


@pytest.fixture
def example_upload():
    """``example_upload("synthetic-county-2023.yaml")``: a SimpleUploadedFile of a bundled example."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name: str = "synthetic-county-2023.yaml") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, (EXAMPLES / name).read_bytes())

    return make


@pytest.fixture
def county_submission(tree, example_upload):
    """A draft submission of 示例县 2023 created by its preparer (through the services layer)."""
    from sifund.web import services
    from sifund.web.scope import actor

    loaded, kind = services.load_upload(example_upload())
    return services.create_submission(
        actor(tree["users"]["county-prep"]), loaded, "synthetic-county-2023.yaml", kind
    )
