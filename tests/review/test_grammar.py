"""The grammar's productions (review/grammar.py) document themselves, and their documentation runs.

Every production says in one Chinese sentence what it reads and shows it on example sentences; each
example goes through the real extraction (with the report head the phrase tests use) and must yield
the figures listed for it, made by that production — so an example cannot drift from the code, and a
reordering of priorities that hands a sentence to another production fails here by name. Every
production is also named by at least one phrase case (tests/review/phrases/*.yaml, ``production:``),
which runs in the full phrase suite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sifund.review import grammar
from sifund.review.clauses import parse_clauses
from sifund.review.document import Document
from sifund.review.extract import extract_text
from sifund.review.grammar import Example, Production, label_kinds, productions
from sifund.review.readers import read_document

from .test_phrases import HEADS, cases_by_production

TESTS = Path(__file__).resolve().parents[1]
TEXT_REPORTS = sorted([*TESTS.glob("blind*/*.txt"), *(TESTS / "review" / "genre").glob("*.txt")])

PRODUCTIONS = productions()
EXAMPLES = [(p, i, ex) for p in PRODUCTIONS.values() for i, ex in enumerate(p.examples)]


def _made_by(name: str, ex: Example) -> tuple[list[tuple[str, str, str, float]], list[str]]:
    """The figures (fund, item, measure, value) and unresolved reasons production ``name`` made of the
    example, read as the phrase tests read a text (a report head before it)."""
    res = extract_text(HEADS["report"] + ex.text)
    figures = [
        (*f.key, f.value) for f in res.dataset.figures if (f.model_extra or {}).get("production") == name
    ]
    reasons = [u["reason"] for u in res.unresolved if u.get("production") == name]
    return figures, reasons


@pytest.mark.parametrize(
    ("prod", "index", "example"), EXAMPLES, ids=[f"{p.name}#{i}" for p, i, _ in EXAMPLES]
)
def test_example_yields_its_figures_by_its_production(prod: Production, index: int, example: Example) -> None:
    """The example's figures, exactly and in order, are those its production made of it; an example of
    a production that makes no figure lists the unresolved numbers it leaves, by reason."""
    figures, reasons = _made_by(prod.name, example)
    assert figures == list(example.figures), f"{prod.name} on «{example.text}»"
    if example.unresolved:
        assert reasons == list(example.unresolved), f"{prod.name} on «{example.text}»"
    assert example.figures or example.unresolved, f"{prod.name}#{index} expects nothing"


def test_every_production_has_an_example_and_a_chinese_summary() -> None:
    """A production without an example is not shown to work; its summary is what a reviewer reads."""
    for p in PRODUCTIONS.values():
        assert p.examples, f"{p.name} has no example"
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", p.name), p.name
        assert p.summary.strip() and re.search(r"[\u4e00-\u9fff]", p.summary), f"{p.name}: summary"
        assert p.summary.count("。") == 1 and p.summary.endswith("。"), f"{p.name}: one sentence"


def test_priorities_are_unique_and_productions_in_priority_order() -> None:
    priorities = [p.priority for p in PRODUCTIONS.values()]
    assert len(set(priorities)) == len(priorities)
    assert priorities == sorted(priorities)


def test_every_production_is_named_by_a_phrase_case() -> None:
    """Each production is exemplified in the phrase files too (where the whole suite of its concept runs),
    and no case names a production that does not exist."""
    named = cases_by_production()
    assert sorted(set(PRODUCTIONS) - set(named)) == []
    assert sorted(set(named) - set(PRODUCTIONS) - TABLE_READINGS) == []


# Names a phrase case may give for figures read from a table rather than by a prose production.
TABLE_READINGS = {"TABLE_ROW", "TABLE_GRID"}


def test_a_production_registered_twice_is_refused() -> None:
    from sifund.review.grammar import production

    with pytest.raises(ValueError, match="registered twice"):
        production(name="SUBJECT", priority=999, reads="amount", summary="重复。", examples=())(
            lambda p, c: None
        )


def test_a_label_reads_as_its_token_kinds() -> None:
    """The kind string a production's pattern is matched against: one word per token of the label."""
    assert label_kinds("较上年增加") == "compare time.prior dir.up"
    assert label_kinds("比上年同期增长") == "compare measure.prior dir.up"
    assert label_kinds("完成年初预算") == "ratio_verb measure.budget"
    assert label_kinds("由上年的") == "from time.prior"


def _outputs() -> list[Any]:
    """What the clause parser makes of every TXT blind/genre report and every phrase case text."""
    from .test_phrases import phrase_files

    docs = [read_document(p) for p in TEXT_REPORTS]
    docs += [
        Document(path="<case>", kind="txt", text=HEADS[raw.get("head") or f.head] + raw["text"])
        for f in phrase_files()
        for raw in f.raw
    ]
    out: list[Any] = []
    for doc in docs:
        parsed = parse_clauses(doc)
        out.append([f.model_dump() for f in parsed.figures])
        out.append(parsed.unresolved)
        out.append([(t.label, t.value, t.fund) for t in parsed.targets])
        out.append([(s.value, s.part, s.of) for s in parsed.shares])
    return out


def test_the_kind_filter_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A production's pattern only spares running a predicate that would decline anyway (and do
    nothing): with the filter off every report and phrase case reads exactly the same."""
    with_filter = _outputs()
    monkeypatch.setattr(grammar, "KIND_FILTER", False)
    assert _outputs() == with_filter


def test_the_kind_filter_can_tell() -> None:
    """The filter is not vacuous: some patterns reject the label of a sentence like the genre's."""
    kinds = label_kinds("基金支出")
    rejecting = [
        p.name for p in PRODUCTIONS.values() if p.pattern is not None and not p.pattern.search(kinds)
    ]
    assert {"YOY_CHANGE", "FROM_TO", "PRIOR", "COMPLETION_WITH_BUDGET"} <= set(rejecting)
