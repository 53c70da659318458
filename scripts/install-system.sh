#!/usr/bin/env bash
# Installs the system packages archive_tui needs on a Debian-like machine, only when something is missing:
# tesseract with Chinese (simplified + traditional) data, CJK fonts, CUPS with the cups-pdf virtual printer,
# poppler (pdftoppm, used to look at printed pages) and tmux (end-to-end tests).
set -euo pipefail
pkgs=(tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng tesseract-ocr-osd
      fonts-wqy-microhei fonts-noto-cjk cups cups-client cups-bsd printer-driver-cups-pdf
      poppler-utils tmux python3-venv)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "系统依赖已齐全 (system packages present)"
  exit 0
fi
echo "安装系统依赖 (installing): ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
