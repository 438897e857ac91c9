#!/usr/bin/env bash
# The main job on the bundled sample data: the web platform with a demo region tree, demo users and
# the examples as submissions. Prints the logins and `sifund web: http://127.0.0.1:8000/`; Ctrl-C stops.
# Extra arguments go to `sifund serve` (e.g. --port 8080, --data DIR). The CLI job: scripts/report-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/sifund serve --demo "$@"
