#!/usr/bin/env bash
# Prepares a machine for sifund: Debian packages (when root) and the project's own .venv.
# Idempotent: a second run only checks. Usage: bash scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system.sh
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python ≥ 3.11 (found: $("$PY" --version 2>&1))" >&2; exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extra=""; [ "${1:-}" = "--dev" ] && extra="[dev]"
stamp=".venv/.sifund-installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$extra" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import sifund" && touch "$stamp"
fi
