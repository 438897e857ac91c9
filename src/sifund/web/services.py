"""What the pages and the JSON API do, once: store an upload, create/update a submission, move it
through the workflow, render its files, review a report. Every write runs in one transaction and
leaves an :class:`~sifund.web.models.Event`; every figure and check comes from :mod:`sifund.api`.

Callers pass an :class:`~sifund.web.scope.Actor`; the scope checks are made here, so a page and an
API endpoint cannot disagree about who may do what.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from sifund import api
from sifund.core.errors import SifundError
from sifund.web import scope
from sifund.web.models import (
    APPROVED,
    DRAFT,
    RETURNED,
    SUBMITTED,
    Event,
    FindingComment,
    Region,
    Review,
    Submission,
)
from sifund.web.prepare import DATASET_SUFFIXES, REPORT_SUFFIXES, Ready, load_path, ready

MAX_CHANGES = 500  # changes listed per history entry (a whole new upload is summarised beyond that)


@dataclass
class BadInput(Exception):
    """A malformed upload or body (HTTP 400): ``problems`` as web.md's ``errors`` list."""

    problems: list[dict[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "；".join(
            f"{p['place']}: {p['message']}" if p["place"] else p["message"] for p in self.problems
        )


class Conflict(Exception):
    """The object changed since the caller read it (HTTP 409); ``str()`` names who and when."""


def problems_of(e: SifundError) -> list[dict[str, str]]:
    return [{"place": p.place or "", "message": p.message} for p in e.problems]


# ---- uploads -----------------------------------------------------------------------------------


def _sniff(head: bytes, suffix: str) -> str | None:
    """Why the first bytes cannot be a file of ``suffix`` (None: they can). Content decides, not
    the name: a renamed executable is refused before any reader sees it."""
    if suffix in (".xlsx", ".xlsm", ".docx"):
        return None if head.startswith(b"PK\x03\x04") else "文件内容不是 Office Open XML（.xlsx/.docx）格式"
    if suffix == ".pdf":
        return None if head.lstrip()[:5] == b"%PDF-" else "文件内容不是 PDF 格式"
    if b"\x00" in head:
        return "文件含有 NUL 字节，不是文本文件"
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "文件不是 UTF-8 编码的文本（请另存为 UTF-8）"
    return None


def store_upload(upload: Any, allowed: tuple[str, ...]) -> tuple[Path, str]:
    """Copy an uploaded file under ``DATA/uploads/<random>.<ext>`` (the client's name is never a
    path), bounded by ``SIFUND_UPLOAD_MAX_MB`` and checked by content. Returns (path, suffix)."""
    name = str(getattr(upload, "name", "") or "")
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise BadInput(
            [
                {
                    "place": "file",
                    "message": f"不支持的文件类型“{suffix or '无扩展名'}”，应为 {'/'.join(allowed)}",
                }
            ]
        )
    cap = settings.UPLOAD_MAX_BYTES
    if (getattr(upload, "size", 0) or 0) > cap:
        raise BadInput([{"place": "file", "message": f"文件过大（上限 {cap // (1024 * 1024)} MB）"}])
    updir = Path(settings.UPLOAD_DIR)
    updir.mkdir(parents=True, exist_ok=True)
    path = updir / f"{uuid.uuid4().hex}{suffix}"
    total, head = 0, b""
    try:
        with open(path, "xb") as out:
            for chunk in upload.chunks():
                total += len(chunk)
                if total > cap:
                    raise BadInput(
                        [{"place": "file", "message": f"文件过大（上限 {cap // (1024 * 1024)} MB）"}]
                    )
                if len(head) < 4096:
                    head += chunk[: 4096 - len(head)]
                out.write(chunk)
        if total == 0:
            raise BadInput([{"place": "file", "message": "文件为空"}])
        if why := _sniff(head, suffix):
            raise BadInput([{"place": "file", "message": why}])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    path.chmod(0o640)
    return path, suffix


def load_upload(upload: Any) -> tuple[api.Loaded, str]:
    """A dataset from an uploaded template/YAML/JSON, or extracted from an uploaded report.
    Returns (loaded, kind); a bad file is BadInput naming sheet!cell / line / field."""
    path, suffix = store_upload(upload, DATASET_SUFFIXES + REPORT_SUFFIXES)
    name = str(upload.name)
    try:
        loaded = load_path(path, name)
        _rename_source(loaded.dataset, name)  # the server's storage path is nobody's business
        return loaded, suffix.lstrip(".")
    except SifundError as e:
        for p in e.problems:
            object.__setattr__(p, "file", name)
        raise BadInput(problems_of(e)) from None
    finally:
        if suffix not in REPORT_SUFFIXES:
            path.unlink(missing_ok=True)  # the dataset itself is stored; the raw file is not needed


def _rename_source(ds: Any, name: str) -> None:
    for x in [*ds.figures, *ds.indicators]:
        src = getattr(x, "source", None)
        if src is not None and src.file:
            src.file = name


def parse_body(data: Any) -> api.Loaded:
    """A dataset from a JSON body or a form (interchange shape); problems by field path."""
    try:
        return api.parse(data)
    except SifundError as e:
        raise BadInput(problems_of(e)) from None


# ---- submissions -------------------------------------------------------------------------------


def _apply(sub: Submission, r: Ready) -> None:
    s = r.summary
    sub.dataset, sub.year, sub.evaluation = r.dataset, r.year, r.evaluation
    sub.score, sub.grade = s["score"], s["grade"] or ""
    sub.expenditure_completion, sub.payable_months = s["expenditure_completion"], s["payable_months"]
    sub.risk_high, sub.risk_medium, sub.risk_low = s["risks"]["high"], s["risks"]["medium"], s["risks"]["low"]
    sub.warnings = r.warnings


def insert_submission(
    region: Region, r: Ready, user: Any, source_name: str, kind: str, comment: str
) -> Submission:
    """A new draft with its ``create`` event (inside the caller's transaction; no scope check:
    :func:`create_submission` and ``sifund load`` make theirs first)."""
    sub = Submission(region=region, status=DRAFT, version=1, created_by=user, updated_by=user,
                     source_name=source_name[:255], source_kind=kind)  # fmt: skip
    _apply(sub, r)
    sub.save()
    Event.objects.create(submission=sub, user=user, action="create", version=1, status_after=DRAFT,
                         comment=comment)  # fmt: skip
    return sub


def region_named(name: str) -> Region | None:
    return Region.objects.filter(name=name.strip()).first()


@transaction.atomic
def create_submission(
    a: scope.Actor, loaded: api.Loaded, source_name: str = "", kind: str = ""
) -> Submission:
    ds = loaded.dataset
    region = region_named(ds.region)
    scope.can_create(a, region, ds.region)
    comment = f"来自{source_name}" if source_name else ""
    return insert_submission(region, ready(loaded), a.user, source_name, kind, comment)  # type: ignore[arg-type]  # can_create refused None


def _keyed(items: Any, key: Any) -> dict[str, Any] | None:
    """A list of figures/indicators as ``{"fund/item/measure": figure}`` (a repeat gets ``#2``), so a
    deleted row is one change, not a shift of every later row."""
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        return None
    out: dict[str, Any] = {}
    for x in items:
        k = key(x)
        n, kk = 1, k
        while kk in out:
            n += 1
            kk = f"{k}#{n}"
        out[kk] = x
    return out


LIST_KEYS = {
    "figures": lambda f: f"{f.get('fund')}/{f.get('item')}/{f.get('measure', 'actual')}",
    "indicators": lambda i: str(i.get("name", "")),
}


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Field-level differences of two interchange objects: ``figures[pension/income_total/actual].value``
    12 → 13; figures are matched by fund/item/measure and indicators by name, other lists by position."""
    out: list[dict[str, Any]] = []

    def walk(b: Any, c: Any, p: str) -> None:
        if len(out) >= MAX_CHANGES:
            return
        if isinstance(b, dict) and isinstance(c, dict):
            for k in list(dict.fromkeys([*b, *c])):
                if k == "source":
                    continue  # where a figure was typed is not a change of the figure
                sub = f"{p}.{k}" if p else str(k)
                if not p and k in LIST_KEYS:
                    kb, kc = _keyed(b.get(k) or [], LIST_KEYS[k]), _keyed(c.get(k) or [], LIST_KEYS[k])
                    if kb is not None and kc is not None:
                        for name in list(dict.fromkeys([*kb, *kc])):
                            walk(kb.get(name), kc.get(name), f"{k}[{name}]")
                        continue
                walk(b.get(k), c.get(k), sub)
        elif isinstance(b, list) and isinstance(c, list):
            for i in range(max(len(b), len(c))):
                walk(b[i] if i < len(b) else None, c[i] if i < len(c) else None, f"{p}[{i}]")
        elif b != c:
            out.append({"field": p, "before": b, "after": c})

    walk(before, after, path)
    return out


@transaction.atomic
def update_submission(
    a: scope.Actor, pk: Any, loaded: api.Loaded, if_match: int | None = None, source_name: str = ""
) -> Submission:
    """Save a new dataset into a draft/returned submission. ``if_match``: the version the editor
    started from; a stale one is a Conflict naming who saved in between (nothing is lost: the
    caller still has its data and the stored one is untouched)."""
    scope.ensure_submission(a, pk)  # 404 before anything else
    sub = Submission.objects.select_for_update(of=("self",)).select_related("region", "updated_by").get(pk=pk)
    scope.can_edit(a, sub)
    if if_match is not None and int(if_match) != sub.version:
        who = sub.updated_by.get_username() if sub.updated_by else "其他用户"
        from django.utils import timezone

        t = timezone.localtime(sub.updated_at)
        when = f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"
        raise Conflict(
            f"此提交已被{who}于{when}修改（当前版本{sub.version}，您编辑的是版本{if_match}），"
            "请刷新后在最新版本上修改；您的修改未保存，也未丢失"
        )
    ds = loaded.dataset
    if ds.region.strip() != sub.region.name:
        raise scope.Forbidden(f"数据集的地区“{ds.region}”与此提交的地区“{sub.region.name}”不一致")
    changes = diff(sub.dataset, ds.to_interchange())
    if not changes:
        return sub
    _apply(sub, ready(loaded))
    sub.version += 1
    sub.updated_by = a.user
    if source_name:
        sub.source_name = source_name[:255]
    sub.save()
    Event.objects.create(
        submission=sub,
        user=a.user,
        action="update",
        version=sub.version,
        status_before=sub.status,
        status_after=sub.status,
        changes=changes,
        comment=f"来自{source_name}" if source_name else "",
    )
    return sub


TRANSITIONS = {
    "submit": (scope.can_submit, SUBMITTED),
    "return": (scope.can_return, RETURNED),
    "approve": (scope.can_approve, APPROVED),
}


@transaction.atomic
def transition(a: scope.Actor, pk: Any, action: str, comment: str = "") -> Submission:
    """submit (draft/returned → submitted), return (submitted → returned, comment required),
    approve (submitted → approved)."""
    scope.ensure_submission(a, pk)
    sub = Submission.objects.select_for_update(of=("self",)).select_related("region").get(pk=pk)
    check, target = TRANSITIONS[action]
    check(a, sub)
    comment = (comment or "").strip()
    if action == "return" and not comment:
        raise BadInput([{"place": "comment", "message": "退回时必须填写退回意见"}])
    if len(comment) > 5000:
        raise BadInput([{"place": "comment", "message": "意见过长（上限 5000 字）"}])
    before = sub.status
    sub.status = target
    sub.updated_by = a.user
    sub.save(update_fields=["status", "updated_by", "updated_at"])
    Event.objects.create(
        submission=sub,
        user=a.user,
        action=action,
        comment=comment,
        version=sub.version,
        status_before=before,
        status_after=target,
    )
    return sub


def history(sub: Submission) -> list[dict[str, Any]]:
    """web.md's ``history``: ``[{"at", "user", "action", "comment"}]`` plus status and changes."""
    return [
        {
            "at": e.at.isoformat(),
            "user": e.user.get_username() if e.user else "",
            "action": e.action,
            "comment": e.comment,
            "version": e.version,
            "status_before": e.status_before,
            "status_after": e.status_after,
            "changes": e.changes,
        }
        for e in sub.events.select_related("user").order_by("at", "id")
    ]


def loaded_of(sub: Submission) -> api.Loaded:
    """The stored dataset, re-validated (it was valid when stored; the codes may have moved on)."""
    try:
        return api.parse(sub.dataset, file=f"submission {sub.pk}")
    except SifundError as e:
        raise BadInput(problems_of(e)) from None


FILES = {
    "report.docx": (
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "selftable.xlsx": ("xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "report.html": ("html", ".html", "text/html; charset=utf-8"),
    "report.txt": ("txt", ".txt", "text/plain; charset=utf-8"),
}


def render_file(sub: Submission, name: str, audit_appendix: bool = False) -> tuple[bytes, str, str]:
    """(content, content type, download file name) of one rendered file of a submission, made by
    the same renderers as ``sifund report``. KeyError for an unknown ``name``."""
    fmt, suffix, ctype = FILES[name]
    loaded = loaded_of(sub)
    ev = api.evaluate(loaded.dataset, None, loaded.warnings)
    tmp = Path(tempfile.mkdtemp(prefix="sifund-web-"))
    try:
        written = api.render(loaded.dataset, ev, tmp, [fmt], audit_appendix)
        path = next(p for p in written if p.suffix == suffix)
        return path.read_bytes(), ctype, path.name
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- reviews of uploaded reports ---------------------------------------------------------------


def review_path(r: Review) -> Path:
    return Path(settings.UPLOAD_DIR) / r.stored_name


@transaction.atomic
def create_review(a: scope.Actor, upload: Any) -> Review:
    """Extract and audit an uploaded report (kept under a generated name) for ``a``'s region."""
    scope.can_upload_review(a)
    region = a.region or Region.objects.order_by("path").first()
    if region is None:
        raise BadInput([{"place": "region", "message": "尚未建立任何地区"}])
    path, suffix = store_upload(upload, REPORT_SUFFIXES)
    try:
        result = api.review(path)
    except SifundError as e:
        path.unlink(missing_ok=True)
        raise BadInput(problems_of(e)) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    text = result.pop("text")
    r = Review.objects.create(
        region=region,
        uploaded_by=a.user,
        original_name=str(upload.name)[:255],
        stored_name=path.name,
        kind=suffix.lstrip("."),
        text=text,
        result=result,
    )
    Event.objects.create(review=r, user=a.user, action="upload", comment=r.original_name, version=1)
    return r


def _check_corrections(r: Review, corrections: list[dict[str, Any]]) -> None:
    """Each correction names an existing figure and known codes; a problem is placed at the
    caller's ``corrections[k]`` (not in the merged list kept on the review)."""
    from sifund.core.codes import codebook

    cb = codebook()
    n_figs = len(r.result.get("figures", []))
    tables = {"fund": {*cb.funds, "all"}, "item": set(cb.items), "measure": set(cb.measures)}
    problems = []
    for k, c in enumerate(corrections):
        i = c.get("index") if isinstance(c, dict) else None
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n_figs:
            problems.append({"place": f"corrections[{k}].index", "message": f"没有第 {i} 个数字"})
            continue
        for key, known in tables.items():
            v = c.get(key)
            if v and v not in known:
                problems.append({"place": f"corrections[{k}].{key}", "message": f"未知代码 {v!r}"})
    if problems:
        raise BadInput(problems)


@transaction.atomic
def correct_review(
    a: scope.Actor, pk: Any, corrections: list[dict[str, Any]], if_match: int | None = None
) -> Review:
    """Apply a reviewer's fund/item/measure corrections to figures and re-run the audit."""
    scope.review(a, pk)
    r = Review.objects.select_for_update().get(pk=pk)
    if if_match is not None and int(if_match) != r.version:
        raise Conflict(f"此审核已被他人更新（当前版本{r.version}，您编辑的是版本{if_match}），请刷新后再更正")
    _check_corrections(r, corrections)  # problems placed by the caller's own list
    merged = {c["index"]: dict(c) for c in r.corrections if isinstance(c.get("index"), int)}
    for c in corrections:
        merged.setdefault(c["index"], {"index": c["index"]}).update(
            {k: v for k, v in c.items() if k in ("fund", "item", "measure") and v}
        )
    new = [merged[i] for i in sorted(merged)]
    try:
        result = api.review(review_path(r), new)
    except SifundError as e:
        raise BadInput(problems_of(e)) from None
    result.pop("text", None)
    before = r.corrections
    r.result, r.corrections, r.version = result, new, r.version + 1
    r.save(update_fields=["result", "corrections", "version"])
    Event.objects.create(
        review=r,
        user=a.user,
        action="correct",
        version=r.version,
        changes=diff({"corrections": before}, {"corrections": new}),
    )
    return r


@transaction.atomic
def comment_finding(a: scope.Actor, pk: Any, finding_key: str, state: str, text: str = "") -> FindingComment:
    r = scope.review(a, pk)
    if state not in dict(FindingComment.STATES):
        raise BadInput(
            [
                {
                    "place": "state",
                    "message": "意见类型应为 accepted（认可）/explained（已说明）/to_fix（需整改）",
                }
            ]
        )
    if not finding_key or len(finding_key) > 200:
        raise BadInput([{"place": "finding", "message": "未指明审核发现"}])
    c = FindingComment.objects.create(
        review=r, finding_key=finding_key, state=state, text=(text or "")[:5000], user=a.user
    )
    Event.objects.create(
        review=r, user=a.user, action="comment", comment=f"{finding_key}: {state} {text or ''}"[:5000]
    )
    return c


def finding_key(f: dict[str, Any], i: int = 0) -> str:
    """A stable name for a finding of a review: its code and where its evidence starts — not its
    position in the list, so a comment stays on its finding when a correction re-runs the audit
    (``i`` is accepted for older callers and ignored)."""
    start = min((e.get("start", 0) for e in f.get("evidence", []) or []), default=0)
    end = max((e.get("end", 0) for e in f.get("evidence", []) or []), default=0)
    return f"{f.get('code', '')}@{start}-{end}"
