#!/usr/bin/env bash
# Installs everything csphub needs on a fresh Debian 12 machine with Python 3.11, pip, node/npm:
# Debian libraries (WeasyPrint's pango, Chromium for browser tests), uv, the Python environment
# in .venv, npm packages and the compiled GOV.UK Frontend assets. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo fonts-liberation chromium)
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

say "Python dependencies (uv sync into .venv)"
uv sync --frozen --quiet

say "Front-end packages (npm ci) and GOV.UK Frontend assets"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
