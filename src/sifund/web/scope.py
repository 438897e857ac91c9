"""Who may see and do what — the one place every page, API call and download asks.

Seeing: an admin sees every region; a reviewer sees its region and every region below it; a
preparer sees its own region only. An object outside what a user sees is *not found* (404), never
"forbidden": its existence does not leak by editing an id in a URL.

Doing (on an object the user sees; otherwise 403 with the reason):
- create/edit/submit a submission: the preparer of its region (admins may create and edit too);
  editing only while draft or returned;
- return (with a comment) / approve: a reviewer of its region or above, while submitted;
- upload a report for review, correct its figures, comment on findings: reviewers and admins,
  and preparers for their own region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from sifund.web.models import EDITABLE, SUBMITTED, Profile, Region, Review, Submission


class Forbidden(Exception):
    """A user may see the object but not do this (HTTP 403); ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class Actor:
    """A logged-in user with their region and role (what every check needs)."""

    user: Any
    region: Region | None
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" or bool(getattr(self.user, "is_superuser", False))

    @property
    def is_reviewer(self) -> bool:
        return self.role == "reviewer"

    @property
    def is_preparer(self) -> bool:
        return self.role == "preparer"


def actor(user: Any) -> Actor:
    """The Actor of a Django user; a user without a profile sees nothing (unless superuser)."""
    if user is None or not user.is_authenticated:
        raise Forbidden("请先登录")
    cached = getattr(user, "_sifund_actor", None)
    if cached is not None:
        return cached
    try:
        p = Profile.objects.select_related("region").get(user=user)
        a = Actor(user, p.region, p.role)
    except Profile.DoesNotExist:
        a = Actor(user, None, "admin" if user.is_superuser else "")
    user._sifund_actor = a
    return a


# ---- seeing ------------------------------------------------------------------------------------


def region_filter(a: Actor, field: str = "region") -> Q:
    """A Q object restricting ``field`` (a FK to Region) to what ``a`` sees."""
    if a.is_admin:
        return Q()
    if a.region is None or a.role not in ("preparer", "reviewer"):
        return Q(pk__in=[])
    if a.is_reviewer:
        return Q(**{f"{field}__path__startswith": a.region.path})
    return Q(**{field: a.region})


def regions(a: Actor) -> QuerySet[Region]:
    """The regions ``a`` sees, in tree order."""
    if a.is_admin:
        return Region.objects.all()
    if a.region is None:
        return Region.objects.none()
    if a.is_reviewer:
        return Region.objects.filter(path__startswith=a.region.path)
    return Region.objects.filter(pk=a.region.pk)


def submissions(a: Actor) -> QuerySet[Submission]:
    return Submission.objects.filter(region_filter(a)).select_related("region")


def reviews(a: Actor) -> QuerySet[Review]:
    return Review.objects.filter(region_filter(a)).select_related("region")


def submission(a: Actor, pk: Any) -> Submission:
    """The submission ``pk`` if ``a`` sees it, else Http404 (whether or not it exists)."""
    try:
        return submissions(a).get(pk=int(pk))
    except (Submission.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该提交") from None


def ensure_submission(a: Actor, pk: Any) -> None:
    """Http404 unless ``a`` sees submission ``pk`` — without loading its (large) row."""
    try:
        ok = submissions(a).filter(pk=int(pk)).exists()
    except (ValueError, TypeError, OverflowError):
        ok = False
    if not ok:
        raise Http404("未找到该提交")


def review(a: Actor, pk: Any) -> Review:
    try:
        return reviews(a).get(pk=int(pk))
    except (Review.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该审核") from None


def sees_region(a: Actor, region: Region) -> bool:
    if a.is_admin:
        return True
    if a.region is None:
        return False
    if a.is_reviewer:
        return region.is_within(a.region)
    return region.pk == a.region.pk


# ---- doing -------------------------------------------------------------------------------------


def can_create(a: Actor, region: Region | None, region_name: str = "") -> None:
    """A dataset may be filed for ``region`` (None: no region of that name exists)."""
    if a.is_admin and region is not None:
        return
    if not a.is_preparer:
        raise Forbidden("只有经办人员可以创建自评提交")
    if region is None or a.region is None or region.pk != a.region.pk:
        mine = a.region.name if a.region else "（无）"
        raise Forbidden(f"数据集的地区“{region_name}”不是您所属的地区“{mine}”，不能提交")


def can_edit(a: Actor, s: Submission) -> None:
    if not (a.is_admin or (a.is_preparer and a.region is not None and s.region_id == a.region.pk)):
        raise Forbidden("只有本地区的经办人员可以修改此提交")
    if s.status not in EDITABLE:
        raise Forbidden(f"此提交{s.status_name}，数据只读，不能修改")


def can_submit(a: Actor, s: Submission) -> None:
    if not (a.is_preparer and a.region is not None and s.region_id == a.region.pk):
        raise Forbidden("只有本地区的经办人员可以提交")
    if s.status not in EDITABLE:
        raise Forbidden(f"此提交{s.status_name}，只有草稿或已退回的提交可以提交")


def _can_review(a: Actor, s: Submission, verb: str) -> None:
    if not (a.is_admin or (a.is_reviewer and a.region is not None and s.region.is_within(a.region))):
        raise Forbidden(f"只有本地区或上级的审核人员可以{verb}")
    if s.status != SUBMITTED:
        raise Forbidden(f"此提交{s.status_name}，只有已提交的可以{verb}")


def can_return(a: Actor, s: Submission) -> None:
    _can_review(a, s, "退回")


def can_approve(a: Actor, s: Submission) -> None:
    _can_review(a, s, "审核通过")


def can_upload_review(a: Actor) -> None:
    if a.region is None and not a.is_admin:
        raise Forbidden("您的账户未分配地区，不能上传报告")
    if not (a.is_admin or a.is_reviewer or a.is_preparer):
        raise Forbidden("您的角色不能上传报告")


def allowed_actions(a: Actor, s: Submission) -> list[str]:
    """The workflow actions ``a`` may take on ``s`` now (for buttons and the API)."""
    out = []
    for name, check in (
        ("update", can_edit),
        ("submit", can_submit),
        ("return", can_return),
        ("approve", can_approve),
    ):
        try:
            check(a, s)
            out.append(name)
        except Forbidden:
            pass
    return out
