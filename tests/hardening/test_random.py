"""Random bytes and truncated files for every reader: a clear error naming the file, or data."""

from __future__ import annotations

import random
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hardening.harness import Case, assert_bounded, assert_refused
from tests.hardening.makers import EXAMPLE, dataset, dump_json, filled_xlsx

from sifund.core.errors import SifundError

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def _valid(suffix: str) -> bytes:
    tmp = Path(tempfile.mkdtemp(prefix="sifund-hardening-"))
    if suffix == ".yaml":
        return EXAMPLE.read_bytes()
    if suffix == ".json":
        return dump_json(dataset(), tmp / "x.json").read_bytes()
    return filled_xlsx(tmp / "x.xlsx", tmp).read_bytes()


def _load(data: bytes, suffix: str, reader: str = "dataset") -> None:
    """In process (cheap): the reader returns or raises SifundError whose every problem names
    the file — any other exception fails the example."""
    from sifund.engine.config import load_config
    from sifund.ingest import load_dataset

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"x{suffix}"
        f.write_bytes(data)
        try:
            load_config(f) if reader == "config" else load_dataset(f)
        except SifundError as e:
            assert e.problems and all(p.file == str(f) for p in e.problems), str(e)


class TestRandomBytesInProcess:
    """Hypothesis feeds each dataset reader (YAML, JSON, XLSX) and the config reader random bytes
    and truncations of a valid file; each ends in a Dataset or a SifundError naming the file.
    (Report readers: tests/review/test_fuzz_readers.py.)"""

    @FUZZ
    @given(st.binary(max_size=3000), st.sampled_from([".yaml", ".json", ".xlsx"]))
    def test_random_dataset(self, data: bytes, suffix: str) -> None:
        _load(data, suffix)

    @FUZZ
    @given(st.binary(max_size=3000))
    def test_random_config(self, data: bytes) -> None:
        _load(data, ".yaml", reader="config")

    @FUZZ
    @given(st.sampled_from([".yaml", ".json", ".xlsx"]), st.data())
    def test_truncated_or_flipped(self, suffix: str, data: st.DataObject) -> None:
        raw = bytearray(_valid(suffix))
        raw = raw[: data.draw(st.integers(0, len(raw)))]
        if raw and data.draw(st.booleans()):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        _load(bytes(raw), suffix)


COMMAND = {".yaml": "validate", ".json": "evaluate", ".xlsx": "validate",
           ".txt": "extract", ".docx": "extract", ".pdf": "audit"}


class TestRandomBytesThroughTheCli:
    """The same through the real command, one seeded case per reader: 4 KB of random bytes, and a
    valid file cut in half. Exit 1, one line naming the file."""

    @pytest.mark.parametrize("suffix", list(COMMAND))
    def test_random(self, case: Case, suffix: str) -> None:
        f = case.inp / f"x{suffix}"
        f.write_bytes(random.Random(suffix).randbytes(4096))
        assert_refused(case.run(COMMAND[suffix], f), f)

    @pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx", ".docx"])
    def test_cut_in_half(self, case: Case, suffix: str) -> None:
        if suffix == ".docx":
            from tests.review.test_fuzz_readers import valid_docx

            raw = valid_docx()
        else:
            raw = _valid(suffix)
        f = case.inp / f"x{suffix}"
        f.write_bytes(raw[: len(raw) // 2])
        r = case.run(COMMAND[suffix], f)
        assert_bounded(r)
        assert_refused(r, f, lines=None if suffix in (".yaml", ".json") else 1)
