#!/usr/bin/env bash
# Installs what building, running or testing Cuesheet needs on Debian 12, and nothing more.
#   .ci/setup.sh run    system packages for building and opening the window
#   .ci/setup.sh test   the same plus Xvfb and WebKitWebDriver for the end-to-end tests
#   .ci/setup.sh shot   the same as run plus Xvfb and ImageMagick for screenshots without a display
#   .ci/setup.sh bench  the same as test plus Chromium, the start-up benchmark's baseline
#   .ci/setup.sh package  the same as test plus desktop-file-utils, for `make package-check`
# Packages already installed are skipped. Without root (and without password-less sudo) it prints
# the exact apt-get line to run and stops.
set -euo pipefail

purpose=${1:-run}
packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libdbus-1-dev file)
case "$purpose" in
  run) ;;
  test) packages+=(xvfb xauth webkit2gtk-driver dbus-daemon python3-venv) ;;
  package) packages+=(xvfb xauth webkit2gtk-driver dbus-daemon python3-venv desktop-file-utils) ;;
  shot) packages+=(xvfb xauth imagemagick) ;;
  bench) packages+=(xvfb xauth webkit2gtk-driver dbus-daemon chromium) ;;
  *) echo "usage: $0 run|test|shot|bench|package" >&2; exit 2 ;;
esac
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then as_root=(); elif sudo -n true 2>/dev/null; then as_root=(sudo); else
    echo "Cuesheet needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo $line" >&2
    exit 1
  fi
  echo "==> installing system packages: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Cuesheet needs Rust (stable): install it with rustup (https://rustup.rs), then run make again." >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "The UI build needs Node.js 20 or newer; this machine has $(node --version)." >&2
  echo "Install a newer Node.js (for example from NodeSource or nvm), then run make again." >&2
  exit 1
fi
