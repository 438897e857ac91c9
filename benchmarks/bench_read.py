"""Time read_document/build_view on the corpus scaled up (run: python benchmarks/bench_read.py)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sifund.review.normalize import build_view
from sifund.review.readers import read_document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main() -> int:
    src = CORPUS / "korla-2020.txt"
    if not src.exists():
        print("corpus absent; nothing to time")
        return 0
    text = src.read_text("utf-8")
    for copies in (1, 10, 100):
        big = text * copies
        t0 = time.perf_counter()
        build_view(big)
        dt = time.perf_counter() - t0
        print(f"build_view {len(big):>9} chars: {dt * 1000:8.1f} ms ({len(big) / dt / 1e6:.2f} Mchar/s)")
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "big.txt"
        f.write_text(text * 100, encoding="gb18030")
        t0 = time.perf_counter()
        read_document(f)
        print(f"read_document GB18030 {f.stat().st_size} bytes: {(time.perf_counter() - t0) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
