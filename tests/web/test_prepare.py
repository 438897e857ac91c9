"""Filing a submission from a report needs figures: a readable report in which nothing is
recognised is refused with the reason (while `sifund extract`/`audit` and the review pages take
it, exit 0, see tests/test_cli_errors.py)."""

from __future__ import annotations

import pytest

from sifund.core.errors import SifundError
from sifund.web.prepare import load_path


def test_a_report_with_nothing_recognised_is_no_submission(tmp_path):
    f = tmp_path / "空报告.txt"
    f.write_text("2020年度社会保险基金绩效自评报告。\n本年度工作顺利。\n", encoding="utf-8")
    with pytest.raises(SifundError) as e:
        load_path(f, "上传的报告.txt")
    assert "未在报告中识别出" in str(e.value) and "上传的报告.txt" in str(e.value)
