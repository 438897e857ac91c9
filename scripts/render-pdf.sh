#!/usr/bin/env bash
# Render a generated DOCX to PDF (LibreOffice headless) and page 1 to PNG (pdftoppm), with the
# fontconfig aliases of src/sifund/data/render/fonts.yaml so 仿宋/黑体 show as Noto CJK SC.
# usage: scripts/render-pdf.sh REPORT.docx OUTDIR   → OUTDIR/REPORT.pdf, OUTDIR/REPORT-page1.png
set -euo pipefail
docx="$1"; outdir="${2:-$(dirname "$1")}"
here="$(cd "$(dirname "$0")/.." && pwd)"
py="${PYTHON:-$here/.venv/bin/python}"
mkdir -p "$outdir"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$py" -c "from pathlib import Path; from sifund.render.fonts import fontconfig_file; fontconfig_file(Path('$work'))"
FONTCONFIG_FILE="$work/fonts.conf" soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
  --convert-to pdf --outdir "$outdir" "$docx" >/dev/null 2>&1
pdf="$outdir/$(basename "${docx%.*}").pdf"
test -s "$pdf" || { echo "LibreOffice did not produce $pdf" >&2; exit 1; }
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$pdf" "${pdf%.pdf}-page1"
echo "$pdf"
