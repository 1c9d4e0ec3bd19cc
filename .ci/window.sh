#!/usr/bin/env bash
# Opens the built Cuesheet window on a virtual display (Xvfb), waits for it to paint, saves a
# screenshot of the whole display, and closes it again.
#   .ci/window.sh BINARY SCREENSHOT.png [DATA_DIR]
# Used by `make run` on a machine without a display and by `make screenshot` for the README.
set -euo pipefail

binary=$1 shot=$2 data_dir=${3:-}
settle_seconds=${CUESHEET_SCREENSHOT_WAIT:-8}

for number in $(seq 90 140); do
  [ -e "/tmp/.X11-unix/X$number" ] || [ -e "/tmp/.X$number-lock" ] || break
done
display=":$number"
Xvfb "$display" -screen 0 1200x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
app_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$number" ] && break; sleep 0.1; done

data_args=()
[ -n "$data_dir" ] && data_args=(--data-dir "$data_dir")
# Compositing off: measured faster and lighter under Xvfb (see DESIGN.md's Linux notes).
DISPLAY=$display WEBKIT_DISABLE_COMPOSITING_MODE=1 "$binary" "${data_args[@]}" &
app_pid=$!
sleep "$settle_seconds"
if ! kill -0 "$app_pid" 2>/dev/null; then
  echo "the Cuesheet window exited before it could be photographed" >&2
  exit 1
fi
mkdir -p "$(dirname "$shot")"
DISPLAY=$display import -window root "$shot"
echo "$shot"
