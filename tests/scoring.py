"""The project's own scorer: counts extraction and audit hits exactly as ../shared/tools/score.py does.

Why a second implementation: the blind and genre sets are the safety net of every extraction change, and
they must run on a machine without ../shared. The counting rules are those of score.py, restated here
(tests/review/test_scoring.py and each blind set's parity test compare both scorers when ../shared
exists, so the two cannot drift apart silently):

- a gold **fact** is found when one figure has its fund, an item among ``item`` + ``alt_items``, a
  measure among ``measure`` + ``alt_measures`` and a numeric value within max(0.0051, 1e-6·|v|);
- a gold **indicator** is found when one indicator's name contains the gold name and its target and
  actual equal the gold ones, all compared without whitespace;
- a gold **finding** is found when one warning/error finding's message + evidence holds every token,
  a number token only where it is not part of a longer number;
- a **false positive** is a warning/error finding whose evidence holds one of the gold ``clean`` tokens.

The functions take and return what score.py's do: ``(summary, hit, total, ind_hit, ind_total)`` and
``(summary, found, n, false_positives)``, printing the misses when ``verbose``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

Gold = Mapping[str, Any]
Output = Mapping[str, Any]

_WHITESPACE = re.compile(r"\s")
_DIGIT = re.compile(r"\d")


def num_token_in(token: str, hay: str) -> bool:
    """True when ``token`` occurs in ``hay``; a token with a digit must not sit inside a longer number.

    "1485" is not in "21485" nor in "1485.5" nor in "1,4851"; it is in "1485万元" and in "1485。".
    Occurrences are those of a left-to-right, non-overlapping scan (as ``re.finditer`` gives them).
    """
    if not _DIGIT.search(token):
        return token in hay
    for m in re.finditer(re.escape(token), hay):
        if _extends_number_left(hay, m.start()) or _extends_number_right(hay, m.end()):
            continue
        return True
    return False


def _extends_number_left(hay: str, start: int) -> bool:
    """A digit, or a decimal point / thousands comma, right before the token."""
    if start == 0:
        return False
    ch = hay[start - 1]
    return ch.isdigit() or ch in ".,"


def _extends_number_right(hay: str, end: int) -> bool:
    """A digit right after the token, or a point/comma followed by a digit."""
    nxt, after_nxt = hay[end : end + 1], hay[end + 1 : end + 2]
    if nxt.isdigit():
        return True
    return nxt in ".," and after_nxt.isdigit()


def _evidence_texts(finding: Mapping[str, Any]) -> list[str]:
    """The quoted texts of a finding's evidence (a dict's ``text``, anything else as a string)."""
    return [
        str(e.get("text", "")) if isinstance(e, dict) else str(e) for e in finding.get("evidence", []) or []
    ]


def finding_text(finding: Mapping[str, Any]) -> str:
    """Message and evidence texts, one per line: where a finding's tokens are looked for."""
    return "\n".join([str(finding.get("message", "")), *_evidence_texts(finding)])


def _alternatives(fact: Mapping[str, Any], key: str) -> list[Any]:
    return [fact[key], *fact.get(f"alt_{key}s", [])]


def _close(value: float, gold: float) -> bool:
    """score.py's tolerance: half a unit of the second decimal, or a millionth of the value."""
    return abs(value - gold) <= max(0.0051, 1e-6 * abs(gold))


def fact_found(fact: Mapping[str, Any], figures: Iterable[Mapping[str, Any]]) -> bool:
    """One figure states this gold fact (numeric values only: a value that is not a number never counts)."""
    items, measures, gold = _alternatives(fact, "item"), _alternatives(fact, "measure"), float(fact["value"])
    for f in figures:
        value = f.get("value")
        if not isinstance(value, (int, float)):
            continue
        same_key = f.get("fund") == fact["fund"] and f.get("item") in items and f.get("measure") in measures
        if same_key and _close(float(value), gold):
            return True
    return False


def _squash(s: Any) -> str:
    """Text without whitespace; None (and any falsy value, as score.py does) becomes ""."""
    return _WHITESPACE.sub("", str(s or ""))


def indicator_found(gold: Mapping[str, Any], indicators: Iterable[Mapping[str, Any]]) -> bool:
    return any(
        _squash(gold["name"]) in _squash(i.get("name"))
        and _squash(gold["target"]) == _squash(i.get("target"))
        and _squash(gold["actual"]) == _squash(i.get("actual"))
        for i in indicators
    )


def score_extract(gold: Gold, out: Output, verbose: bool) -> tuple[str, int, int, int, int]:
    """(summary, facts found, facts, indicators found, indicators) of one `sifund extract` JSON."""
    figures = out.get("figures", [])
    facts = gold.get("facts", [])
    hit = 0
    for fact in facts:
        if fact_found(fact, figures):
            hit += 1
        elif verbose:
            print("  missing fact:", fact)
    golds = gold.get("indicators", [])
    ind_hit = 0
    for g in golds:
        if indicator_found(g, out.get("indicators", [])):
            ind_hit += 1
        elif verbose:
            print("  missing indicator:", g)
    summary = f"extract {gold['report']}: facts {hit}/{len(facts)}"
    if golds:
        summary += f", indicators {ind_hit}/{len(golds)}"
    return summary, hit, len(facts), ind_hit, len(golds)


def score_audit(gold: Gold, out: Output, verbose: bool) -> tuple[str, int, int, int]:
    """(summary, planted findings found, planted findings, false positives) of one `sifund audit` JSON."""
    serious = [f for f in out.get("findings", []) if f.get("severity") in ("warning", "error")]
    texts = [finding_text(f) for f in serious]
    planted = gold.get("findings", [])
    found = 0
    for g in planted:
        if any(all(num_token_in(t, text) for t in g["tokens"]) for text in texts):
            found += 1
        elif verbose:
            print("  not found:", g["id"], g["why"])
    false_positives: list[tuple[list[str], str]] = []
    for f in serious:
        evidence = "\n".join(_evidence_texts(f))
        clean = [c for c in gold.get("clean", []) if num_token_in(c, evidence)]
        if clean:
            false_positives.append((clean, f.get("message", "")))
    if verbose:
        for clean, message in false_positives:
            print("  false positive on", clean, ":", message[:160])
    summary = (
        f"audit {gold['report']}: found {found}/{len(planted)}, false positives {len(false_positives)}, "
        f"reported {len(serious)} warning/error"
    )
    return summary, found, len(planted), len(false_positives)
