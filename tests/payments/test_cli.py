"""``sifund payments audit`` / ``sifund payments rules``: JSON on stdout, exit 0 whatever it finds,
exit 1 with one line (file, row, column) for unreadable input, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sifund.cli import app

from .builders import pid

ZHANG = pid("19500101", "011")


def invoke(*args: str):
    result = CliRunner().invoke(app, ["payments", *args])
    assert "Traceback" not in result.output
    return result


def test_audit_prints_the_contract_json_and_exits_0(folder) -> None:
    path = folder(
        payments=[{"person_id": ZHANG, "period": "2024-05"}],
        deaths=[{"person_id": ZHANG, "name": "张三", "death_date": "2024-04-17"}],
    )
    r = invoke("audit", str(path))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["summary"]["payments"] == 1 and out["summary"]["periods"] == ["2024-05", "2024-05"]
    assert out["summary"]["by_rule"]["paid_after_death"] == {
        "people": 1, "rows": 2, "amount": 1000.0, "name": "死亡冒领", "category": "支付类", "risk": "high",
    }  # fmt: skip
    hit = out["hits"][0]
    assert hit["rule"] == "paid_after_death" and hit["rows"] == [
        {"table": "payments", "row": 1},
        {"table": "deaths", "row": 1},
    ]
    assert "other_ids" not in hit


def test_audit_writes_json_to_a_file_and_nothing_is_found_is_still_exit_0(folder, tmp_path: Path) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024-05"}])
    out = tmp_path / "result.json"
    r = invoke("audit", str(path), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text("utf-8"))["hits"] == []


def test_bad_input_is_one_line_and_exit_1(folder, tmp_path: Path) -> None:
    path = folder(payments=[{"person_id": ZHANG, "period": "2024/05"}])
    out = tmp_path / "result.json"
    r = invoke("audit", str(path), "-o", str(out))
    assert r.exit_code == 1
    where = f"{path / 'payments.csv'}: 第1条记录（文件第2行） period 列"
    assert r.stderr.strip() == f"错误 error: {where}: '2024/05' 不是 YYYY-MM 格式"
    assert not out.exists()
    r = invoke("audit", str(tmp_path / "nowhere"))
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1


def test_a_bad_override_file_is_one_line_naming_its_line(folder, tmp_path: Path) -> None:
    rules = tmp_path / "省.yaml"
    rules.write_text("rules:\n  - code: shared_account\n    enabled: maybe\n", encoding="utf-8")
    r = invoke("audit", str(folder(payments=[])), "--rules", str(rules))
    assert r.exit_code == 1 and f"{rules}: line 3, rules.0.enabled" in r.stderr


def test_rules_prints_the_catalogue() -> None:
    r = invoke("rules")
    assert r.exit_code == 0
    lines = r.stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["paid_after_death", "死亡冒领", "支付类"]
    assert len(lines) >= 10 and "风险高" in lines[0]
