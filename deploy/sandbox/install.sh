#!/usr/bin/env bash
# Installs bubblewrap (bwrap), the research sandbox, when it is missing. Idempotent.
set -euo pipefail
if command -v bwrap >/dev/null 2>&1; then
  echo "bubblewrap present: $(bwrap --version)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "deploy/sandbox/install.sh: bwrap is missing and this is not a Debian-like system; install bubblewrap by hand" >&2
  exit 1
fi
sudo_cmd=()
if [[ "$(id -u)" != 0 ]]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq bubblewrap
echo "bubblewrap installed: $(bwrap --version)"
