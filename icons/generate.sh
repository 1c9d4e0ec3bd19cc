#!/usr/bin/env bash
# Regenerates the PNG icon set from icons/cuesheet.svg (our own drawing). Needs rsvg-convert
# (Debian: librsvg2-bin). The PNGs are committed, so builds never need this script.
set -euo pipefail
cd "$(dirname "$0")"
render() { rsvg-convert --width "$1" --height "$1" --format png --output "$2" cuesheet.svg; }
render 32 32x32.png
render 128 128x128.png
render 256 128x128@2x.png
render 512 icon.png
echo "icons written to $(pwd)"
