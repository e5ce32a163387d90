#!/usr/bin/env bash
# Installs everything the end-to-end tests need: Debian's Chromium, the build
# dependencies of code-server's native modules, and the pinned npm packages of
# e2e/package-lock.json (code-server 4.100.3 + playwright-core).
#
# Idempotent: apt packages are installed only when missing, and `npm ci` runs
# only when e2e/package-lock.json (or the Node version) changed since the last
# successful install. Pass --force to redo the npm part anyway.
#
# Works as root on a fresh Debian 12 machine that reaches only the npm
# registry and Debian's mirrors (no GitHub):
#   - @vscode/ripgrep's postinstall would download rg from GitHub; we pre-seed
#     its download cache with a tarball of Debian's /usr/bin/rg instead.
#   - argon2 / node-pty / kerberos / spdlog ... are built from source with
#     node-gyp against the system Node headers in /usr/include/node.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    *) echo "usage: $0 [--force]" >&2; exit 2 ;;
  esac
done

log() { printf '[e2e/install] %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi

# ---------------------------------------------------------------- apt packages
APT_PACKAGES=(
  # browser driven by Playwright (Playwright's own browser download is unreachable)
  chromium
  fonts-dejavu-core
  # native modules of code-server / VS Code (kerberos, keytar-less secrets, node-pty, ...)
  build-essential
  python3
  pkg-config
  libkrb5-dev
  libx11-dev
  libxkbfile-dev
  libsecret-1-dev
  # ripgrep binary that replaces @vscode/ripgrep's GitHub download
  ripgrep
  ca-certificates
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  log "apt packages already installed"
fi

# --------------------------------------------------------------- node version
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" != 20 ]; then
  echo "code-server 4.100.3 requires Node 20; found $(node -v) at $(command -v node)" >&2
  exit 1
fi

# ------------------------------------------------------------ npm environment
# These also reach the nested `npm install` that code-server's postinstall runs
# in lib/vscode and lib/vscode/extensions.
export npm_config_yes=true            # node-pty's install runs `npx node-gyp`
export npm_config_nodedir=/usr        # use /usr/include/node, don't download headers
export npm_config_unsafe_perm=true    # code-server's postinstall refuses root without it
export npm_config_ignore_scripts=false
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

# ------------------------------------------------------- ripgrep cache tarball
# @vscode/ripgrep 1.15.11 (lib/download.js) looks for
#   <os.tmpdir()>/vscode-ripgrep-cache-<pkg version>/ripgrep-<VERSION>-<target>.tar.gz
# before it tries GitHub, then runs `tar xvf <it> -C bin/` and expects bin/rg.
RG_PKG_VERSION=1.15.11
RG_VERSION=v13.0.0-10
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
TMP_ROOT="$(node -p 'require("os").tmpdir()')"
RG_CACHE_DIR="$TMP_ROOT/vscode-ripgrep-cache-$RG_PKG_VERSION"
RG_TARBALL="$RG_CACHE_DIR/ripgrep-$RG_VERSION-$RG_TARGET.tar.gz"
if [ ! -s "$RG_TARBALL" ] || ! tar tzf "$RG_TARBALL" 2>/dev/null | grep -x 'rg' >/dev/null; then
  log "seeding ripgrep download cache $RG_TARBALL from $(command -v rg)"
  mkdir -p "$RG_CACHE_DIR"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  chmod 755 "$staging/rg"
  tar czf "$RG_TARBALL.tmp" -C "$staging" rg
  mv "$RG_TARBALL.tmp" "$RG_TARBALL"
  rm -rf "$staging"
else
  log "ripgrep download cache present"
fi

# ---------------------------------------------------------------- npm ci
STAMP="$E2E_DIR/node_modules/.e2e-install-stamp"
want_stamp="$(cat "$E2E_DIR/package-lock.json" "$E2E_DIR/package.json" | sha256sum | cut -d' ' -f1) node-$(node -v)"
CODE_SERVER_DIR="$E2E_DIR/node_modules/code-server"
# Files that only exist once every install script ran (code-server's postinstall installs
# lib/vscode's own dependencies and builds their native modules).
EXPECTED_FILES=(
  "$E2E_DIR/node_modules/playwright-core/package.json"
  "$CODE_SERVER_DIR/out/node/entry.js"
  "$E2E_DIR/node_modules/argon2/lib/binding/napi-v3/argon2.node"
  "$CODE_SERVER_DIR/lib/vscode/node_modules/node-pty/build/Release/pty.node"
  "$CODE_SERVER_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
  "$CODE_SERVER_DIR/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  "$CODE_SERVER_DIR/lib/vscode/node_modules.asar"
  "$CODE_SERVER_DIR/lib/vscode/extensions/node_modules/typescript/package.json"
)
all_expected_present() {
  local f
  for f in "${EXPECTED_FILES[@]}"; do
    if [ ! -e "$f" ]; then
      echo "$f"
      return 1
    fi
  done
}
if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && all_expected_present >/dev/null; then
  log "node_modules up to date with package-lock.json (pass --force to reinstall)"
else
  log "npm ci in $E2E_DIR (builds code-server's native modules; takes about a minute)"
  rm -f "$STAMP"
  (cd "$E2E_DIR" && npm ci --ignore-scripts=false --no-audit --no-fund)
  if ! missing_file="$(all_expected_present)"; then
    echo "install incomplete: $missing_file is missing (did an install script not run? see npm's output above)" >&2
    exit 1
  fi
  echo "$want_stamp" > "$STAMP"
fi

log "done: code-server $(node -p "require('$CODE_SERVER_DIR/package.json').version"), $(chromium --version 2>/dev/null || echo 'chromium ?')"
