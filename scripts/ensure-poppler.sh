#!/usr/bin/env bash
# pdftotext (Debian's poppler-utils): report tests read the PDFs they render with it (unit, integration and the
# whole-story e2e). Installed with apt-get when missing and we run as root, before any suite, so no PDF test is
# skipped on a fresh machine; otherwise it says exactly what to install.
set -uo pipefail
command -v pdftotext >/dev/null && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "[deps] installing poppler-utils"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null && exit 0
fi
echo "[deps] ERROR: pdftotext is missing. Install it: sudo apt-get install -y poppler-utils" >&2
exit 1
