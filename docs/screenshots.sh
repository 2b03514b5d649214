#!/usr/bin/env bash
# Remakes the screenshots in docs/ from the bank example: a page of the DOCX as LibreOffice
# prints it, and the wallet card as Chromium prints it. Needs LibreOffice, Chromium and
# poppler-utils (Debian: libreoffice-writer-nogui chromium poppler-utils fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
bcp=${BCP:-target/release/bcp}
[ -x "$bcp" ] || cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bcp" render examples/bank --today 2026-11-27 --doc full --format docx --out "$work/full.docx"
soffice -env:UserInstallation="file://$work/lo" --headless --convert-to pdf --outdir "$work" "$work/full.docx" >/dev/null
# Page 11: the risk register, a table with its header row in the document's own layout.
pdftoppm -r 80 -png -f "${PAGE:-11}" -l "${PAGE:-11}" -singlefile "$work/full.pdf" docs/screenshot-docx
"$bcp" render examples/bank --today 2026-11-27 --doc card --format pdf --out "$work/card.pdf"
pdftoppm -r 80 -png -singlefile "$work/card.pdf" docs/screenshot-card
echo "wrote docs/screenshot-docx.png docs/screenshot-card.png"
