"""The 疑点 verification workflow (sifund.web.payments): a run and its hits are stored as the audit
gave them, verified by the region's people with every change recorded, and seen only inside the
caller's scope — on the service layer and on the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .payments_sample import create_run, result


def actor_of(tree, username):
    from sifund.web.scope import actor

    return actor(tree["users"][username])


def test_a_run_keeps_the_summary_and_every_hit_in_the_audits_order(tree):
    from sifund.web import payments

    run = create_run(tree)
    assert (run.period_first, run.period_last, run.year_first, run.year_last) == (
        "2024-01",
        "2024-12",
        2024,
        2024,
    )
    assert run.hit_count == 5 and run.amount == Decimal("35125.50")
    assert run.created_by.username == "county-prep" and run.source == "import"
    hits = list(payments.hits(run))
    assert [h.person_id for h in hits] == [h["person_id"] for h in result()["hits"]]
    assert all(h.status == "pending" and h.recovered == 0 for h in hits)
    assert hits[3].other_ids == ["652801580321123"]
    rules = payments.by_rule(run)
    assert len(rules) == 10  # every rule of the summary, found or not
    assert [r["rule"] for r in rules if r["hits"]] == ["paid_after_death", "duplicate_payment",
                                                        "same_person_two_ids", "amount_outlier"]  # fmt: skip
    skipped = next(r for r in rules if r["rule"] == "unemployment_while_contributing")
    assert skipped["skipped"] == "缺少 contributions 表"
    high = payments.by_risk(rules)[0]
    assert (high["risk"], high["hits"], high["amount"]) == ("high", 3, Decimal("12925.50"))


def test_verification_moves_the_status_and_records_every_change(tree):
    from sifund.web import payments

    run = create_run(tree)
    h = payments.hits(run).first()
    prep = actor_of(tree, "county-prep")
    payments.verify(prep, h.pk, "checking", "已调取民政死亡信息")
    h = payments.verify(prep, h.pk, "confirmed", "死亡后冒领属实", "6840.00")
    assert (h.status, h.recovered, h.version) == ("confirmed", Decimal("6840.00"), 3)
    again = payments.verify(prep, h.pk, "confirmed", "死亡后冒领属实", "6840")  # nothing differs
    assert again.version == 3
    hist = payments.history(h)
    assert [(e["status_before"], e["status_after"]) for e in hist] == [
        ("pending", "checking"),
        ("checking", "confirmed"),
    ]
    assert hist[1]["note"] == "死亡后冒领属实"
    assert (hist[1]["recovered_before"], hist[1]["recovered_after"]) == (0.0, 6840.0)
    assert hist[0]["recovered_after"] is None and hist[0]["user"] == "county-prep"
    t = payments.totals(run)
    assert (t["checked"], t["confirmed"], t["recovered"]) == (1, 1, Decimal("6840.00"))
    assert payments.report_figures(run) == {"hits": 5, "checked": 1, "confirmed": 1, "recovered": 0.68}


def test_the_history_cannot_be_rewritten(tree):
    from django.db import DatabaseError, transaction

    from sifund.web import payments
    from sifund.web.payment_models import PaymentHitEvent

    run = create_run(tree)
    h = payments.verify(actor_of(tree, "county-prep"), payments.hits(run).first().pk, "checking")
    e = h.events.get()
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()
    with pytest.raises(DatabaseError), transaction.atomic():  # the database's trigger, not only the model
        PaymentHitEvent.objects.filter(pk=e.pk).update(note="改写")
    assert h.events.get().note == ""


@pytest.mark.parametrize(
    ("status", "note", "recovered", "place"),
    [
        ("done", None, None, "status"),
        ("excluded", "", None, "note"),  # 已排除 needs its reason
        ("checking", None, "100", "recovered"),  # 追回金额 only on 确认违规
        ("confirmed", None, "-5", "recovered"),
        ("confirmed", None, "12.345", "recovered"),
        ("confirmed", None, "一百", "recovered"),
        ("confirmed", "x" * 5001, None, "note"),
    ],
)
def test_bad_verifications_are_refused_and_leave_no_trace(tree, status, note, recovered, place):
    from sifund.web import payments

    run = create_run(tree)
    h = payments.hits(run).first()
    with pytest.raises(payments.BadInput) as e:
        payments.verify(actor_of(tree, "county-prep"), h.pk, status, note, recovered)
    assert e.value.problems[0]["place"] == place
    h.refresh_from_db()
    assert (h.status, h.version, h.events.count()) == ("pending", 1, 0)


def test_who_may_verify(tree):
    """经办 of the region and 审核 of the region or above verify; admins and the other regions' people
    do not; a concluded hit's conclusion is the reviewers' to change; outside the scope is 404."""
    from django.http import Http404

    from sifund.web import payments
    from sifund.web.scope import Forbidden

    run = create_run(tree)
    h = payments.hits(run).first()
    with pytest.raises(Forbidden):
        payments.verify(actor_of(tree, "admin"), h.pk, "checking")
    for outsider in ("other-rev", "other-prep", "city-prep"):  # they do not see 示例县
        with pytest.raises(Http404):
            payments.verify(actor_of(tree, outsider), h.pk, "checking")
    payments.verify(actor_of(tree, "county-prep"), h.pk, "excluded", "系统重复记录，实际未发放")
    with pytest.raises(Forbidden, match="只有审核人员可以改变核查结论"):
        payments.verify(actor_of(tree, "county-prep"), h.pk, "confirmed")
    h = payments.verify(actor_of(tree, "county-prep"), h.pk, note="经复核，银行退回")  # the note still may
    h = payments.verify(actor_of(tree, "city-rev"), h.pk, "confirmed", "复核：确属冒领", "100.00")
    assert h.status == "confirmed"
    h = payments.verify(actor_of(tree, "county-prep"), h.pk, recovered="6840.00")  # money comes back later
    assert h.recovered == Decimal("6840.00")
    h = payments.verify(actor_of(tree, "prov-rev"), h.pk, "checking", recovered="0")
    assert [e.user.username for e in h.events.order_by("id")] == [
        "county-prep", "county-prep", "city-rev", "county-prep", "prov-rev"
    ]  # fmt: skip


def test_who_may_file_a_run(tree):
    """Whoever sees a region may file a run for it: its preparer, a reviewer at or above it, an
    admin. A region one does not see is not found (a preparer sees only its own region)."""
    from django.http import Http404

    assert create_run(tree, "city-rev").region.name == "示例县"  # a reviewer above
    assert create_run(tree, "admin").region.name == "示例县"
    assert create_run(tree, "city-prep", region="示例市").region.name == "示例市"
    for outsider in ("city-prep", "other-rev"):
        with pytest.raises(Http404):
            create_run(tree, outsider, region="示例县")


def test_stale_version_is_a_conflict(tree):
    from sifund.web import payments

    run = create_run(tree)
    h = payments.hits(run).first()
    payments.verify(actor_of(tree, "county-prep"), h.pk, "checking", if_match=1)
    with pytest.raises(payments.Conflict, match="当前版本2"):
        payments.verify(actor_of(tree, "city-rev"), h.pk, "confirmed", if_match=1)


def test_filters_and_search(tree):
    from sifund.web import payments
    from sifund.web.payments import HitFilter

    run = create_run(tree)
    payments.verify(actor_of(tree, "county-prep"), payments.hits(run).first().pk, "checking")

    def ids(**kw):
        return [h.person_id[-4:] for h in payments.hits(run, HitFilter(**kw))]

    assert ids(rule="paid_after_death") == ["123X", "4526"]
    assert ids(risk="low") == ["5555"]
    assert ids(status="checking") == ["123X"]
    assert ids(q="652801196208") == ["3317"]  # an ID's beginning
    assert ids(q="65280119450307123x") == ["123X"]  # x for X
    assert ids(q="秀兰") == ["4526"]
    assert ids(rule="paid_after_death", status="pending") == ["4526"]


# ---- pages -------------------------------------------------------------------------------------


def test_the_run_page_shows_the_summary_filters_and_totals(tree, client_for):
    run = create_run(tree)
    page = client_for("city-rev").get(f"/payments/runs/{run.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    shown = [
        "示例县 待遇支付疑点清单",
        "死亡后继续领取待遇",
        "未运行：缺少 contributions 表",
        "35,125.50元",
        "张建国",
        "待核查",
        "开展社会保险待遇支付疑点数据筛查，筛查出疑点数据五条，核查工作正在进行。",
    ]
    for text in shown:
        assert text in html, text
    filtered = client_for("city-rev").get(f"/payments/runs/{run.pk}/?risk=low").content.decode()
    assert "陈刚" in filtered and "张建国" not in filtered
    assert client_for("other-rev").get(f"/payments/runs/{run.pk}/").status_code == 404
    assert (
        client_for("county-prep").get("/payments/").content.decode().count(f"/payments/runs/{run.pk}/") >= 1
    )
    assert f"/payments/runs/{run.pk}/" not in client_for("other-prep").get("/payments/").content.decode()


def test_the_hit_page_saves_a_verification_and_lists_it(tree, client_for):
    from sifund.web import payments

    run = create_run(tree)
    h = payments.hits(run).first()
    c = client_for("county-prep", csrf=False)
    page = c.get(f"/payments/hits/{h.pk}/").content.decode()
    assert "依据记录（3条）" in page and "死亡记录" in page and "保存核查结果" in page
    r = c.post(
        f"/payments/hits/{h.pk}/",
        {"status": "confirmed", "note": "核实属实", "recovered": "6840", "version": "1"},
    )
    assert r.status_code == 302
    page = c.get(f"/payments/hits/{h.pk}/").content.decode()
    assert "已保存核查结果：确认违规" in page and "核实属实" in page and "0.00元 → 6,840.00元" in page
    assert 'name="status" value="confirmed"' in page  # concluded: the preparer keeps the status
    bad = c.post(f"/payments/hits/{h.pk}/", {"status": "confirmed", "recovered": "12.345", "version": "2"})
    assert bad.status_code == 400 and "追回金额最多两位小数" in bad.content.decode()
    assert 'value="12.345"' in bad.content.decode()  # what was typed is kept
    refused = c.post(f"/payments/hits/{h.pk}/", {"status": "excluded", "note": "误报", "version": "2"})
    assert refused.status_code == 403
    admin = client_for("admin").get(f"/payments/hits/{h.pk}/").content.decode()
    assert "保存核查结果" not in admin  # admins see, do not verify
    assert client_for("admin").post(f"/payments/hits/{h.pk}/", {"status": "checking"}).status_code == 403
    assert client_for("other-prep").get(f"/payments/hits/{h.pk}/").status_code == 404


def test_the_import_form_refuses_a_malformed_result_naming_the_field(tree, client_for):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    data = result()
    data["hits"][2]["amount"] = "很多"
    up = SimpleUploadedFile("audit.json", json.dumps(data, ensure_ascii=False).encode())
    r = client_for("county-prep").post("/payments/", {"file": up, "region": tree["regions"]["示例县"].pk})
    assert r.status_code == 400
    assert "hits[2].amount" in r.content.decode() and "应为数字" in r.content.decode()
    good = SimpleUploadedFile("audit.json", json.dumps(result(), ensure_ascii=False).encode())
    r = client_for("county-prep").post("/payments/", {"file": good, "region": tree["regions"]["示例县"].pk})
    assert r.status_code == 302 and r["Location"].startswith("/payments/runs/")
