"""What the web app stores: regions, who belongs where, submissions and their append-only history,
uploaded reports under review with the reviewer's comments, and API tokens.

A submission keeps its dataset as the interchange JSON (``Dataset.to_interchange()``), so what a
user uploads, edits and downloads is the same object the CLI reads; its evaluation is stored beside
it (recomputed on every save) with the few columns the dashboard sorts and colours by.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models

LEVELS = [("province", "自治区/省"), ("prefecture", "地州/市"), ("county", "县/市/区")]
LEVEL_NAMES = dict(LEVELS)
LEVEL_SYNONYMS = {"city": "prefecture"}  # web.md: city may be accepted for 地级市

ROLES = [("preparer", "经办"), ("reviewer", "审核"), ("admin", "管理员")]
ROLE_NAMES = dict(ROLES)

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
STATUSES = [(DRAFT, "草稿"), (SUBMITTED, "已提交"), (RETURNED, "已退回"), (APPROVED, "已通过")]
STATUS_NAMES = dict(STATUSES)
EDITABLE = frozenset({DRAFT, RETURNED})

ACTIONS = [
    ("create", "创建"),
    ("update", "修改"),
    ("submit", "提交"),
    ("return", "退回"),
    ("approve", "通过"),
    ("upload", "上传报告"),
    ("correct", "更正数字"),
    ("comment", "审核意见"),
]
ACTION_NAMES = dict(ACTIONS)


class Region(models.Model):
    """A node of the region tree (自治区/省 → 地州/市 → 县/市/区).

    ``path`` is the chain of ids from the root (``/1/4/17/``): "this region and everything below
    it" is one indexed ``startswith`` query, which is how every scope check is made."""

    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("级别", max_length=12, choices=LEVELS)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=400, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = verbose_name_plural = "地区"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Region.objects.filter(pk=self.pk).update(path=path)
            if old:  # moved: its subtree follows
                for r in Region.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Region.objects.filter(pk=r.pk).update(path=path + r.path[len(old) :])

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)

    def ancestors(self) -> list[Region]:
        ids = [int(x) for x in self.path.strip("/").split("/") if x][:-1]
        by_id = {r.pk: r for r in Region.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: Region) -> bool:
        """True when this region is ``other`` or below it."""
        return bool(other.path) and self.path.startswith(other.path)


class Profile(models.Model):
    """A user's region and role (one each)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sifund")
    region = models.ForeignKey(
        Region, verbose_name="所属地区", on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField("角色", max_length=10, choices=ROLES)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user.username}（{self.region.name}·{ROLE_NAMES.get(self.role, self.role)}）"


class ApiToken(models.Model):
    """A script's token. Only its SHA-256 is stored: a copied database gives no working token."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()

    @classmethod
    def issue(cls, user: Any) -> str:
        key = secrets.token_hex(20)
        cls.objects.create(user=user, key_hash=cls.digest(key))
        return key


class LoginFailure(models.Model):
    """One failed login (user name as typed, client address) for throttling; old rows are purged."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True, default="")
    at = models.DateTimeField(auto_now_add=True, db_index=True)


class Submission(models.Model):
    """One region-year's dataset through its workflow. ``version`` counts saves (the ``If-Match``
    of web.md); a new upload for the same region-year is a new submission (a new version of the
    report), the older ones stay as they were."""

    region = models.ForeignKey(
        Region, verbose_name="地区", on_delete=models.PROTECT, related_name="submissions"
    )
    year = models.IntegerField("年度", db_index=True)
    status = models.CharField("状态", max_length=10, choices=STATUSES, default=DRAFT, db_index=True)
    version = models.IntegerField("版本", default=1)
    source_name = models.CharField("来源文件", max_length=255, blank=True, default="")
    source_kind = models.CharField("来源类型", max_length=10, blank=True, default="")
    # what the dashboard sorts and colours by (copied from ``evaluation`` on every save)
    score = models.FloatField("得分", null=True, blank=True)
    grade = models.CharField("等级", max_length=4, blank=True, default="")
    expenditure_completion = models.FloatField("支出完成率", null=True, blank=True)
    payable_months = models.FloatField("可支付月数", null=True, blank=True)
    risk_high = models.IntegerField(default=0)
    risk_medium = models.IntegerField(default=0)
    risk_low = models.IntegerField(default=0)
    warnings = models.IntegerField("警告数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The two large JSON values come last: SQLite reads a row's columns in order, so the dashboard's
    # columns above are found without walking ~110 KB of overflow pages per row (grid 482 → 62 ms
    # for 3,000 submissions, measured).
    dataset = models.JSONField("数据集")
    evaluation = models.JSONField("评价结果", default=dict)

    class Meta:
        verbose_name = verbose_name_plural = "自评提交"
        ordering = ["-year", "region__path", "-id"]
        indexes = [models.Index(fields=["region", "year"]), models.Index(fields=["year", "region"])]

    def __str__(self) -> str:
        return f"{self.region.name} {self.year}年（{self.status_name}）"

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


class Review(models.Model):
    """A report uploaded for review: its text, what was extracted and found, and the reviewer's
    corrections of figures (re-audited). The file is kept under a generated name."""

    region = models.ForeignKey(Region, verbose_name="地区", on_delete=models.PROTECT, related_name="reviews")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField(max_length=80)
    kind = models.CharField(max_length=6)  # txt | docx | pdf
    text = models.TextField(default="")
    result = models.JSONField(default=dict)  # {figures, indicators, findings, unresolved, region, year}
    corrections = models.JSONField(default=list)  # [{index, fund, item, measure, by, at}]
    version = models.IntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "报告审核"
        ordering = ["-uploaded_at", "-id"]


class FindingComment(models.Model):
    """A reviewer's note on one finding of a review (accepted / explained / to be fixed); kept."""

    STATES = [("accepted", "认可"), ("explained", "已说明"), ("to_fix", "需整改")]
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="comments")
    finding_key = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=STATES)
    text = models.TextField(blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审核意见不可修改 comments are kept as written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("审核意见不可删除 comments are kept")


class Event(models.Model):
    """The audit trail: every transition and edit (who, when, what, before/after).

    Append-only by construction: ``save`` of an existing row and ``delete`` raise, and the
    foreign keys PROTECT, so neither the app nor a cascade removes history."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=ACTIONS)
    comment = models.TextField(blank=True, default="")
    version = models.IntegerField(null=True, blank=True)
    status_before = models.CharField(max_length=10, blank=True, default="")
    status_after = models.CharField(max_length=10, blank=True, default="")
    changes = models.JSONField(default=list)  # [{"field": "figures[3].value", "before": …, "after": …}]

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("操作记录不可修改 the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("操作记录不可删除 the audit trail is append-only")

    @property
    def action_name(self) -> str:
        return ACTION_NAMES.get(self.action, self.action)


# the payment audits' runs, hits and their verification history (a module of their own)
from sifund.web.payment_models import PaymentHit, PaymentHitEvent, PaymentRun  # noqa: E402, F401
