"""The web foundation: scoping and the workflow through the services layer (pages and API use it)."""

from __future__ import annotations

import pytest
from django.http import Http404

from sifund.web import scope, services
from sifund.web.models import Event


def test_a_submission_is_evaluated_when_created(county_submission):
    s = county_submission
    assert (s.region.name, s.year, s.status, s.version) == ("示例县", 2023, "draft", 1)
    assert s.score is not None and s.grade
    assert s.evaluation["metrics"] and "corrections" in s.evaluation
    assert [e.action for e in s.events.all()] == ["create"]


def test_scope_reviewer_sees_below_only(tree, county_submission):
    u = tree["users"]
    assert scope.submission(scope.actor(u["city-rev"]), county_submission.pk) == county_submission
    assert scope.submission(scope.actor(u["prov-rev"]), county_submission.pk) == county_submission
    for outsider in ("other-rev", "other-prep", "city-prep"):
        with pytest.raises(Http404):
            scope.submission(scope.actor(u[outsider]), county_submission.pk)


def test_workflow_and_history(tree, county_submission):
    u = tree["users"]
    prep, rev = scope.actor(u["county-prep"]), scope.actor(u["city-rev"])
    with pytest.raises(scope.Forbidden):
        services.transition(rev, county_submission.pk, "approve")  # a draft cannot be approved
    services.transition(prep, county_submission.pk, "submit")
    with pytest.raises(scope.Forbidden):
        services.transition(prep, county_submission.pk, "approve")  # a preparer cannot approve
    with pytest.raises(services.BadInput):
        services.transition(rev, county_submission.pk, "return", "")  # a return needs a comment
    services.transition(rev, county_submission.pk, "return", "请补充失业保险偏差原因")
    services.transition(prep, county_submission.pk, "submit")
    s = services.transition(rev, county_submission.pk, "approve")
    assert s.status == "approved"
    h = services.history(s)
    assert [e["action"] for e in h] == ["create", "submit", "return", "submit", "approve"]
    assert h[2]["comment"] == "请补充失业保险偏差原因" and h[2]["user"] == "city-rev"


def test_stale_version_is_a_conflict_naming_who(tree, county_submission):
    prep = scope.actor(tree["users"]["county-prep"])
    data = dict(county_submission.dataset, project="改名后的项目")
    services.update_submission(prep, county_submission.pk, services.parse_body(data), if_match=1)
    data2 = dict(county_submission.dataset, project="另一个名字")
    with pytest.raises(services.Conflict, match="county-prep"):
        services.update_submission(prep, county_submission.pk, services.parse_body(data2), if_match=1)


def test_the_audit_trail_cannot_be_edited_or_deleted(county_submission):
    from django.db import DatabaseError, transaction

    e = Event.objects.filter(submission=county_submission).first()
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=e.pk).update(comment="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=e.pk).delete()
    assert Event.objects.filter(pk=e.pk, comment=e.comment).exists()
