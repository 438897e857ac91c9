"""What the web app stores of payment audits (疑点数据筛查, docs/payments.md): a run per region and
period range, its hits with their verification (核查) state, and every change of that state.

Why hits are rows, not one JSON value on the run: a province's run has tens of thousands of hits
that are listed page by page, filtered by rule/risk/status, searched by ID or name and changed one
at a time by different people — each of those is one indexed query on this table.

The history (:class:`PaymentHitEvent`) is append-only like the submissions' ``Event``: ``save`` of an
existing row and ``delete`` raise, the foreign keys PROTECT, and migration 0003 adds the same
UPDATE/DELETE triggers as 0002, so no code path (nor a cascade) rewrites who changed what.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from sifund.web.models import Region

PENDING, CHECKING, CONFIRMED, EXCLUDED = "pending", "checking", "confirmed", "excluded"
VERIFY_STATUSES = [(PENDING, "待核查"), (CHECKING, "核查中"), (CONFIRMED, "确认违规"), (EXCLUDED, "已排除")]
VERIFY_NAMES = dict(VERIFY_STATUSES)
CONCLUDED = frozenset({CONFIRMED, EXCLUDED})  # 核查完毕: what the report counts as 核查疑点数据
SOURCES = [("import", "导入结果"), ("upload", "上传数据筛查")]
# A run's life (an uploaded .zip is audited in the background, sifund.web.payments_jobs): 排队 → 筛查中
# → 已完成 | 失败. Imported results, and every run made before migration 0004, are 已完成 at once.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
RUN_STATES = [(QUEUED, "排队中"), (RUNNING, "筛查中"), (DONE, "已完成"), (FAILED, "失败")]
RUN_STATE_NAMES = dict(RUN_STATES)
SOURCE_NAMES = dict(SOURCES)
MONEY = {"max_digits": 18, "decimal_places": 2}  # 元, as DECIMAL(18,2) in the engines


class PaymentRun(models.Model):
    """One audit of one region's payment tables over a period range: who ran or imported it and
    when, the contract JSON's ``summary`` (by_rule with names, categories, risks, skipped rules)
    and the rule catalogue's version, so a 疑点 list always says which rules produced it."""

    region = models.ForeignKey(
        Region, verbose_name="地区", on_delete=models.PROTECT, related_name="payment_runs"
    )
    period_first = models.CharField("起始期间", max_length=7, default="")
    period_last = models.CharField("截止期间", max_length=7, default="")
    year_first = models.IntegerField("起始年度", null=True, db_index=True)
    year_last = models.IntegerField("截止年度", null=True, db_index=True)
    source = models.CharField("来源", max_length=8, choices=SOURCES)
    source_name = models.CharField("来源文件", max_length=255, blank=True, default="")
    engine = models.CharField("引擎", max_length=16, blank=True, default="")
    catalogue_version = models.CharField("规则库版本", max_length=64, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hit_count = models.IntegerField("疑点数", default=0)
    amount = models.DecimalField("涉及金额（元）", default=0, **MONEY)
    payments = models.BigIntegerField("支付记录数", default=0)
    people = models.BigIntegerField("人数", default=0)
    summary = models.JSONField("汇总", default=dict)
    # by_rule's codes in the audit's order: PostgreSQL's jsonb does not keep the order of keys
    rule_order = models.JSONField("规则顺序", default=list, blank=True)
    # the background audit of an uploaded .zip (sifund.web.payments_jobs)
    state = models.CharField("状态", max_length=8, choices=RUN_STATES, default=DONE)
    problems = models.JSONField("失败原因", default=list, blank=True)  # [{"place", "message"}]
    upload = models.CharField("待筛查文件", max_length=255, blank=True, default="")  # under UPLOAD_DIR
    attempts = models.IntegerField("执行次数", default=0)
    started_at = models.DateTimeField("开始筛查", null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)  # the executing worker's last sign of life
    finished_at = models.DateTimeField("结束", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑点筛查"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "year_first", "year_last"]),
            models.Index(fields=["state", "id"], name="sifund_prun_state"),
        ]

    def __str__(self) -> str:
        return f"{self.region.name} {self.period_first}～{self.period_last} 疑点筛查"

    @property
    def source_label(self) -> str:
        return SOURCE_NAMES.get(self.source, self.source)

    @property
    def state_name(self) -> str:
        return RUN_STATE_NAMES.get(self.state, self.state)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def error(self) -> str:
        """Why the run failed, as one line (each problem ``place message``, joined by ；)."""
        return "；".join(
            f"{p.get('place', '')} {p.get('message', '')}".strip()
            for p in self.problems or []
            if isinstance(p, dict)
        )

    @property
    def ordered_summary(self) -> dict[str, Any]:
        """``summary`` with ``by_rule`` in the audit's order (the catalogue's), whatever the database
        did to the keys: :attr:`rule_order` first, then any other code in the built-in catalogue's
        order (runs stored before migration 0004 have no rule_order), then the rest by code."""
        by_rule = dict(self.summary.get("by_rule") or {})
        if not by_rule or list(by_rule) == list(self.rule_order or []):
            return self.summary
        known = [c for c in self.rule_order or [] if c in by_rule]
        rest = [c for c in by_rule if c not in set(known)]
        if rest:
            from sifund.payments.catalogue import load_rules

            pos = {r.code: i for i, r in enumerate(load_rules(None))}
            rest.sort(key=lambda c: (pos.get(c, len(pos)), c))
        return {**self.summary, "by_rule": {c: by_rule[c] for c in known + rest}}

    def rule_names(self) -> dict[str, str]:
        """Rule code → its Chinese name as the run's catalogue gave it."""
        return {k: str((v or {}).get("name") or k) for k, v in (self.summary.get("by_rule") or {}).items()}


class PaymentHit(models.Model):
    """One hit (one rule, one person) of a run and where its verification stands: status, the
    核查员's note and the money recovered (追回金额, 元). ``seq`` keeps the run's order of hits (risk,
    catalogue order, person_id) so pages list them as the CLI prints them."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="hits")
    seq = models.IntegerField()
    rule = models.CharField("规则", max_length=64)
    risk = models.CharField("风险等级", max_length=8)
    person_id = models.CharField("身份证号码", max_length=64)
    name = models.CharField("姓名", max_length=100, blank=True, default="")
    periods = models.JSONField("期间", default=list)
    period_first = models.CharField(max_length=7, blank=True, default="")
    period_last = models.CharField(max_length=7, blank=True, default="")
    amount = models.DecimalField("涉及金额（元）", **MONEY)
    reason = models.TextField("疑点说明", blank=True, default="")
    rows = models.JSONField("依据记录", default=list)
    other_ids = models.JSONField("其他号码", default=list, blank=True)
    status = models.CharField("核查状态", max_length=10, choices=VERIFY_STATUSES, default=PENDING)
    note = models.TextField("核查说明", blank=True, default="")
    recovered = models.DecimalField("追回金额（元）", default=0, **MONEY)
    version = models.IntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "疑点"
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="sifund_paymenthit_run_seq")]
        indexes = [
            models.Index(fields=["run", "rule", "seq"], name="sifund_ph_rule"),
            models.Index(fields=["run", "risk", "seq"], name="sifund_ph_risk"),
            models.Index(fields=["run", "status", "seq"], name="sifund_ph_status"),
            models.Index(fields=["run", "person_id"], name="sifund_ph_person"),
            models.Index(fields=["run", "name"], name="sifund_ph_name"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.person_id}"

    @property
    def status_name(self) -> str:
        return VERIFY_NAMES.get(self.status, self.status)


class PaymentHitEvent(models.Model):
    """One change of a hit's verification: who, when, status before → after, the note written
    with it and the 追回金额 before → after. Append-only (see the module docstring)."""

    hit = models.ForeignKey(PaymentHit, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    status_before = models.CharField(max_length=10, default="")
    status_after = models.CharField(max_length=10, default="")
    note = models.TextField(blank=True, default="")
    recovered_before = models.DecimalField(null=True, blank=True, **MONEY)
    recovered_after = models.DecimalField(null=True, blank=True, **MONEY)
    version = models.IntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "疑点核查记录"
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("核查记录不可修改 the verification history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("核查记录不可删除 the verification history is append-only")
