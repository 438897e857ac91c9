"""Snapshots of what extraction and audit give on every blind-set and genre-set report: no silent change.

The acceptance tests count facts against keys; a figure no key lists (a prior, a 其中 part, a role, a
group, a fund attribution) could change without failing them. Each report's output is stored under
snapshots/<set>/<report>.json and compared here, with a readable diff (figures removed, added and
changed) on failure. After a deliberate change, rewrite them with ``SIFUND_UPDATE_SNAPSHOTS=1`` and
review the diff of the .json files like code.

- .txt and .docx reports (deterministic input): every figure in figure order — fund, item, measure,
  value, precision, source start/end (offsets only, never text), role, attribution, group, of_which,
  basis, note, production (the grammar production or table reading that made it) — the count of
  unresolved numbers, and the findings' code, severity, key and stated value in order.
- .pdf reports (built by LibreOffice, read by pdfplumber: layout differs between versions and fonts):
  only the multiset of (fund, item, measure, value) and of the findings, and only compared on the
  LibreOffice and pdfplumber versions the snapshot was written with (skipped elsewhere).
- ../shared/corpus outputs are never snapshotted (no corpus text or figures in the repository).
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reportscore import GENRE, TESTS, ReportSet, built_reports, soffice

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("SIFUND_UPDATE_SNAPSHOTS", "") not in ("", "0")
# every blind set (tests/blind*/, as tests/test_blindsets.py finds them) and the genre set
SETS = [
    ReportSet(d.name, d) for d in sorted(TESTS.glob("blind*")) if d.is_dir() and any(d.glob("*.gold.yaml"))
]
SETS.append(ReportSet("genre", GENRE))
CASES = [(s, r) for s in SETS for r in s.reports]

FIGURE_FIELDS = (
    "fund",
    "item",
    "measure",
    "value",
    "precision",
    "start",
    "end",
    "role",
    "attribution",
    "group",
    "of_which",
    "basis",
    "note",
    "production",
)
FINDING_FIELDS = ("code", "severity", "fund", "item", "measure", "stated")


def _figure(f: dict[str, Any]) -> list[Any]:
    src = f.get("source") or {}
    attribution = f.get("attribution")
    attr = f"{attribution.get('fund')}/{attribution.get('item')}" if isinstance(attribution, dict) else None
    return [
        f["fund"],
        f["item"],
        f["measure"],
        f["value"],
        f.get("precision"),
        src.get("start"),
        src.get("end"),
        f.get("role"),
        attr,
        f.get("group"),
        f.get("of_which"),
        f.get("basis"),
        f.get("note"),
        f.get("production"),
    ]


def _finding(f: dict[str, Any]) -> list[Any]:
    return [f.get(k) for k in FINDING_FIELDS]


@functools.cache
def toolchain() -> dict[str, str]:
    """The versions a PDF's text depends on: LibreOffice (layout) and pdfplumber/pdfminer (reading)."""
    import pdfminer
    import pdfplumber

    exe = soffice()
    lo = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout if exe else ""
    return {
        "libreoffice": " ".join(lo.split()[:2]),
        "pdfplumber": pdfplumber.__version__,
        "pdfminer": pdfminer.__version__,
    }


def snapshot_of(report: str, extracted: dict[str, Any], audited: dict[str, Any]) -> dict[str, Any]:
    """What is stored for one report: exact for .txt/.docx, multisets for .pdf (see the module docstring)."""
    figures = [_figure(f) for f in extracted["figures"]]
    findings = [_finding(f) for f in audited["findings"]]
    if not report.endswith(".pdf"):
        return {
            "exact": True,
            "unresolved": len(extracted.get("unresolved") or []),
            "figures": figures,
            "findings": findings,
        }

    def multiset(rows: list[list[Any]]) -> list[list[Any]]:
        counted = Counter(json.dumps(r, ensure_ascii=False) for r in rows)
        return [[*json.loads(k), n] for k, n in sorted(counted.items())]

    return {
        "exact": False,
        "toolchain": toolchain(),
        "figures": multiset([r[:4] for r in figures]),
        "findings": multiset([r[:5] for r in findings]),
    }


def dumps(snapshot: dict[str, Any]) -> str:
    """JSON with one figure or finding per line, so a changed snapshot reads as a short git diff."""
    lines = ["{"]
    for i, (key, value) in enumerate(snapshot.items()):
        comma = "," if i < len(snapshot) - 1 else ""
        if isinstance(value, list):
            rows = [f"    {json.dumps(r, ensure_ascii=False)}" for r in value]
            body = "\n" + ",\n".join(rows) + "\n  " if rows else ""
            lines.append(f'  "{key}": [{body}]{comma}')
        else:
            lines.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}{comma}')
    return "\n".join(lines) + "\n}\n"


def _show(row: list[Any], fields: tuple[str, ...]) -> str:
    named = dict(zip(fields, row, strict=False))
    head = " ".join(str(named.get(k)) for k in fields[:4])
    rest = " ".join(f"{k}={v}" for k, v in named.items() if k not in fields[:4] and v is not None)
    return f"{head} {rest}".strip()


def _changes(old: list[list[Any]], new: list[list[Any]], fields: tuple[str, ...], what: str) -> list[str]:
    """Removed, added and changed rows; rows in a replaced run that keep their source span are "changed"."""
    out: list[str] = []
    sm = difflib.SequenceMatcher(
        a=[json.dumps(r) for r in old], b=[json.dumps(r) for r in new], autojunk=False
    )
    span = (fields.index("start"), fields.index("end")) if "start" in fields else None
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        gone, came = list(range(i1, i2)), list(range(j1, j2))
        if span and tag == "replace":
            for i in list(gone):
                same = [j for j in came if [new[j][k] for k in span] == [old[i][k] for k in span]]
                if same:
                    j = same[0]
                    gone.remove(i)
                    came.remove(j)
                    moved = "; ".join(
                        f"{k} {a!r} → {b!r}" for k, a, b in zip(fields, old[i], new[j], strict=True) if a != b
                    )
                    out.append(f"  ~ {what} #{i}→#{j} @{old[i][span[0]]}-{old[i][span[1]]}: {moved}")
        out += [f"  - {what} #{i}: {_show(old[i], fields)}" for i in gone]
        out += [f"  + {what} #{j}: {_show(new[j], fields)}" for j in came]
    return out


def describe(old: dict[str, Any], new: dict[str, Any]) -> str:
    """A readable account of how the current output differs from the snapshot ("" when it does not)."""
    lines: list[str] = []
    if old.get("unresolved") != new.get("unresolved"):
        lines.append(f"  unresolved numbers: {old.get('unresolved')} → {new.get('unresolved')}")
    if new["exact"]:
        lines += _changes(old["figures"], new["figures"], FIGURE_FIELDS, "figure")
        lines += _changes(old["findings"], new["findings"], FINDING_FIELDS, "finding")
    else:
        for key, fields in (("figures", FIGURE_FIELDS[:4]), ("findings", FINDING_FIELDS[:5])):
            before = Counter({json.dumps(r[:-1], ensure_ascii=False): r[-1] for r in old[key]})
            after = Counter({json.dumps(r[:-1], ensure_ascii=False): r[-1] for r in new[key]})
            lines += [
                f"  - {key[:-1]} ×{n}: {_show(json.loads(k), fields)}" for k, n in (before - after).items()
            ]
            lines += [
                f"  + {key[:-1]} ×{n}: {_show(json.loads(k), fields)}" for k, n in (after - before).items()
            ]
    return "\n".join(lines)


@pytest.mark.parametrize(("rset", "report"), CASES, ids=[f"{s.name}/{r}" for s, r in CASES])
def test_output_matches_its_snapshot(
    rset: ReportSet, report: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The report's figures, unresolved count and findings are those of its stored snapshot."""
    built = {} if report.endswith(".txt") else built_reports(rset.name, tmp_path_factory)
    current = snapshot_of(report, *rset.outputs(report, built))
    path = SNAPSHOTS / rset.name / f"{report}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dumps(current), encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path.relative_to(TESTS)}: write it with SIFUND_UPDATE_SNAPSHOTS=1"
    stored = json.loads(path.read_text(encoding="utf-8"))
    if not current["exact"] and stored.get("toolchain") != current["toolchain"]:
        pytest.skip(
            f"PDF snapshot written with {stored.get('toolchain')}, this machine has {current['toolchain']}"
        )
    diff = describe(stored, current)
    if diff:
        pytest.fail(
            f"{rset.name}/{report} differs from its snapshot (intended? SIFUND_UPDATE_SNAPSHOTS=1):\n{diff}"
        )


def test_every_snapshot_belongs_to_a_report() -> None:
    """No stale snapshot is left behind by a renamed or removed report."""
    expected = {f"{s.name}/{r}.json" for s, r in CASES}
    stored = {str(p.relative_to(SNAPSHOTS)) for p in SNAPSHOTS.glob("*/*.json")}
    assert stored <= expected, sorted(stored - expected)


def test_the_diff_names_what_changed() -> None:
    """A removed, an added and a changed figure are each reported (a snapshot diff must be readable)."""
    a = [
        "all",
        "income_total",
        "actual",
        100.0,
        1.0,
        10,
        20,
        "subject",
        "heading/alias",
        "g1",
        None,
        None,
        None,
        "SUBJECT",
    ]
    b = [
        "all",
        "income_total",
        "budget",
        90.0,
        1.0,
        30,
        40,
        "subject",
        "heading/alias",
        "g2",
        None,
        None,
        None,
        "SUBJECT",
    ]
    c = [
        "all",
        "expenditure_total",
        "actual",
        80.0,
        1.0,
        50,
        60,
        "subject",
        "heading/alias",
        "g3",
        None,
        None,
        None,
        "SUBJECT",
    ]
    moved = [*a[:7], "prior", "heading/alias", "g4", None, None, None, "PRIOR"]
    old = {"exact": True, "unresolved": 1, "figures": [a, b], "findings": [["rate_mismatch", "error"]]}
    new = {"exact": True, "unresolved": 2, "figures": [moved, c], "findings": []}
    text = describe(old, new)
    assert "unresolved numbers: 1 → 2" in text
    assert (
        "~ figure #0→#0 @10-20: role 'subject' → 'prior'; group 'g1' → 'g4'; production 'SUBJECT' → 'PRIOR'"
        in text
    )
    assert "- figure #1: all income_total budget 90.0" in text
    assert "+ figure #1: all expenditure_total actual 80.0" in text
    assert "- finding #0: rate_mismatch error" in text
    assert describe(old, old) == ""
