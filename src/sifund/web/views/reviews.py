"""Pages: review of uploaded reports.

``/reviews/``                 the reviews in the caller's scope and the upload form (TXT/DOCX/PDF)
``/reviews/<id>/``            the report text with every extracted figure highlighted at its source
                              span, the findings beside it, the unresolved numbers, the 绩效指标
``/reviews/<id>/correct/``    POST: a reviewer's fund/item/measure correction of one figure → the
                              audit re-run (``services.correct_review``)
``/reviews/<id>/comment/``    POST: a comment on one finding (认可 / 已说明 / 需整改)
``/reviews/<id>/export.json`` the figures, indicators, findings and unresolved numbers (the content
                              of ``sifund extract`` / ``sifund audit --format json``) as a download

The highlighted text is built here from the offsets, on the escaped text: the report's text is
never trusted as HTML. Spans that cross each other are made to nest (see :func:`lay_out`).
"""

from __future__ import annotations

import bisect
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sifund.web import http, scope, services
from sifund.web.models import ACTION_NAMES, FindingComment, Review

SEVERITIES = (("error", "错误"), ("warning", "警告"), ("info", "提示"))
SEVERITY_NAMES = dict(SEVERITIES)
STATE_NAMES = dict(FindingComment.STATES)
STATE_CLASSES = {"accepted": "st-approved", "explained": "st-submitted", "to_fix": "st-returned"}
ITEM_GROUPS = (
    ("income", "收入"),
    ("expenditure", "支出"),
    ("balance", "结余"),
    ("people", "人数"),
    ("other", "其他"),
)
# why the extractor left a number unresolved (sifund.review's reason words), for the reviewer
UNRESOLVED_REASONS = {
    "rate without known meaning": "比率含义不明（不知是何种比率）",
    "rate without subject": "比率未指明所属项目",
    "rate of a part with no amount": "比率所属的分项未给出金额（分项不在代码表中）",
    "yoy without subject": "同比增减未指明所属项目",
    "change without comparison": "增减额未给出对比的基数",
    "from-to without subject": "“由……增至……”未指明所属项目",
    "share": "占比（不是基金收支数）",
    "share of unknown": "占比，所占的总量不明",
    "per_capita": "人均数",
    "unknown item": "未能识别所属项目",
    "unknown fund": "未能识别所属基金",
    "out of range": "数值超出合理范围",
}
PER_PAGE = 50
# what the page's script needs of a figure (review.js fills the figure panel with these)
JS_FIGURE_KEYS = (
    "i", "fund", "item", "measure", "fund_name", "item_name", "measure_name", "value", "unit", "precision",
    "range", "text", "mark", "corrected", "findings", "read_as",
)  # fmt: skip


# ---- highlighting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch ``[start, end)`` of the text to be marked. ``kind``: ``fig`` (an extracted figure,
    ``key`` its index), ``unres`` (an unresolved number), ``ind`` (a 绩效指标 row) or ``ev`` (a piece
    of evidence that is none of these)."""

    start: int
    end: int
    kind: str
    key: int

    @property
    def id(self) -> str:
        return f"m-{KIND_LETTERS[self.kind]}{self.key}"


PRIORITY = {"fig": 0, "unres": 1, "ind": 2, "ev": 3}
KIND_LETTERS = {"fig": "f", "unres": "u", "ind": "n", "ev": "e"}


def lay_out(spans: list[Span], length: int) -> list[Span]:
    """The spans clipped to the text and made *laminar* (any two are disjoint or one contains the
    other), so that they nest as HTML elements. Deterministic: spans are taken by priority (figures,
    then unresolved numbers, indicator rows, evidence), then by start, longest first, then key; a
    span that crosses one already taken is shortened to the part outside it (a span nested inside
    another is kept as it is); a span left empty is dropped. Returned in document order (start,
    longest first; for equal stretches the higher-priority span innermost)."""
    taken: list[Span] = []  # sorted by (start, -end)
    starts: list[tuple[int, int]] = []
    longest = 0
    for s in sorted(spans, key=lambda s: (PRIORITY[s.kind], s.start, -s.end, s.key)):
        start, end = max(0, s.start), min(length, s.end)
        while start < end:
            crossing = _crossing(taken, starts, longest, start, end)
            if crossing is None:
                break
            if crossing.start < start:  # it starts before and ends inside: begin after it
                start = crossing.end
            else:  # it starts inside and ends after: stop before it
                end = crossing.start
        if start >= end:
            continue
        t = Span(start, end, s.kind, s.key)
        at = bisect.bisect(starts, (start, -end))
        starts.insert(at, (start, -end))
        taken.insert(at, t)
        longest = max(longest, end - start)
    return sorted(taken, key=lambda s: (s.start, -s.end, -PRIORITY[s.kind], s.key))


def _crossing(
    taken: list[Span], starts: list[tuple[int, int]], longest: int, start: int, end: int
) -> Span | None:
    """The first taken span that crosses ``[start, end)`` (overlaps it without either containing
    the other), or None. Only spans starting within ``longest`` before ``start`` can reach it."""
    lo = bisect.bisect_left(starts, (start - longest, -(10**18)))
    hi = bisect.bisect_left(starts, (end, -(10**18)))
    for a in taken[lo:hi]:
        if a.start < start < a.end < end or start < a.start < end < a.end:
            return a
    return None


def highlight(text: str, spans: list[Span], attrs: Callable[[Span], dict[str, str]]) -> SafeString:
    """The text as HTML, every character escaped, with a ``<mark>`` around each of ``spans`` (laid
    out by :func:`lay_out`) carrying the attributes ``attrs(span)`` (escaped too)."""
    esc = html.escape  # & < > " ' (what django.utils.html.escape does, without its lazy wrapper)
    out: list[str] = []
    pos = 0
    stack: list[Span] = []

    def close() -> None:
        nonlocal pos
        top = stack.pop()
        out.append(esc(text[pos : top.end]))
        out.append("</mark>")
        pos = top.end

    for s in lay_out(spans, len(text)):
        while stack and stack[-1].end <= s.start:
            close()
        out.append(esc(text[pos : s.start]))
        pos = s.start
        a = "".join(f' {k}="{esc(v)}"' for k, v in attrs(s).items())
        out.append(f"<mark{a}>")
        stack.append(s)
    while stack:
        close()
    out.append(esc(text[pos:]))
    return mark_safe("".join(out))


# ---- formatting ----------------------------------------------------------------------------------


def _decimals(p: Any) -> int:
    """Decimal places a step ``p`` is printed with (0.01 → 2, 0.005 → 3, 1 → 0, 100 → 0)."""
    try:
        d = Decimal(repr(float(p))).normalize()
    except (InvalidOperation, TypeError, ValueError):
        return 0
    return max(0, -int(d.as_tuple().exponent))


def number(v: Any, places: int | None = None) -> str:
    if v is None:
        return "—"
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if places is None:  # as few decimals as the value needs (a float's last-digit noise dropped)
        return f"{x:.6f}".rstrip("0").rstrip(".")
    return f"{x:.{min(places, 6)}f}"


def _codes() -> dict[str, Any]:
    from sifund.core.codes import codebook

    cb = codebook()
    return {
        "funds": [(f.code, f.name) for f in cb.funds.values()],
        "items": [
            (label, [(i.code, i.name) for i in cb.items.values() if i.group == group])
            for group, label in ITEM_GROUPS
        ],
        "measures": [(m.code, m.name) for m in cb.measures.values()],
        "fund_names": {f.code: f.name for f in cb.funds.values()},
        "item_names": {i.code: i.name for i in cb.items.values()},
        "measure_names": {m.code: m.name for m in cb.measures.values()},
    }


def read_as(figures: list[dict[str, Any]], text: str, corrections: list[Any]) -> list[str]:
    """Each stored figure's 读作 sentence (``sifund.review.explain``), from what it records and the
    review's text. A field a reviewer corrected is told as corrected, not as the extractor read it;
    a stored figure that no longer validates (a code since removed) gets an empty sentence."""
    from pydantic import ValidationError

    from sifund.core.model import Figure
    from sifund.review.explain import explain

    changed: dict[int, set[str]] = {}
    for c in corrections or []:
        if isinstance(c, dict) and isinstance(c.get("index"), int):
            changed.setdefault(c["index"], set()).update(k for k in ("fund", "item") if k in c)
    out = []
    for i, f in enumerate(figures):
        data = dict(f)
        if i in changed:
            att = dict(data.get("attribution") or {})
            att.update(dict.fromkeys(changed[i], "corrected"))
            data["attribution"] = att
            if "fund" in changed[i]:
                data.pop("scope_at", None)
        try:
            out.append(explain(Figure.model_validate(data), text).read_as)
        except ValidationError:
            out.append("")
    return out


def _span_of(x: dict[str, Any] | None) -> tuple[int, int] | None:
    if not isinstance(x, dict):
        return None
    s, e = x.get("start"), x.get("end")
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e:
        return s, e
    return None


def severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    out = {k: 0 for k, _ in SEVERITIES}
    for f in findings:
        if f.get("severity") in out:
            out[f["severity"]] += 1
    return out


def _severity_list(counts: dict[str, int]) -> list[dict[str, Any]]:
    return [{"code": k, "name": n, "count": counts[k]} for k, n in SEVERITIES]


# ---- the page's content ------------------------------------------------------------------------


def page_content(r: Review) -> dict[str, Any]:
    """Everything the review page shows, computed from the stored result (no figure is typed)."""
    res = r.result or {}
    text = r.text or ""
    figures = res.get("figures", []) or []
    unresolved = res.get("unresolved", []) or []
    indicators = res.get("indicators", []) or []
    findings = res.get("findings", []) or []
    codes = _codes()

    spans: list[Span] = []
    by_span: dict[tuple[int, int], list[str]] = {}  # a stretch → the marks standing on it, figures first
    for kind, rows, src in (
        ("fig", figures, lambda x: x.get("source")),
        ("unres", unresolved, lambda x: x),
        ("ind", indicators, lambda x: x.get("source")),
    ):
        for i, x in enumerate(rows):
            sp = _span_of(src(x))
            if sp:
                s = Span(sp[0], sp[1], kind, i)
                spans.append(s)
                by_span.setdefault(sp, []).append(s.id)
    ev_n = 0
    for f in findings:
        for e in f.get("evidence", []) or []:
            sp = _span_of(e)
            if sp and sp not in by_span:
                s = Span(sp[0], sp[1], "ev", ev_n)
                ev_n += 1
                spans.append(s)
                by_span[sp] = [s.id]
    laid = lay_out(spans, len(text))
    shown = {s.id for s in laid}

    keys = [services.finding_key(f, i) for i, f in enumerate(findings)]
    comments: dict[str, list[dict[str, Any]]] = {}
    for c in r.comments.select_related("user").order_by("at", "id"):
        comments.setdefault(c.finding_key, []).append(
            {
                "user": c.user.get_username(),
                "at": c.at,
                "state": c.state,
                "state_name": STATE_NAMES.get(c.state, c.state),
                "state_class": STATE_CLASSES.get(c.state, ""),
                "text": c.text,
            }
        )

    fig_findings: dict[int, list[int]] = {}
    finding_rows = []
    for i, f in enumerate(findings):
        marks: list[str] = []
        evidence = []
        for e in f.get("evidence", []) or []:
            sp = _span_of(e)
            ids = [m for m in by_span.get(sp, []) if m in shown] if sp else []
            for m in ids:
                if m not in marks:
                    marks.append(m)
                if m.startswith("m-f") and i not in fig_findings.setdefault(int(m[3:]), []):
                    fig_findings[int(m[3:])].append(i)
            evidence.append(
                {"text": e.get("text", ""), "place": e.get("place") or "", "mark": ids[0] if ids else ""}
            )
        cs = comments.get(keys[i], [])
        rng = f.get("expected_range")
        finding_rows.append(
            {
                "i": i,
                "key": keys[i],
                "code": f.get("code", ""),
                "severity": f.get("severity", "info"),
                "severity_name": SEVERITY_NAMES.get(f.get("severity", ""), f.get("severity", "")),
                "message": f.get("message", ""),
                "recomputation": f.get("recomputation", ""),
                "expected": (
                    f"{number(rng[0])}～{number(rng[1])}" if isinstance(rng, list) and len(rng) == 2 else ""
                ),
                "evidence": evidence,
                "marks": marks,
                "comments": cs,
                "last": cs[-1] if cs else None,
            }
        )
    order = {k: n for n, (k, _) in enumerate(SEVERITIES)}
    finding_rows.sort(key=lambda x: (order.get(x["severity"], 9), x["i"]))

    corrected = {c.get("index"): c for c in (r.corrections or []) if isinstance(c, dict)}
    readings = read_as(figures, text, r.corrections or [])
    fig_rows = []
    for i, f in enumerate(figures):
        p = f.get("precision")
        places = _decimals(p) if p else None
        half = _decimals(float(p) / 2) if p else 0
        v = f.get("value")
        fig_rows.append(
            {
                "i": i,
                "fund": f.get("fund", ""),
                "item": f.get("item", ""),
                "measure": f.get("measure", ""),
                "fund_name": codes["fund_names"].get(f.get("fund", ""), f.get("fund", "")),
                "item_name": codes["item_names"].get(f.get("item", ""), f.get("item", "")),
                "measure_name": codes["measure_names"].get(f.get("measure", ""), f.get("measure", "")),
                "value": number(v, places),
                "unit": f.get("unit", "") or "",
                "precision": number(p, places) if p else "",
                "range": (
                    f"{number(float(v) - float(p) / 2, half)}～{number(float(v) + float(p) / 2, half)}"
                    if p and isinstance(v, int | float)
                    else ""
                ),
                "text": (f.get("source") or {}).get("text", ""),
                "mark": f"m-f{i}" if f"m-f{i}" in shown else "",
                "corrected": i in corrected,
                "findings": fig_findings.get(i, []),
                "read_as": readings[i],
            }
        )
    unres_rows = [
        {
            "i": i,
            "text": u.get("text", ""),
            "value": number(u.get("value")),
            "unit": u.get("unit", "") or "",
            "reason": u.get("reason", ""),
            "reason_name": _reason_name(u.get("reason", "")),
            "mark": f"m-u{i}" if f"m-u{i}" in shown else "",
        }
        for i, u in enumerate(unresolved)
    ]
    ind_rows = [
        {
            **{k: x.get(k, "") or "" for k in ("level1", "level2", "name", "target", "actual", "reason")},
            "fund_name": codes["fund_names"].get(x.get("fund", ""), x.get("fund", ""))
            if x.get("fund")
            else "",
            "mark": f"m-n{i}" if f"m-n{i}" in shown else "",
        }
        for i, x in enumerate(indicators)
    ]

    def attrs(s: Span) -> dict[str, str]:
        a = {"id": s.id, "data-s": str(s.start), "data-e": str(s.end)}
        if s.kind == "fig":
            row = fig_rows[s.key]
            a = {"class": "fig", "data-i": str(s.key), **a}
            a["title"] = (
                f"{row['fund_name']}·{row['item_name']}·{row['measure_name']} {row['value']}{row['unit']}"
            )
            if row["corrected"]:
                a["class"] = "fig corrected"
        elif s.kind == "unres":
            a = {"class": "fig unres", "data-u": str(s.key), **a}
            a["title"] = f"未归类：{unres_rows[s.key]['reason_name']}"
        elif s.kind == "ind":
            a = {"class": "ind", "data-n": str(s.key), **a}
            a["title"] = f"绩效指标：{ind_rows[s.key]['name']}"
        else:
            a = {"class": "ev", **a}
        return a

    counts = severity_counts(findings)
    return {
        "text_html": highlight(text, laid, attrs),
        "figures": fig_rows,
        "figures_marked": sum(1 for f in fig_rows if f["mark"]),
        "unresolved": unres_rows,
        "unresolved_marked": sum(1 for u in unres_rows if u["mark"]),
        "indicators": ind_rows,
        "findings": finding_rows,
        "severity": _severity_list(counts),
        "orphan_comments": [{"key": k, "comments": cs} for k, cs in comments.items() if k not in set(keys)],
        "codes": codes,
        "states": FindingComment.STATES,
        "js": {
            "figures": [{k: f[k] for k in JS_FIGURE_KEYS} for f in fig_rows],
            "unresolved": [
                {k: u[k] for k in ("i", "text", "value", "unit", "reason_name", "mark")} for u in unres_rows
            ],
            "indicators": [
                {k: x[k] for k in ("name", "target", "actual", "fund_name", "mark")} for x in ind_rows
            ],
        },
    }


def _reason_name(reason: str) -> str:
    if reason in UNRESOLVED_REASONS:
        return UNRESOLVED_REASONS[reason]
    if reason.startswith("unit "):
        return f"单位“{reason[5:]}”无法归类"
    return reason


def export_content(r: Review) -> dict[str, Any]:
    """The export: ``figures``/``indicators``/``unresolved`` as ``sifund extract --format json``,
    ``findings`` as ``sifund audit --format json`` (after the reviewer's corrections), with the
    review's own facts and the comments kept on its findings."""
    res = r.result or {}
    return {
        "id": r.pk,
        "file": r.original_name,
        "region": res.get("region"),
        "year": res.get("year"),
        "unit": "万元",
        "version": r.version,
        "uploaded_by": r.uploaded_by.get_username(),
        "uploaded_at": r.uploaded_at.isoformat(),
        "corrections": r.corrections,
        "figures": res.get("figures", []),
        "indicators": res.get("indicators", []),
        "unresolved": res.get("unresolved", []),
        "findings": res.get("findings", []),
        "comments": [
            {
                "finding": c.finding_key,
                "state": c.state,
                "text": c.text,
                "user": c.user.get_username(),
                "at": c.at.isoformat(),
            }
            for c in r.comments.select_related("user").order_by("at", "id")
        ],
    }


# ---- views ---------------------------------------------------------------------------------------


def _may_upload(a: scope.Actor) -> bool:
    try:
        scope.can_upload_review(a)
        return True
    except scope.Forbidden:
        return False


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request: Any) -> HttpResponse:
    a = http.page_actor(request)
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise services.BadInput([{"place": "file", "message": "请选择要上传的报告文件"}])
            r = services.create_review(a, upload)
        except scope.Forbidden as e:
            raise PermissionDenied(str(e)) from None
        except services.BadInput as e:
            errors = e.problems or [{"place": "file", "message": "文件无法读取"}]
        else:
            n, m = len(r.result.get("figures", [])), len(r.result.get("findings", []))
            messages.success(request, f"已上传“{r.original_name}”：识别出{n}个数字，审核发现{m}条")
            return redirect(f"/reviews/{r.pk}/")
    qs = (
        scope.reviews(a).select_related("region", "uploaded_by").defer("text").order_by("-uploaded_at", "-id")
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for r in page:
        res = r.result or {}
        rows.append(
            {
                "review": r,
                "region": res.get("region") or "",
                "year": res.get("year") or "",
                "figures": len(res.get("figures", []) or []),
                "severity": _severity_list(severity_counts(res.get("findings", []) or [])),
            }
        )
    ctx = {
        "rows": rows,
        "page": page,
        "errors": errors,
        "may_upload": _may_upload(a),
        "max_mb": f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):g}",
        "suffixes": ",".join(services.REPORT_SUFFIXES),
        "severities": SEVERITIES,
    }
    return render(request, "sifund/reviews/list.html", ctx, status=400 if errors else 200)


@login_required
@require_GET
def review_detail(request: Any, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = scope.review(a, pk)
    content = page_content(r)
    events = [
        {
            "at": e.at,
            "user": e.user.get_username() if e.user else "",
            "action": ACTION_NAMES.get(e.action, e.action),
            "version": e.version,
            "comment": e.comment,
            "changes": e.changes,
        }
        for e in r.events.select_related("user").order_by("at", "id")
    ]
    return render(
        request,
        "sifund/reviews/detail.html",
        {
            "review": r,
            "res": r.result or {},
            "events": events,
            "may_edit": _may_upload(a),
            **content,
        },
    )


@login_required
@require_POST
def review_correct(request: Any, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = scope.review(a, pk)  # 404 outside the caller's scope, before anything else
    if not _may_upload(a):
        raise PermissionDenied("您的角色不能更正数字")
    figures = (r.result or {}).get("figures", []) or []
    i = http.int_param(request.POST.get("index"))
    if i is None or not 0 <= i < len(figures):
        messages.error(request, "未指明要更正的数字")
        return redirect(f"/reviews/{r.pk}/")
    version = http.int_param(request.POST.get("version"))
    fig = figures[i]
    change = {
        k: v
        for k in ("fund", "item", "measure")
        if (v := request.POST.get(k, "").strip()) and v != fig.get(k)
    }
    if not change:
        messages.info(request, f"第{i + 1}个数字未作更改")
        return redirect(f"/reviews/{r.pk}/#fig-{i}")
    codes = _codes()
    names = {"fund": codes["fund_names"], "item": codes["item_names"], "measure": codes["measure_names"]}
    try:
        r = services.correct_review(a, r.pk, [{"index": i, **change}], if_match=version)
    except services.Conflict as e:
        messages.error(request, str(e))
    except services.BadInput as e:
        messages.error(request, f"更正未保存：{e}")
    except scope.Forbidden as e:
        raise PermissionDenied(str(e)) from None
    else:
        what = "，".join(
            f"{names[k].get(fig.get(k, ''), fig.get(k, ''))}→{names[k].get(v, v)}" for k, v in change.items()
        )
        c = severity_counts(r.result.get("findings", []))
        messages.success(
            request,
            f"已更正第{i + 1}个数字（{what}），审核已重新运行：版本{r.version}，审核发现"
            f"{sum(c.values())}条（错误{c['error']}、警告{c['warning']}、提示{c['info']}）",
        )
    return redirect(f"/reviews/{r.pk}/#fig-{i}")


@login_required
@require_POST
def review_comment(request: Any, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = scope.review(a, pk)
    if not _may_upload(a):
        raise PermissionDenied("您的角色不能填写审核意见")
    findings = (r.result or {}).get("findings", []) or []
    keys = {services.finding_key(f, i): i for i, f in enumerate(findings)}
    key = request.POST.get("finding", "")
    if key not in keys:
        messages.error(request, "该审核发现已不在当前结果中（审核可能已重新运行），请刷新后再填写意见")
        return redirect(f"/reviews/{r.pk}/")
    try:
        c = services.comment_finding(
            a, r.pk, key, request.POST.get("state", ""), request.POST.get("text", "")
        )
    except services.BadInput as e:
        messages.error(request, f"意见未保存：{e}")
    except scope.Forbidden as e:
        raise PermissionDenied(str(e)) from None
    else:
        messages.success(request, f"已记录审核意见：{STATE_NAMES.get(c.state, c.state)}")
    # no element has this id: the page stays at its top (with the message), review.js scrolls the
    # findings pane to the finding
    return redirect(f"/reviews/{r.pk}/#comment-{keys[key]}")


@login_required
@require_GET
def review_export(request: Any, pk: int) -> HttpResponse:
    a = http.page_actor(request)
    r = scope.review(a, pk)
    body = json.dumps(export_content(r), ensure_ascii=False, indent=2)
    stem = r.original_name.rsplit(".", 1)[0] or f"review-{r.pk}"
    return http.attachment(body.encode("utf-8"), "application/json; charset=utf-8", f"{stem}.审核结果.json")


urlpatterns = [
    path("reviews/", review_list, name="reviews"),
    path("reviews/<int:pk>/", review_detail, name="review"),
    path("reviews/<int:pk>/correct/", review_correct, name="review-correct"),
    path("reviews/<int:pk>/comment/", review_comment, name="review-comment"),
    path("reviews/<int:pk>/export.json", review_export, name="review-export"),
]
