#!/usr/bin/env bash
# Installs everything csphub needs on a fresh Debian 12 machine with Python 3.11, pip, node/npm:
# Debian libraries (WeasyPrint's pango, Chromium for browser tests, ClamAV's clamd and sigtool
# for scanning documents, LibreOffice Calc for the tests that open generated workbooks), uv,
# the Python environment in .venv, npm packages and the compiled GOV.UK Frontend assets. Safe to run again: a second run installs only what a changed lock file
# asks for, so it takes a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo fonts-liberation chromium clamav clamav-daemon libreoffice-calc-nogui poppler-utils)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# pip --user puts uv in ~/.local/bin: on PATH from here on, so an earlier install is found too.
export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  say "Installing uv (pip --user)"
  if python3 -m pip install --quiet --user uv 2>/dev/null; then
    :
  # Debian 12 / Ubuntu 23.04+ system Python refuses pip installs ("externally-managed-environment").
  # uv has no dependencies and goes to ~/.local, so nothing the system's Python uses changes.
  elif say "pip --user was refused (externally managed Python): retrying with --break-system-packages" &&
    python3 -m pip install --quiet --user --break-system-packages uv 2>/dev/null; then
    :
  # Inside a virtualenv --user is refused: install into the virtualenv.
  elif python3 -m pip install --quiet uv; then
    :
  else
    echo "setup.sh: could not install uv with pip (is python3-pip installed?)." >&2
    echo "Install uv (https://docs.astral.sh/uv/) so that 'uv' is on PATH, then run again." >&2
    exit 1
  fi
  if ! command -v uv >/dev/null 2>&1; then
    echo "setup.sh: uv was installed but is not on PATH; add its directory to PATH and run again." >&2
    exit 1
  fi
fi

# Each install step is skipped when a stamp inside what it installs holds the hash of the files
# it was installed from: a fresh clone (no .venv, no node_modules) installs everything, and a lock
# file edit (or `make clean`) installs again.
digest() { cat "$@" | sha256sum | cut -d' ' -f1; }
up_to_date() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }  # $1 = stamp file, $2 = hash

py_stamp=.venv/.csphub-installed
py_hash=$(digest uv.lock pyproject.toml)
if up_to_date "$py_stamp" "$py_hash" && [ -x .venv/bin/python ]; then
  say "Python dependencies: up to date with uv.lock"
else
  say "Python dependencies (uv sync into .venv)"
  uv sync --frozen --quiet
  echo "$py_hash" >"$py_stamp"
fi

npm_stamp=node_modules/.csphub-installed
npm_hash=$(digest package-lock.json package.json)
if up_to_date "$npm_stamp" "$npm_hash"; then
  say "Front-end packages: up to date with package-lock.json"
else
  say "Front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_hash" >"$npm_stamp"
fi

# The compiled assets: rebuilt when the packages or the sources they are built from change.
assets_stamp=src/csphub/static/vendor/.csphub-built
assets_hash=$(digest "$npm_stamp" scripts/build-assets.mjs $(find src/csphub/static_src -type f | sort))
if up_to_date "$assets_stamp" "$assets_hash"; then
  say "GOV.UK Frontend assets: up to date"
else
  say "GOV.UK Frontend assets (npm run build)"
  npm run --silent build
  echo "$assets_hash" >"$assets_stamp"
fi
