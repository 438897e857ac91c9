"""The demo (``sifund serve --demo``) and the synthetic data it and the benchmark are made of.

synth: the same seed gives the same tree and the same datasets; every dataset is one that
``sifund.api.parse`` accepts without a single disagreement between its stated figures; the
region-years differ in what a reviewer looks at (scores, grades, risks); year Y's prior-year
figures are year Y−1's actual ones.

demo: loaded twice it is the same demo (idempotent), with five years per region of 示例省 in every
status, each status reached through the workflow by the users whose role allows it.
"""

from __future__ import annotations

import time
from collections import Counter

from sifund import api
from sifund.web import synth


def test_the_tree_is_a_province_of_14_prefectures_and_300_uniquely_named_counties():
    places = synth.tree()
    assert places == synth.tree()  # seeded
    assert places != synth.tree(seed=7)
    levels = Counter(p.level for p in places)
    assert levels == {"province": 1, "prefecture": 14, "county": 300}
    names = [p.name for p in places]
    assert len(set(names)) == len(names) and not set(names) & synth.RESERVED
    by_name = {p.name: p for p in places}
    assert all(p.parent is None or by_name[p.parent].level != p.level for p in places)
    counties = [p.name for p in places if p.level == "county"]
    assert {n[-1] for n in counties} == {"县", "市", "区"}
    assert all(len(n) == 3 for n in counties)  # two syllables and 县/市/区, like 青川县


def sample() -> list[tuple[synth.Place, int]]:
    places = synth.tree()
    counties = [p for p in places if p.level == "county"]
    picks = [counties[i] for i in (0, 7, 50, 120, 199, 299)] + [p for p in places if p.level == "prefecture"][
        :2
    ]
    return [(p, y) for p in picks for y in (2014, 2023)]


def test_every_generated_dataset_parses_without_a_disagreement_and_they_differ():
    scores, grades, highs, templates = set(), set(), set(), set()
    for p, year in sample():
        ds = synth.dataset(p.name, year, level=p.level)
        assert ds == synth.dataset(p.name, year, level=p.level)  # deterministic
        loaded = api.parse(ds)
        assert loaded.warnings == [], (p.name, year, [w.message for w in loaded.warnings])
        assert (loaded.dataset.region, loaded.dataset.year) == (p.name, year)
        assert p.name in ds["agency"] and str(year) in ds["narrative"]["opening"]
        s = api.summary(api.evaluate(loaded.dataset, None, loaded.warnings))
        scores.add(s["score"])
        grades.add(s["grade"])
        highs.add(s["risks"]["high"])
        templates.add(synth.Generator(p.name, p.level).template_name)
    assert len(scores) == len(sample())
    assert len(grades) >= 2 and len(highs) >= 2
    assert templates == {synth.COUNTY_TEMPLATE, synth.SEVEN_TEMPLATE}


def test_another_seed_gives_other_figures():
    a = synth.dataset("青川县", 2020, seed=1)
    b = synth.dataset("青川县", 2020, seed=2)
    assert a["figures"] != b["figures"]


def test_a_years_prior_figures_are_the_previous_years_actual_ones():
    def figures(year):
        ds = synth.dataset("青川县", year, template=synth.COUNTY_TEMPLATE)
        return {(f["fund"], f["item"], f["measure"]): f["value"] for f in ds["figures"]}

    before, now = figures(2021), figures(2022)
    priors = [(f, i) for (f, i, m) in now if m == "prior" and i != "balance_rolling"]
    assert len(priors) > 20
    assert all(now[(f, i, "prior")] == before[(f, i, "actual")] for f, i in priors)
    assert now[("all", "income_total", "actual")] > 0


def test_the_money_grows_from_year_to_year():
    income = [
        synth.dataset("青川县", y, template=synth.COUNTY_TEMPLATE)["figures"][0]["value"]
        for y in (2014, 2023)
    ]
    assert income[1] > income[0]


# ---- the demo -----------------------------------------------------------------------------------
# One test: loading the demo costs seconds, and its audit trail cannot be deleted between tests.


def test_the_demo_is_idempotent_and_has_five_years_per_region_in_every_status_reached_by_the_workflow(db):
    from sifund.web.demo import load_demo

    t0 = time.perf_counter()
    lines = load_demo()
    print(f"load_demo: {time.perf_counter() - t0:.1f} s")
    a_second_start_changes_nothing(lines)
    every_region_of_the_demo_province_has_five_years_in_every_status()
    each_status_was_reached_through_the_workflow_by_the_right_people()


def a_second_start_changes_nothing(lines):
    from django.contrib.auth import get_user_model

    from sifund.web.demo import USERS, extra_tree, load_demo
    from sifund.web.models import Event, Region, Submission

    more_tree, more_users = extra_tree()
    counts = (Region.objects.count(), get_user_model().objects.count(), Submission.objects.count())
    events = Event.objects.count()
    # 4 bundled examples; 9 regions of 示例省 × 5 years, of which 示例县/示例市 2023 are examples
    assert counts == (8 + len(more_tree), len(USERS) + len(more_users), 4 + 9 * 5 - 2)
    assert load_demo() == lines
    assert (Region.objects.count(), get_user_model().objects.count(), Submission.objects.count()) == counts
    assert Event.objects.count() == events
    assert all(u in "\n".join(lines) for u, _, _ in USERS + more_users)


def every_region_of_the_demo_province_has_five_years_in_every_status():
    from sifund.web.demo import YEARS
    from sifund.web.models import Region, Submission

    top = Region.objects.get(name="示例省")
    below = Region.objects.filter(path__startswith=top.path).exclude(pk=top.pk)
    assert below.count() == 9 and below.filter(level="prefecture").count() == 2
    for r in below:
        assert sorted(Submission.objects.filter(region=r).values_list("year", flat=True)) == list(YEARS)
    subs = Submission.objects.filter(region__in=below)
    statuses = Counter(subs.values_list("status", flat=True))
    assert set(statuses) == {"draft", "submitted", "returned", "approved"}
    assert statuses["approved"] > statuses["draft"]  # older years are done
    assert len(set(subs.values_list("grade", flat=True))) >= 2


def each_status_was_reached_through_the_workflow_by_the_right_people():
    from sifund.web.models import Event, Region, Submission
    from sifund.web.scope import actor

    top = Region.objects.get(name="示例省")
    for sub in Submission.objects.filter(region__path__startswith=top.path):
        trail = list(sub.events.order_by("at", "id"))
        assert trail[0].action == "create" and trail[-1].status_after == sub.status
        for e in trail:
            a = actor(e.user)
            if e.action in ("create", "submit", "update"):
                assert a.is_preparer and a.region == sub.region
            else:  # return / approve: a reviewer above the region
                assert a.is_reviewer and sub.region.is_within(a.region) and a.region != sub.region
    returns = Event.objects.filter(action="return")
    assert returns.exists() and all(len(e.comment) > 10 for e in returns)
    fixed = Event.objects.filter(action="update")
    assert fixed.exists() and all(e.changes for e in fixed)  # what the preparer corrected is kept
