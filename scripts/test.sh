#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, lints, runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
