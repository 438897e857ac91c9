"""``sifund serve --demo``: a demo region tree, demo users and the bundled examples as submissions,
plus five years (2019–2023) of synthetic submissions for the 示例省 tree in every status.

What a reviewer sees: 示例省 with two prefectures (示例市 with 示例县 and three more counties, and a
second prefecture with three counties), each region with a submission per year made from the
bundled examples by :mod:`sifund.web.synth`; older years approved (some after being returned
with a comment, corrected and resubmitted), the last years in a mix of draft / submitted /
returned / approved. Every step is a real call of :mod:`sifund.web.services` by the user whose
role allows it, so the history of each submission is what the workflow would have written.

Idempotent: a region-year that has a submission is left alone, so a second start finds the demo
in place and only prints the logins again.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

DEMO_PASSWORD = "sifund-demo"
DEMO_SEED = 20190101
YEARS = tuple(range(2019, 2024))
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
RETURN_COMMENTS = (  # used when the evaluation gives no more specific reason to return
    "请核对各项基金收支数据与决算报表是否一致，并补充绩效目标完成情况的说明后重新提交。",
    "自评报告中存在问题与整改措施的表述过于笼统，请结合本地区实际补充后重新提交。",
)


def extra_tree() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The synthetic part of the 示例省 tree and its users, the same on every start (seeded):
    three more counties under 示例市, a second prefecture with three counties; a reviewer for
    each prefecture and a preparer for each new region."""
    from sifund.web.synth import RESERVED, names

    rng = random.Random(f"demo|{DEMO_SEED}")
    taken = set(RESERVED) | {n for n, _, _ in TREE}
    pref = names(rng, 1, [("市", 1.0)], taken)[0]
    near = names(rng, 3, [("县", 0.6), ("区", 0.2), ("市", 0.2)], taken)
    far = names(rng, 3, [("县", 0.7), ("区", 0.3)], taken)
    tree = [(n, "county", "示例市") for n in near] + [(pref, "prefecture", "示例省")]
    tree += [(n, "county", pref) for n in far]
    users = [("demo-city-rev", "reviewer", "示例市"), ("demo-pref2-rev", "reviewer", pref)]
    users += [(f"demo-prep{i}", "preparer", n) for i, n in enumerate([*near, pref, *far], start=1)]
    return tree, users


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
    more_tree, more_users = extra_tree()
    for name, level, parent in TREE + more_tree:
        if not Region.objects.filter(name=name).exists():
            Region.objects.create(
                name=name, level=level, parent=Region.objects.get(name=parent) if parent else None
            )
    hashed = ""  # one PBKDF2 for every demo user (0.5 s each): they share the published password
    for username, role, region in USERS + more_users:
        if not User.objects.filter(username=username).exists():
            u = User(username=username, is_staff=role == "admin", is_superuser=role == "admin")
            hashed = hashed or make_password(DEMO_PASSWORD)
            u.password = hashed
            u.save()
            Profile.objects.create(user=u, region=Region.objects.get(name=region), role=role)
    preparers = {r: u for u, role, r in USERS + more_users if role == "preparer"}
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
    _synthetic_history(preparers, more_tree)
    from sifund.web.payments_demo import load_payments_demo  # the 疑点核查 pages' demo

    load_payments_demo({"preparer": "demo-county", "reviewer": "demo-city-rev"})
    lines = [f"演示账户 demo logins（密码 password: {DEMO_PASSWORD}）:"]
    roles = dict(Profile._meta.get_field("role").choices)
    lines += [f"  {u:14} {roles[role]:4} {r}" for u, role, r in USERS + more_users]
    return lines


def _reviewer_of(region: Any, reviewers: dict[str, Any]) -> Any:
    """The nearest reviewer above ``region`` (its prefecture's, else the province's)."""
    for up in reversed(region.ancestors()):
        if up.name in reviewers:
            return reviewers[up.name]
    return None


def _synthetic_history(preparers: dict[str, str], more_tree: list[tuple[str, str, str]]) -> None:
    """Five years of submissions for every region of 示例省 below the province, each walked
    through the workflow to a status chosen per region-year (older years approved)."""
    from sifund import api
    from sifund.web import services, synth
    from sifund.web.models import Profile, Region, Submission
    from sifund.web.scope import actor

    User = get_user_model()
    regions = [Region.objects.get(name=n) for n, _, _ in TREE[6:] + more_tree]
    regions.sort(key=lambda r: r.path)
    reviewers = {
        p.region.name: actor(p.user)
        for p in Profile.objects.filter(role="reviewer").select_related("user", "region")
    }
    have = set(Submission.objects.filter(region__in=regions).values_list("region__name", "year"))
    for i, region in enumerate(regions):
        if region.name not in preparers:
            continue
        prep = actor(User.objects.get(username=preparers[region.name]))
        rev = _reviewer_of(region, reviewers)
        for year in YEARS:
            if (region.name, year) in have:
                continue
            ds = synth.dataset(region.name, year, DEMO_SEED, region.level)
            sub = services.create_submission(
                prep, api.parse(ds, file=f"{region.name}-{year}.json"), f"{region.name}-{year}.json", "json"
            )
            _walk(sub, prep, rev, _status_for(i, year))


# the statuses of the last two years, by region (cycled): every status is on the dashboard
LATEST = ("submitted", "approved", "returned", "draft", "approved", "submitted", "approved", "returned")
BEFORE = ("approved", "submitted", "approved", "returned", "approved", "approved")


def _status_for(i: int, year: int) -> str:
    if year == YEARS[-1]:
        return LATEST[i % len(LATEST)]
    if year == YEARS[-2]:
        return BEFORE[i % len(BEFORE)]
    return "approved"


def _return_comment(sub: Any, k: int) -> str:
    """What a reviewer would write, from the evaluation: a lost point without a reason, else a
    high risk, else a general request."""
    ev = sub.evaluation or {}
    unexplained = sorted(
        (x for x in (ev.get("score") or {}).get("lost", []) if "请填写" in str(x.get("reason", ""))),
        key=lambda x: (x.get("kind") == "execution", -float(x.get("points") or 0)),
    )
    high = [r for r in ev.get("risks", []) if r.get("level") in ("高", "high")]
    said = []
    if unexplained and (k % 2 == 0 or not high):
        x = unexplained[0]
        said.append(f"“{x.get('item')}”扣{x.get('points')}分，未说明偏差原因，请补充。")
    if high:
        said.append(f"{high[0].get('message')}，请在报告中说明原因及下一步措施。")
    return "".join(said) + "修改后重新提交。" if said else RETURN_COMMENTS[k % len(RETURN_COMMENTS)]


def _walk(sub: Any, prep: Any, rev: Any, status: str) -> None:
    """Take a new draft to ``status`` the way people would: the preparer submits, the reviewer
    approves or returns with a comment; every other older approval went through one round of
    return → correction → resubmission first."""
    from sifund.web import services

    if status == "draft" or rev is None:
        return
    services.transition(prep, sub.pk, "submit")
    if status == "submitted":
        return
    if status == "returned" or (status == "approved" and (sub.pk % 3 == 0)):
        services.transition(rev, sub.pk, "return", _return_comment(sub, sub.pk))
        if status == "returned":
            return
        sub = services.update_submission(prep, sub.pk, _corrected(sub), if_match=sub.version)
        services.transition(prep, sub.pk, "submit")
    services.transition(rev, sub.pk, "approve")


def _corrected(sub: Any) -> Any:
    """The preparer's fix after a return: a deviation reason for every indicator that lost points
    without one, and a sentence on the risk in the narrative."""
    from sifund import api

    ds = dict(sub.dataset)
    lost = {
        x.get("item")
        for x in (sub.evaluation.get("score") or {}).get("lost", [])
        if "请填写" in str(x.get("reason"))
    }
    inds = []
    for ind in ds.get("indicators", []):
        ind = dict(ind)
        if ind.get("name") in lost and not ind.get("reason"):
            ind["reason"] = (
                "受政策调整及参保人员结构变化影响，实际执行与年初测算存在偏差；下年将据实测算预算。"
            )
        inds.append(ind)
    ds["indicators"] = inds
    narrative = dict(ds.get("narrative") or {})
    narrative["plans"] = (
        narrative.get("plans") or ""
    ) + "按审核意见补充了偏差原因，并将基金支付风险纳入整改清单。"
    ds["narrative"] = narrative
    return api.parse(ds, file=f"submission {sub.pk}")
