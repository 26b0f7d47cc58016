#!/usr/bin/env bash
# Creates (or reuses) the research sandbox's Python virtual environment from requirements.txt.
#
#   bash deploy/python/setup.sh [VENV_DIR]      default: $QF_RESEARCH_VENV or <repo>/.venv-research
#
# Reused when present: the venv holds a stamp with the hash of requirements.txt and the Python
# version, and is rebuilt only when either changed. Needs python3 (3.11+) with the venv module.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${1:-${QF_RESEARCH_VENV:-$repo/.venv-research}}"
req="$here/requirements.txt"
python="${QF_PYTHON:-python3}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "deploy/python/setup.sh: $python was not found. The research sandbox needs Python 3.11+ with venv" >&2
  echo "  (Debian: apt-get install python3 python3-venv), or set QF_PYTHON to a python3 binary." >&2
  exit 1
fi
if ! "$python" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "deploy/python/setup.sh: $("$python" --version 2>&1) is too old or lacks the venv module; need 3.11+ with venv." >&2
  exit 1
fi

stamp_want="$( { "$python" -c 'import sys; print(sys.version)'; cat "$req"; } | sha256sum | cut -d' ' -f1)"
stamp_file="$venv/.quantforge-stamp"
if [[ -x "$venv/bin/python" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]]; then
  echo "research venv up to date: $venv"
  exit 0
fi

echo "creating the research venv at $venv (first time takes a minute or two)"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
# World-readable: the sandbox runs Python as an unprivileged uid.
chmod -R a+rX "$venv"
echo "$stamp_want" > "$stamp_file"
echo "research venv ready: $venv"
