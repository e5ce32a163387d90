#!/usr/bin/env bash
# Create bench/.venv and install the pinned Python peer requirements.
#
# Idempotent: a stamp file records the hash of requirements.txt (plus the
# interpreter version) that was last installed successfully, so a second run
# only checks the stamp and that the key imports still load, and returns in
# well under a second. Delete bench/.venv to force a full reinstall.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "setup_venv: creating $venv" >&2
  "$python" -m venv "$venv"
fi

# find_spec only locates the packages; importing tensorflow and torch would take seconds.
check_found='import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ("numpy", "torch", "tensorflow", "threadpoolctl")))'

want="$( { sha256sum "$req" | cut -d' ' -f1; "$venv/bin/python" -V; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && "$venv/bin/python" -c "$check_found" >/dev/null 2>&1; then
  echo "setup_venv: $venv is up to date" >&2
  exit 0
fi

echo "setup_venv: installing $req" >&2
# PIP_FIND_LINKS (set on these machines) points pip at a local wheel directory that
# holds the CPU torch build, so it is not fetched from the network.
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req"
"$venv/bin/python" -c 'import numpy, torch, tensorflow' >/dev/null
echo "$want" > "$stamp"
echo "setup_venv: done" >&2
