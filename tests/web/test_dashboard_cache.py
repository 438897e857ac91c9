"""The dashboard's per-process cache never shows a stale grid: any change in the caller's area
(a new submission, a transition, a new region) changes the stamp the cache is keyed by."""

from __future__ import annotations

from sifund.web import dashboard, scope, services
from sifund.web.models import Region


def test_a_transition_shows_at_once(tree, county_submission):
    rev = scope.actor(tree["users"]["city-rev"])
    assert [r["status"] for r in dashboard.grid_rows(rev, 2023)] == ["draft"]
    services.transition(scope.actor(tree["users"]["county-prep"]), county_submission.pk, "submit")
    assert [r["status"] for r in dashboard.grid_rows(rev, 2023)] == ["submitted"]


def test_the_stamp_follows_regions_and_submissions(tree, county_submission):
    rev = scope.actor(tree["users"]["city-rev"])
    before = dashboard.area_stamp(rev)
    Region.objects.create(name="新县", level="county", parent=tree["regions"]["示例市"])
    assert dashboard.area_stamp(rev) != before
    other = scope.actor(tree["users"]["other-rev"])
    assert dashboard.area_stamp(other) != dashboard.area_stamp(rev)  # areas never share an entry


def test_the_grid_page_follows_a_transition(tree, county_submission, client_for):
    c = client_for("city-rev")
    assert "草稿" in c.get("/dashboard/?year=2023").content.decode()
    services.transition(scope.actor(tree["users"]["county-prep"]), county_submission.pk, "submit")
    page = c.get("/dashboard/?year=2023").content.decode()
    assert "已提交" in page
