#!/usr/bin/env bash
# Debian libraries WeasyPrint needs for the statistics PDFs and official receipts (pango, harfbuzz subsetting, DejaVu,
# and Noto Sans CJK so that Hangul names render on receipts), and GNU gettext
# for `make messages` and the test that French and Korean are complete (haven/web/tests/test_translations.py).
# Installs only what is missing; does nothing on a machine that has them all.
set -euo pipefail
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk gettext)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
echo "Installing ${missing[*]} (WeasyPrint, gettext)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
