#!/usr/bin/env bash
# Regenerates the PNG icon set from icons/cuesheet.svg (our own drawing). Needs rsvg-convert
# (Debian: librsvg2-bin). The PNGs are committed, so builds never need this script.
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert --width "$1" --height "$1" --format png --output "$2" cuesheet.svg; }
render 32 32x32.png
render 64 64x64.png
render 128 128x128.png
render 256 128x128@2x.png
render 256 256x256.png
render 512 icon.png
# icon.ico (Windows) and icon.icns (macOS), for the release workflow's installers:
#   ui/node_modules/.bin/tauri icon icons/cuesheet.svg -o /tmp/icons && cp /tmp/icons/icon.{ico,icns} icons/
echo "icons written to $(pwd)"
