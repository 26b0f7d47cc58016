#!/usr/bin/env bash
# Installs Debian's `chromium` package, the browser the browser tests drive (playwright-core
# launches it; no browser download). A no-op when /usr/bin/chromium is already there.
# Needs root or sudo and apt. Usage: bash deploy/chromium/install.sh
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chromium: /usr/bin/chromium is missing and this is not root (no sudo); run as root: apt-get install chromium" >&2
    exit 1
  fi
fi

echo "chromium: /usr/bin/chromium is missing; installing Debian's chromium package with apt-get"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
echo "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium))"
