#!/usr/bin/env bash
# Installs the Debian packages sifund needs (CJK fonts, PDF tools, LibreOffice for DOCX->PDF; for the
# tests also chromium, driven headless by Playwright, and a PostgreSQL server for scripts/pg.sh).
# Runs only as root; otherwise prints what to install and continues.
set -euo pipefail
PKGS="fonts-noto-cjk fontconfig poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui chromium postgresql openjdk-17-jre-headless"
missing=""
for p in $PKGS; do
  # "ok installed", not merely known to dpkg (a removed package keeps a config-files entry)
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "${st##* }" = "installed" ] || missing="$missing $p"
done
if [ -z "$missing" ]; then echo "system packages: present"; exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "请以 root 安装系统软件包 / please install as root:$missing" >&2; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "system packages installed:$missing"
