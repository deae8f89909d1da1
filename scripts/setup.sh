#!/usr/bin/env bash
# Installs everything csphub needs on a fresh Debian machine with Python 3.11, pip, node/npm:
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

if ! command -v uv >/dev/null 2>&1; then
  say "Installing uv"
  python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi

say "Python dependencies (uv sync into .venv)"
uv sync --frozen --quiet

say "Front-end packages (npm ci) and GOV.UK Frontend assets"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
