"""The payment audit in the web app (疑点数据筛查 → 疑点核查): getting a run in, listing and
filtering its hits, verifying them, and the figures the self-evaluation report states.

A run comes in two ways: the contract JSON of ``sifund payments audit`` (validated with
:class:`sifund.payments.model.AuditResult`; a malformed one is a 400 naming ``hits[3].amount``), or
a .zip of the input tables that is unpacked safely and audited here with
:func:`sifund.api.payments_audit`. :func:`create_run` is the one place both end, and what tests and
the demo call directly.

Who may do what (every page and API endpoint asks here; an object outside what the caller sees is
404, as everywhere in the app — :mod:`sifund.web.scope`):

- **see** a run and its hits: whoever sees its region (admins all; reviewers their region and
  below; preparers their own region).
- **create** a run (import a result, upload tables) for region R: an admin; a reviewer of R or of a
  region above it; a preparer of R. Anyone else: 403.
- **verify** a hit (status, 核查说明, 追回金额): the preparers of its region (经办, who do the 核查)
  and the reviewers of its region or above (审核). Admins see everything but do not verify: a
  核查结论 is the region's own, like a submission's submit/approve. A preparer may set 待核查 /
  核查中 / 确认违规 / 已排除, but once a hit is concluded (确认违规 or 已排除) only a reviewer may change
  that conclusion — the preparer can still update its note and 追回金额 (money comes back after
  the conclusion). 已排除 needs a reason in the note; 追回金额 is allowed only on 确认违规.
- **write the figures into a submission** (the report's 三（四）): whoever may edit that
  submission (:func:`sifund.web.scope.can_edit`: its region's preparer while draft/returned).

Every change of a hit leaves a :class:`~sifund.web.payment_models.PaymentHitEvent` (who, when,
status before → after, the note, 追回金额 before → after), written in the same transaction.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from sifund.core.errors import SifundError
from sifund.web import scope, services
from sifund.web.models import Region, Submission
from sifund.web.payment_models import (
    CHECKING,
    CONCLUDED,
    CONFIRMED,
    DONE,
    EXCLUDED,
    PENDING,
    QUEUED,
    VERIFY_NAMES,
    PaymentHit,
    PaymentHitEvent,
    PaymentRun,
)
from sifund.web.services import BadInput, Conflict

MB = 1024 * 1024


def _limit(name: str, default: float) -> int:
    """A size limit in MB: ``settings.<NAME>`` (bytes) if set, else ``$SIFUND_<NAME>_MB``."""
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return int(float(os.environ.get(f"SIFUND_{name}_MB", default)) * MB)


def upload_max_bytes() -> int:
    """The largest result JSON or table .zip accepted (a province's result is tens of MB)."""
    return _limit("PAYMENTS_UPLOAD_MAX", 200)


def unzipped_max_bytes() -> int:
    """The most a table .zip may unpack to (CSV compresses ~5–10×; a zip bomb stops here)."""
    return _limit("PAYMENTS_UNZIPPED_MAX", 2048)


MAX_HITS = int(os.environ.get("SIFUND_PAYMENTS_MAX_HITS", "1000000"))
MAX_MEMBERS = 16
TABLE_FILE = re.compile(r"^(payments|deaths|contributions|people)\.(csv|csv\.gz|parquet)$", re.IGNORECASE)
BATCH = 2000  # hits per INSERT
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999999999.99")  # DECIMAL(18,2)
NOTE_MAX = 5000


def money(v: Any) -> Decimal:
    """A float or string of 元 as a two-decimal Decimal (half up, as the finance tables round)."""
    return Decimal(str(v)).quantize(CENT, rounding=ROUND_HALF_UP)


def wan(yuan: Decimal) -> Decimal:
    """元 → 万元 with two decimals (the report's unit)."""
    return (Decimal(yuan) / Decimal(10000)).quantize(CENT, rounding=ROUND_HALF_UP)


# ---- seeing ------------------------------------------------------------------------------------


def runs(a: scope.Actor) -> QuerySet[PaymentRun]:
    return PaymentRun.objects.filter(scope.region_filter(a)).select_related("region", "created_by")


def run(a: scope.Actor, pk: Any) -> PaymentRun:
    """The run ``pk`` if ``a`` sees its region, else Http404 (whether or not it exists)."""
    try:
        return runs(a).get(pk=int(pk))
    except (PaymentRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该疑点筛查") from None


def hit(a: scope.Actor, pk: Any) -> PaymentHit:
    try:
        return (
            PaymentHit.objects.filter(scope.region_filter(a, "run__region"))
            .select_related("run", "run__region", "updated_by")
            .get(pk=int(pk))
        )
    except (PaymentHit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("未找到该疑点") from None


# ---- doing -------------------------------------------------------------------------------------


def can_create_run(a: scope.Actor, region: Region) -> None:
    if a.is_admin:
        return
    if a.region is not None and (
        (a.is_reviewer and region.is_within(a.region)) or (a.is_preparer and region.pk == a.region.pk)
    ):
        return
    mine = a.region.name if a.region else "（无）"
    raise scope.Forbidden(f"您（{mine}）不能为“{region.name}”导入或筛查支付数据")


def may_verify(a: scope.Actor, h: PaymentHit) -> bool:
    if a.region is None or a.is_admin:
        return False
    region = h.run.region
    return (a.is_preparer and region.pk == a.region.pk) or (a.is_reviewer and region.is_within(a.region))


def can_verify(a: scope.Actor, h: PaymentHit, new_status: str) -> None:
    if not may_verify(a, h):
        raise scope.Forbidden("只有本地区的经办人员或本地区及上级的审核人员可以核查疑点")
    if new_status != h.status and h.status in CONCLUDED and not a.is_reviewer:
        raise scope.Forbidden(f"此疑点已{h.status_name}，只有审核人员可以改变核查结论")


def may_create_any(a: scope.Actor) -> bool:
    return a.is_admin or (a.region is not None and (a.is_reviewer or a.is_preparer))


# ---- getting a run in --------------------------------------------------------------------------

PYDANTIC_WORDS = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "finite_number": "应为有限数",
}


def _place(loc: tuple[Any, ...]) -> str:
    return "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".")


def parse_result(data: Any) -> Any:
    """The contract JSON as an :class:`AuditResult`, or BadInput with one problem per bad field
    (``hits[3].amount``: 应为数字) — at most 50, so a wrong file does not answer with 50,000 lines."""
    from pydantic import ValidationError

    from sifund.payments.model import RISKS, AuditResult

    if isinstance(data, AuditResult):
        return data
    if not isinstance(data, dict):
        raise BadInput(
            [{"place": "", "message": '应为 sifund payments audit 的 JSON 结果：{"summary": …, "hits": […]}'}]
        )
    hits = data.get("hits")
    if isinstance(hits, list) and len(hits) > MAX_HITS:
        raise BadInput([{"place": "hits", "message": f"疑点过多（{len(hits):,}条，上限{MAX_HITS:,}条）"}])
    try:
        result = AuditResult.model_validate(data)
    except ValidationError as e:
        problems = [
            {"place": _place(tuple(x["loc"])), "message": PYDANTIC_WORDS.get(x["type"], x["msg"])}
            for x in e.errors()[:50]
        ]
        raise BadInput(problems) from None
    problems = []
    for i, h in enumerate(result.hits):
        if h.risk not in RISKS:
            problems.append(
                {"place": f"hits[{i}].risk", "message": f"风险等级应为 {'/'.join(RISKS)}，而不是“{h.risk}”"}
            )
        if not h.person_id.strip():
            problems.append({"place": f"hits[{i}].person_id", "message": "身份证号码为空"})
        if len(h.person_id) > 64 or len(h.rule) > 64 or len(h.name) > 100:
            problems.append({"place": f"hits[{i}]", "message": "号码、规则或姓名过长"})
        if not abs(h.amount) <= float(MAX_MONEY):
            problems.append({"place": f"hits[{i}].amount", "message": "金额超出范围"})
        if len(problems) >= 50:
            break
    if problems:
        raise BadInput(problems)
    return result


def _year(period: str) -> int | None:
    return int(period[:4]) if re.match(r"^\d{4}-\d{2}$", period or "") else None


def insert_run(
    region: Region,
    result: Any,
    user: Any,
    source: str,
    source_name: str = "",
    engine: str = "",
    catalogue_version: str = "",
) -> PaymentRun:
    """Store a validated result as a run with its hits (no scope check: :func:`create_run` and the
    demo make theirs first). Inside the caller's transaction."""
    r = PaymentRun(
        region=region,
        source=source,
        source_name=source_name[:255],
        engine=engine[:16],
        catalogue_version=catalogue_version[:64],
        created_by=user,
    )
    return fill_run(r, result)


def fill_run(r: PaymentRun, result: Any) -> PaymentRun:
    """Give run ``r`` (new, or a queued upload being finished) a validated result: its periods,
    counts, summary and hits; saved, inside the caller's transaction."""
    s = result.summary
    periods = [*s.periods, "", ""]
    hits = result.hits
    r.period_first = periods[0][:7]
    r.period_last = (periods[1] or periods[0])[:7]
    r.year_first = _year(periods[0])
    r.year_last = _year(periods[1] or periods[0])
    r.hit_count = len(hits)
    r.amount = sum((money(h.amount) for h in hits), Decimal(0))
    r.payments, r.people = s.payments, s.people
    r.summary = s.model_dump(mode="json", exclude_none=True)
    r.rule_order = list(s.by_rule)
    r.save()
    batch: list[PaymentHit] = []
    for i, h in enumerate(hits):
        ps = sorted(h.periods)
        batch.append(
            PaymentHit(
                run=r,
                seq=i,
                rule=h.rule,
                risk=h.risk,
                person_id=h.person_id,
                name=h.name[:100],
                periods=ps,
                period_first=ps[0][:7] if ps else "",
                period_last=ps[-1][:7] if ps else "",
                amount=money(h.amount),
                reason=h.reason,
                rows=[x.model_dump(mode="json") for x in h.rows],
                other_ids=list(h.other_ids or []),
            )
        )
        if len(batch) >= BATCH:
            PaymentHit.objects.bulk_create(batch)
            batch = []
    PaymentHit.objects.bulk_create(batch)
    return r


def _catalogue_version(data: Any) -> str:
    """The rule catalogue's version as an imported result states it (``summary.catalogue_version``
    or a top-level ``catalogue.version``/``rules_version``), else "" (not known)."""
    if isinstance(data, dict):
        for v in (
            (data.get("summary") or {}).get("catalogue_version")
            if isinstance(data.get("summary"), dict)
            else None,
            (data.get("catalogue") or {}).get("version") if isinstance(data.get("catalogue"), dict) else None,
            data.get("rules_version"),
            data.get("catalogue_version"),
        ):
            if v:
                return str(v)
    return ""


def builtin_catalogue_version() -> str:
    """The built-in catalogue's version: ``sha256:`` and 12 hex digits of data/payments/rules.yaml
    (the catalogue states no version of its own; its text identifies the rules that ran)."""
    import hashlib

    from sifund.core.packaged import data_text

    try:
        text = data_text("payments", "rules.yaml")
    except (OSError, FileNotFoundError):
        return ""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@transaction.atomic
def create_run(
    a: scope.Actor,
    region: Region,
    result: Any,
    source: str = "import",
    source_name: str = "",
    engine: str = "",
    catalogue_version: str | None = None,
) -> PaymentRun:
    """A run for ``region`` from a result (an AuditResult or its JSON), after the scope check."""
    if not scope.sees_region(a, region):
        raise Http404("未找到该地区")
    can_create_run(a, region)
    version = _catalogue_version(result) if catalogue_version is None else catalogue_version
    return insert_run(region, parse_result(result), a.user, source, source_name, engine, version)


def region_for(a: scope.Actor, name_or_id: Any) -> Region:
    """The region a run is filed under: by name or id, the caller's own when not given; 404 if
    the caller does not see it."""
    v = str(name_or_id or "").strip()
    if not v:
        if a.region is None:
            raise BadInput([{"place": "region", "message": "请指定地区"}])
        return a.region
    r = Region.objects.filter(pk=int(v)).first() if v.isdigit() else Region.objects.filter(name=v).first()
    if r is None or not scope.sees_region(a, r):
        raise Http404("未找到该地区")
    return r


def _store(upload: Any, suffix: str) -> Path:
    """An upload copied under DATA/uploads with a generated name, bounded by
    :func:`upload_max_bytes`; removed by the caller."""
    cap = upload_max_bytes()
    too_big = BadInput([{"place": "file", "message": f"文件过大（上限 {cap // MB} MB）"}])
    if (getattr(upload, "size", 0) or 0) > cap:
        raise too_big
    updir = Path(settings.UPLOAD_DIR)
    updir.mkdir(parents=True, exist_ok=True)
    path = updir / f"payments-{uuid.uuid4().hex}{suffix}"
    total = 0
    try:
        with open(path, "xb") as out:
            for chunk in upload.chunks():
                total += len(chunk)
                if total > cap:
                    raise too_big
                out.write(chunk)
        if total == 0:
            raise BadInput([{"place": "file", "message": "文件为空"}])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _suffix(name: str) -> str:
    n = name.lower()
    return ".json" if n.endswith(".json") else ".zip" if n.endswith(".zip") else ""


def load_json_bytes(body: bytes) -> Any:
    """JSON bytes → data; a syntax error is a 400 at ``line N``."""
    import json

    try:
        return json.loads(body)
    except UnicodeDecodeError:
        raise BadInput([{"place": "file", "message": "文件不是 UTF-8 编码的 JSON"}]) from None
    except json.JSONDecodeError as e:
        raise BadInput(
            [
                {
                    "place": f"line {e.lineno}",
                    "message": f"JSON 格式错误（第{e.lineno}行第{e.colno}列）：{e.msg}",
                }
            ]
        ) from None


def create_run_from_upload(a: scope.Actor, region: Region, upload: Any) -> PaymentRun:
    """A run from an uploaded file: a result ``.json`` is imported at once (it is cheap); a
    ``.zip`` of tables is checked (a zip, safe member names, a payments table: 400 otherwise), kept
    under UPLOAD_DIR and queued — :mod:`sifund.web.payments_jobs` audits it in the background, so
    a province's tables never hold a web worker for minutes. The run comes back 排队中."""
    if not scope.sees_region(a, region):
        raise Http404("未找到该地区")
    can_create_run(a, region)  # 403 before the file is read
    name = str(getattr(upload, "name", "") or "")
    suffix = _suffix(name)
    if not suffix:
        raise BadInput([{"place": "file", "message": "应上传疑点筛查结果 .json 或支付数据表 .zip"}])
    path = _store(upload, suffix)
    if suffix == ".json":
        try:
            data = load_json_bytes(path.read_bytes())
            return create_run(a, region, data, "import", name)
        finally:
            path.unlink(missing_ok=True)
    try:
        check_tables_zip(path)
        return queue_run(a, region, path, name)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@transaction.atomic
def queue_run(
    a: scope.Actor, region: Region, zpath: Path, name: str = "", engine: str = "duckdb"
) -> PaymentRun:
    """A 排队中 run for the stored .zip ``zpath`` (a file in UPLOAD_DIR, which the run now owns:
    the job deletes it when the run is finished). This process's job thread is woken on commit."""
    from sifund.web import payments_jobs

    can_create_run(a, region)
    r = PaymentRun.objects.create(
        region=region,
        source="upload",
        source_name=name[:255],
        engine=engine[:16],
        created_by=a.user,
        state=QUEUED,
        upload=zpath.name,
    )
    transaction.on_commit(payments_jobs.wake)
    return r


# ---- tables in a .zip --------------------------------------------------------------------------


def check_tables_zip(zpath: Path) -> list[str]:
    """The member names a table .zip would unpack (:func:`unpack_tables`' rules, from the zip's
    directory only — cheap enough for the upload request); BadInput when the file breaks one."""
    with _open_zip(zpath) as z:
        return [n for _, _, n in _choose(z)]


def _open_zip(zpath: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError):
        raise BadInput([{"place": "file", "message": "文件不是有效的 .zip 压缩包"}]) from None


def _choose(z: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str, str]]:
    """The table members of ``z`` as (info, base name in lower case, member name)."""
    taken: dict[str, str] = {}
    members = [i for i in z.infolist() if not i.is_dir()]
    if len(members) > 4 * MAX_MEMBERS:
        raise BadInput([{"place": "file", "message": f"压缩包内文件过多（{len(members)}个）"}])
    chosen = []
    for info in members:
        n = info.filename
        parts = PurePosixPath(n).parts
        if n.startswith("/") or "\\" in n or ".." in parts or ":" in n or len(parts) > 2 or not parts:
            raise BadInput(
                [{"place": n[:200], "message": "压缩包内的路径不安全（不得含 ..、绝对路径或多层目录）"}]
            )
        base = parts[-1]
        if parts[0] == "__MACOSX" or base.startswith("."):
            continue
        if not TABLE_FILE.match(base):
            raise BadInput(
                [
                    {
                        "place": n[:200],
                        "message": "不认识的文件：压缩包内应为 payments、deaths、contributions、people 的"
                        " .csv/.csv.gz/.parquet",
                    }
                ]
            )
        if info.flag_bits & 0x1:
            raise BadInput([{"place": n[:200], "message": "压缩包已加密，请上传未加密的压缩包"}])
        key = base.lower()
        if key in taken or len(chosen) >= MAX_MEMBERS:
            raise BadInput([{"place": n[:200], "message": f"文件重复：已有 {taken.get(key, '同名文件')}"}])
        taken[key] = n
        chosen.append((info, key, n))
    if not any(k.startswith("payments.") for _, k, _ in chosen):
        raise BadInput([{"place": "file", "message": "压缩包内缺少 payments 表（payments.csv 或 .parquet）"}])
    return chosen


def unpack_tables(zpath: Path, dest: Path) -> list[str]:
    """Unpack the table files of a .zip into ``dest``, refusing whatever could write elsewhere or
    blow up: only ``payments|deaths|contributions|people`` .csv/.csv.gz/.parquet, at the top or in
    one folder; no ``..``, absolute or backslash names, no encrypted members, each name once, at
    most :data:`MAX_MEMBERS` files and :func:`unzipped_max_bytes` in all (counted while copying,
    not trusted from the header). Files are written by us under their base name, so a symlink
    member is a plain file. ``__MACOSX/`` and dot files are skipped. Returns the member names."""
    cap = unzipped_max_bytes()
    with _open_zip(zpath) as z:
        chosen = _choose(z)
        total = 0
        for info, key, _ in chosen:
            with z.open(info) as src, open(dest / key, "xb") as out:
                while chunk := src.read(1024 * 1024):
                    total += len(chunk)
                    if total > cap:
                        raise BadInput([{"place": "file", "message": f"解压后过大（上限 {cap // MB} MB）"}])
                    out.write(chunk)
    return [n for _, _, n in chosen]


def audit_tables(zpath: Path, name: str = "", engine: str = "duckdb") -> Any:
    """The :class:`AuditResult` of the tables in a .zip (:func:`sifund.api.payments_audit` on
    them, unpacked into a temporary folder removed after). Bad input (a bad period, a missing
    column) is BadInput naming the member, row and column."""
    from sifund import api

    if not hasattr(api, "payments_audit"):
        raise BadInput([{"place": "file", "message": "本系统尚未安装支付数据筛查引擎，请上传筛查结果 .json"}])
    tmp = Path(tempfile.mkdtemp(prefix="sifund-pay-"))
    try:
        members = unpack_tables(zpath, tmp)
        by_base = {PurePosixPath(m).name.lower(): m for m in members}
        try:
            return api.payments_audit(tmp, engine=engine, progress=False)
        except SifundError as e:
            problems = []
            for p in e.problems:
                f = Path(p.file).name.lower() if p.file else ""
                where = by_base.get(f, (p.file and Path(p.file).name) or name)
                problems.append({"place": f"{where} {p.place}".strip(), "message": p.message})
            raise BadInput(problems) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def audit_zip(
    a: scope.Actor, region: Region, zpath: Path, name: str = "", engine: str = "duckdb"
) -> PaymentRun:
    """Audit the tables of a .zip here and now and store the run (what a job does, in one call:
    for scripts and tests that want the result at once)."""
    result = audit_tables(zpath, name, engine)
    return create_run(a, region, result, "upload", name, engine, builtin_catalogue_version())


# ---- listing -----------------------------------------------------------------------------------


@dataclass
class HitFilter:
    """The hit table's filters: rule code, risk, verification status, an ID or name (``q``)."""

    rule: str = ""
    risk: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def of(cls, get: Any) -> HitFilter:
        f = cls(*(str(get.get(k) or "").strip()[:100] for k in ("rule", "risk", "status", "q")))
        if f.status and f.status not in VERIFY_NAMES:
            f.status = ""
        return f

    def apply(self, qs: QuerySet[PaymentHit]) -> QuerySet[PaymentHit]:
        if self.rule:
            qs = qs.filter(rule=self.rule)
        if self.risk:
            qs = qs.filter(risk=self.risk)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.q:
            q = self.q
            qs = qs.filter(
                Q(person_id__startswith=q.upper()) | Q(person_id__startswith=q) | Q(name__contains=q)
            )
        return qs

    def query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def hits(r: PaymentRun, f: HitFilter | None = None) -> QuerySet[PaymentHit]:
    qs = r.hits.all().defer("rows").order_by("seq")
    return f.apply(qs) if f else qs


def totals(r: PaymentRun) -> dict[str, Any]:
    """The run's verification in numbers: hits per status, 确认问题 and 追回金额 (元)."""
    agg = r.hits.aggregate(
        n=Count("id"),
        pending=Count("id", filter=Q(status=PENDING)),
        checking=Count("id", filter=Q(status=CHECKING)),
        confirmed=Count("id", filter=Q(status=CONFIRMED)),
        excluded=Count("id", filter=Q(status=EXCLUDED)),
        confirmed_amount=Sum("amount", filter=Q(status=CONFIRMED)),
        recovered=Sum("recovered"),
    )
    agg["confirmed_amount"] = agg["confirmed_amount"] or Decimal(0)
    agg["recovered"] = agg["recovered"] or Decimal(0)
    agg["checked"] = agg["confirmed"] + agg["excluded"]
    return agg


def by_rule(r: PaymentRun) -> list[dict[str, Any]]:
    """One row per rule of the run's summary (found or not, skipped ones say why), in the
    summary's order, with its hits, money, and how many are confirmed / recovered."""
    counted = {
        x["rule"]: x
        for x in r.hits.values("rule").annotate(
            n=Count("id"),
            amount=Sum("amount"),
            confirmed=Count("id", filter=Q(status=CONFIRMED)),
            recovered=Sum("recovered"),
        )
    }
    out = []
    for code, s in (r.ordered_summary.get("by_rule") or {}).items():
        c = counted.pop(code, {})
        out.append(_rule_row(code, s or {}, c))
    for code, c in counted.items():  # a hit of a rule the summary does not list
        out.append(_rule_row(code, {}, c))
    order = {"high": 0, "medium": 1, "low": 2}
    out.sort(key=lambda x: order.get(x["risk"], 3))  # stable: the catalogue order within a risk
    return out


def _rule_row(code: str, s: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": code,
        "name": s.get("name") or code,
        "category": s.get("category") or "",
        "risk": s.get("risk") or "",
        "skipped": s.get("skipped") or "",
        "hits": c.get("n", 0),
        "rows": s.get("rows", 0),
        "amount": c.get("amount") or Decimal(0),
        "confirmed": c.get("confirmed", 0),
        "recovered": c.get("recovered") or Decimal(0),
    }


def by_risk(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from sifund.payments.model import RISK_NAMES, RISKS

    out = []
    for risk in RISKS:
        rs = [x for x in rules if x["risk"] == risk]
        out.append(
            {
                "risk": risk,
                "name": RISK_NAMES[risk],
                "rules": len(rs),
                "hits": sum(x["hits"] for x in rs),
                "amount": sum((x["amount"] for x in rs), Decimal(0)),
                "confirmed": sum(x["confirmed"] for x in rs),
                "recovered": sum((x["recovered"] for x in rs), Decimal(0)),
            }
        )
    return out


def history(h: PaymentHit) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at.isoformat(),
            "user": e.user.get_username() if e.user else "",
            "status_before": e.status_before,
            "status_after": e.status_after,
            "note": e.note,
            "recovered_before": None if e.recovered_before is None else float(e.recovered_before),
            "recovered_after": None if e.recovered_after is None else float(e.recovered_after),
            "version": e.version,
        }
        for e in h.events.select_related("user").order_by("at", "id")
    ]


def result_of(r: PaymentRun) -> Any:
    """The run as an :class:`AuditResult` again (for the 疑点清单 workbook)."""
    return result_and_checks(r)[0]


def result_and_checks(r: PaymentRun) -> tuple[Any, list[Any]]:
    """The run as an :class:`AuditResult` and, hit by hit in the same order, where its
    verification stands (:class:`sifund.payments.output.Check`: 核查状态, 核查说明, and 追回金额
    on a 确认违规 hit or one with money recovered), read in one pass over the hits."""
    from sifund.payments.model import AuditResult
    from sifund.payments.output import Check

    hs, checks = [], []
    for h in r.hits.order_by("seq").iterator(chunk_size=BATCH):
        hs.append(
            {
                "rule": h.rule,
                "risk": h.risk,
                "person_id": h.person_id,
                "name": h.name,
                "periods": h.periods,
                "amount": float(h.amount),
                "reason": h.reason,
                "rows": h.rows,
                **({"other_ids": h.other_ids} if h.other_ids else {}),
            }
        )
        shown = h.status == CONFIRMED or h.recovered
        checks.append(Check(VERIFY_NAMES[h.status], h.note, float(h.recovered) if shown else None))
    return AuditResult.model_validate({"summary": r.ordered_summary, "hits": hs}), checks


def has_workbook() -> bool:
    try:
        from sifund.payments import output
    except ImportError:
        return False
    return hasattr(output, "write_xlsx")


def workbook(r: PaymentRun) -> bytes:
    """The 疑点清单 workbook of a run, by the same writer as ``sifund payments audit --format xlsx``,
    with each hit's 核查状态, 核查说明 and 追回金额 as they stand now (the CLI's are 待核查, empty)."""
    from sifund.payments.output import write_xlsx

    result, checks = result_and_checks(r)
    tmp = Path(tempfile.mkdtemp(prefix="sifund-pay-"))
    try:
        path = tmp / "疑点清单.xlsx"
        write_xlsx(result, path, checks=checks)
        return path.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- verifying ---------------------------------------------------------------------------------


def _recovered_of(v: Any) -> Decimal:
    try:
        d = Decimal(str(v).strip().replace(",", "")) if not isinstance(v, Decimal) else v
    except (InvalidOperation, ValueError):
        raise BadInput(
            [{"place": "recovered", "message": f"追回金额应为数字（元），收到“{str(v)[:40]}”"}]
        ) from None
    if isinstance(v, bool) or not d.is_finite() or d < 0 or d > MAX_MONEY:
        raise BadInput([{"place": "recovered", "message": "追回金额应为不小于0的金额（元）"}])
    if d != d.quantize(CENT):
        raise BadInput([{"place": "recovered", "message": "追回金额最多两位小数（元）"}])
    return d.quantize(CENT)


@transaction.atomic
def verify(
    a: scope.Actor,
    pk: Any,
    status: str | None = None,
    note: str | None = None,
    recovered: Any = None,
    if_match: int | None = None,
) -> PaymentHit:
    """Change a hit's status / note / 追回金额 (None: unchanged) and record it. Returns the hit
    (unchanged, with no history entry, when nothing differs)."""
    hit(a, pk)  # 404 before anything else
    h = PaymentHit.objects.select_for_update(of=("self",)).select_related("run", "run__region").get(pk=pk)
    new_status = h.status if status in (None, "") else str(status)
    if new_status not in VERIFY_NAMES:
        raise BadInput(
            [
                {
                    "place": "status",
                    "message": "核查状态应为 " + "/".join(f"{k}（{v}）" for k, v in VERIFY_NAMES.items()),
                }
            ]
        )
    can_verify(a, h, new_status)
    if if_match is not None and int(if_match) != h.version:
        who = h.updated_by.get_username() if h.updated_by else "其他用户"
        raise Conflict(
            f"此疑点已被{who}修改（当前版本{h.version}，您编辑的是版本{if_match}），请刷新后再保存"
        )
    new_note = h.note if note is None else str(note).strip()
    if len(new_note) > NOTE_MAX:
        raise BadInput([{"place": "note", "message": f"核查说明过长（上限 {NOTE_MAX} 字）"}])
    new_rec = h.recovered if recovered in (None, "") else _recovered_of(recovered)
    if new_rec and new_status != CONFIRMED:
        raise BadInput(
            [
                {
                    "place": "recovered",
                    "message": "追回金额只适用于确认违规的疑点；改为其他状态前请将追回金额改为0",
                }
            ]
        )
    if new_status == EXCLUDED and new_status != h.status and not new_note:
        raise BadInput([{"place": "note", "message": "排除疑点时必须在核查说明中写明理由"}])
    if (new_status, new_note, new_rec) == (h.status, h.note, h.recovered):
        return h
    event = PaymentHitEvent(
        hit=h,
        user=a.user,
        status_before=h.status,
        status_after=new_status,
        note=new_note if new_note != h.note else "",
        recovered_before=h.recovered if new_rec != h.recovered else None,
        recovered_after=new_rec if new_rec != h.recovered else None,
        version=h.version + 1,
    )
    h.status, h.note, h.recovered = new_status, new_note, new_rec
    h.version += 1
    h.updated_by, h.updated_at = a.user, timezone.now()
    h.save(update_fields=["status", "note", "recovered", "version", "updated_by", "updated_at"])
    event.save()
    return h


# ---- the report's figures ----------------------------------------------------------------------


def latest_run(region: Region, year: int) -> PaymentRun | None:
    """The region's newest run whose periods include ``year``."""
    return (
        PaymentRun.objects.filter(region=region, state=DONE, year_first__lte=year, year_last__gte=year)
        .order_by("-created_at", "-id")
        .first()
    )


def report_figures(r: PaymentRun) -> dict[str, Any]:
    """What the dataset's ``payment_audit`` states (interchange shape): hits screened, hits
    checked (核查完毕: 确认违规 + 已排除), confirmed, and the money recovered in 万元."""
    t = totals(r)
    return {
        "hits": t["n"],
        "checked": t["checked"],
        "confirmed": t["confirmed"],
        "recovered": float(wan(t["recovered"])),
    }


def report_sentence(figures: dict[str, Any]) -> str:
    """The sentence the report prints for these figures (the same function as the report)."""
    from sifund.core.model import PaymentAudit
    from sifund.render.phrases import payment_audit_sentence

    return payment_audit_sentence(PaymentAudit.model_validate(figures))


def feed_submission(
    a: scope.Actor, submission_pk: Any, run_pk: Any = None, if_match: int | None = None
) -> tuple[Submission, PaymentRun]:
    """Write the figures of a run (default: the region's latest for the submission's year) into a
    submission's dataset as ``payment_audit``; an ordinary edit (``update`` in its history)."""
    from sifund import api

    sub = scope.submission(a, submission_pk)
    scope.can_edit(a, sub)
    if run_pk is not None:
        r = run(a, run_pk)
        if r.state != DONE:
            raise BadInput([{"place": "run", "message": f"该疑点筛查{r.state_name}，尚无结果"}])
        if r.region_id != sub.region_id or not ((r.year_first or 0) <= sub.year <= (r.year_last or 0)):
            raise BadInput([{"place": "run", "message": f"该疑点筛查不是{sub.region.name}{sub.year}年的"}])
    else:
        found = latest_run(sub.region, sub.year)
        if found is None:
            raise BadInput([{"place": "run", "message": f"{sub.region.name}{sub.year}年尚无疑点筛查结果"}])
        r = found
    ds = dict(sub.dataset)
    ds["payment_audit"] = report_figures(r)
    try:
        loaded = api.parse(ds, file=f"submission {sub.pk}")
    except SifundError as e:
        raise BadInput(services.problems_of(e)) from None
    return services.update_submission(a, sub.pk, loaded, if_match, source_name=""), r
