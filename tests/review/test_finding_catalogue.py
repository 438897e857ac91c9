"""The finding catalogue (data/engine/findings.yaml) against the checks that emit the codes.

Every code a registered check may emit, and every code a ``Finding(code="…")`` of the package
names, is catalogued with a severity in audit.yaml; every catalogue entry's example, run the way
``sifund audit`` / ``sifund validate`` run it, produces its code at the catalogued severity, and
each finding it produces comes from a check that declared that code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sifund
import sifund.review.audit
from sifund import api
from sifund.core.errors import SifundError
from sifund.core.model import Dataset
from sifund.engine import audit as engine
from sifund.engine.findings import CatalogueEntry, catalogue, parse_catalogue
from sifund.render.audit_xlsx import FINDING_NAMES
from sifund.review.audit import audit_report
from sifund.review.extract import extract_text

PACKAGE = Path(sifund.__file__).parent


def _literal_codes() -> set[str]:
    """Codes written as ``Finding(code="…")`` / ``AuditFinding(code="…")`` anywhere in the package."""
    out: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            if not getattr(node.func, "id", getattr(node.func, "attr", "")).endswith("Finding"):
                continue
            for kw in node.keywords:
                value = kw.value.value if isinstance(kw.value, ast.Constant) else None
                if kw.arg == "code" and isinstance(value, str):
                    out.add(value)
    return out


def _declared() -> set[str]:
    return {c for chk in engine.REGISTRY for c in chk.codes}


def test_every_code_a_check_can_emit_is_catalogued() -> None:
    """Declared codes and literal codes are in the catalogue, and nothing else is."""
    codes = set(catalogue())
    assert _declared() - codes == set()
    assert _literal_codes() - codes == set()
    assert codes - _declared() - _literal_codes() == set(), "catalogued codes nothing emits"


def test_severities_are_audit_yaml_for_exactly_the_catalogued_codes() -> None:
    assert set(engine.audit_rules().severity) == set(catalogue())
    assert all(e.severity == engine.audit_rules().severity[c] for c, e in catalogue().items())


def test_every_registered_check_is_typed_and_declares_codes() -> None:
    """One signature and a non-empty code list for every check; report checks say they need it."""
    names = [c.name for c in engine.REGISTRY]
    assert len(names) == len(set(names))
    for c in engine.REGISTRY:
        assert c.codes, c.name
        assert c.needs_report == c.name.startswith("sifund.review."), c.name


def _produced(entry: CatalogueEntry) -> tuple[set[tuple[str, str]], list[str]]:
    """The (code, severity) of every finding the example gives as the CLI prints it, and the
    codes emitted by a check that did not declare them."""
    ex = entry.example
    if ex.text is not None:
        result = extract_text(ex.text)
        pairs = list(engine.run_checks(engine.AuditContext.of(result.dataset, result)))
        final = [(f.code, f.severity) for f in audit_report(result)]  # after downgrade_weak
    else:
        assert ex.dataset is not None
        ds = Dataset.model_validate({"region": "示例县", "year": 2023, **ex.dataset})
        pairs = list(engine.run_checks(engine.AuditContext.of(ds)))
        final = [(f.code, f.severity) for _c, f in pairs] + [(f.code, f.severity) for f in api.check(ds)]
    return set(final), [f"{c.name}: {f.code}" for c, f in pairs if f.code not in c.codes]


@pytest.mark.parametrize("code", list(catalogue()))
def test_example_produces_its_code_at_its_severity(code: str) -> None:
    entry = catalogue()[code]
    produced, undeclared = _produced(entry)
    assert (code, entry.severity) in produced, produced
    assert undeclared == []


def test_names_come_from_the_catalogue() -> None:
    """The workbook's and the web's finding names are the catalogue's."""
    assert dict(FINDING_NAMES) == {c: e.name for c, e in catalogue().items()}
    assert FINDING_NAMES.get("no_such_code", "x") == "x"


def test_a_bad_catalogue_names_the_line() -> None:
    sev = {"rate_mismatch": "error"}
    text = "rate_mismatch:\n  name: 完成预算率不符\n  meaning: 不符。\n  exampel:\n    text: x\n"
    with pytest.raises(SifundError) as e:
        parse_catalogue(text, sev, "cat.yaml")  # type: ignore[arg-type]
    assert "cat.yaml: line 5, rate_mismatch.exampel" in str(e.value)  # the misspelt key's value
    both = "rate_mismatch:\n  name: a\n  meaning: b\n  example:\n    text: x\n    dataset: {}\n"
    with pytest.raises(SifundError, match="line 5"):
        parse_catalogue(both, sev, "cat.yaml")  # type: ignore[arg-type]
    unknown = "share_mismatch:\n  name: a\n  meaning: b\n  example:\n    text: x\n"
    with pytest.raises(SifundError, match="line 2, share_mismatch"):
        parse_catalogue(unknown, sev, "cat.yaml")  # type: ignore[arg-type]


def test_a_bad_audit_yaml_names_the_line() -> None:
    from sifund.core.packaged import data_text, parse_validated

    text = data_text("engine", "audit.yaml").replace("  rate_mismatch: error", "  rate_mismatch: eror")
    with pytest.raises(SifundError) as e:
        parse_validated(engine.AuditRules, text, "audit.yaml")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "rate_mismatch: eror" in s)
    assert f"line {line}, severity.rate_mismatch" in str(e.value)
    typo = text.replace("eror", "error").replace("prior, yoy_change]", "prior, yoy]")
    with pytest.raises(SifundError, match="unknown measure"):
        parse_validated(engine.AuditRules, typo, "audit.yaml")
