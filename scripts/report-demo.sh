#!/usr/bin/env bash
# The command-line job on the bundled sample data: validate, evaluate and write the reports to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
S=.venv/bin/sifund
$S validate examples/*.yaml
for f in examples/*.yaml; do
  echo; echo "== $f =="
  $S evaluate "$f"
  $S report "$f" -o out
done
echo; echo "输出目录 outputs: $(pwd)/out"
