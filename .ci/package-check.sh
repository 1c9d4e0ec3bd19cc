#!/usr/bin/env bash
# Checks the .deb that `make package` built as an install would meet it, with no root rights:
# unpacks it into a temporary root, reads its metadata, validates its .desktop file, checks the
# icons, runs the unpacked `cuesheet` (--version, the CLI on a temporary library, its notices),
# then opens the unpacked window under Xvfb to a painted library and hands it a playlist file
# from a second launch (the end-to-end tests, run against the unpacked binary).
#   .ci/package-check.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "package-check: $*" >&2; exit 1; }
step() { echo "==> $*"; }

deb=${1:-$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -1)}
[ -n "$deb" ] && [ -f "$deb" ] || fail "no .deb to check: run \`make package\` first"
root=$(mktemp -d)
data=$(mktemp -d)
trap 'rm -rf "$root" "$data"' EXIT

step "$deb ($(stat -c %s "$deb" | awk '{ printf "%.2f MiB", $1 / 1048576 }'))"
dpkg-deb -x "$deb" "$root"
field() { dpkg-deb -f "$deb" "$1"; }
for name in Package Version Architecture Maintainer Section Homepage Depends; do
  printf '  %-13s %s\n' "$name:" "$(field "$name")"
done
printf '  %-13s %s\n' "Description:" "$(field Description | head -1)"
package=$(field Package)
maintainer=$(field Maintainer)
[ "$maintainer" != "$package" ] && [[ "$maintainer" == *" "* ]] || fail "Maintainer is only \"$maintainer\""
[ "$(field Description | head -1)" != "(none)" ] || fail "the package has no description"
[ "$(field Description | wc -l)" -gt 1 ] || fail "the package has no long description"
[ -n "$(field Homepage)" ] || fail "the package names no homepage"

step "documents"
doc="$root/usr/share/doc/$package"
[ -s "$doc/copyright" ] || fail "no $doc/copyright"
grep -q '^License: MIT' "$doc/copyright" || fail "the copyright file names no licence"
[ -s "$doc/THIRD-PARTY-NOTICES.txt" ] || fail "no third-party notices in $doc"
for needle in rusqlite tauri svelte "@tauri-apps/api" "Apache License"; do
  grep -qF "$needle" "$doc/THIRD-PARTY-NOTICES.txt" || fail "the notices do not mention $needle"
done
echo "  copyright and THIRD-PARTY-NOTICES.txt ($(wc -c < "$doc/THIRD-PARTY-NOTICES.txt") bytes)"

step "desktop file"
desktop=$(ls "$root"/usr/share/applications/*.desktop)
[ "$(echo "$desktop" | wc -l)" = 1 ] || fail "expected one .desktop file: $desktop"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $(basename "$desktop")"
sed 's/^/  /' "$desktop"
key() { sed -n "s/^$1=//p" "$desktop"; }
[[ "$(key Exec)" == *"%f"* || "$(key Exec)" == *"%F"* ]] || fail "Exec does not pass files: $(key Exec)"
binary="$root/usr/bin/$(key Exec | cut -d' ' -f1)"
[ -x "$binary" ] || fail "Exec names $binary, which is not in the package"
for type in audio/x-mpegurl application/vnd.apple.mpegurl audio/x-scpls application/xspf+xml application/x-cuesheet-jspf+json; do
  [[ ";$(key MimeType)" == *";$type;"* ]] || fail "MimeType lacks $type"
done
grep -q 'glob pattern="\*.jspf"' "$root/usr/share/mime/packages/"*.xml || fail "no MIME type for *.jspf"

step "icons ($(key Icon))"
icon=$(key Icon)
sizes=0
for png in "$root"/usr/share/icons/hicolor/*/apps/"$icon".png; do
  [ -e "$png" ] || continue
  folder=$(basename "$(dirname "$(dirname "$png")")")
  # A PNG's width and height are big-endian at bytes 16-23 of its IHDR chunk.
  read -r width height < <(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
  # NxN holds N-pixel images; NxN@S (HiDPI) holds N*S-pixel ones.
  logical=${folder%%@*}
  scale=1
  [[ "$folder" == *@* ]] && scale=${folder##*@}
  want="$((${logical%%x*} * scale))x$((${logical##*x} * scale))"
  [ "${width}x${height}" = "$want" ] || fail "$folder/apps/$icon.png is ${width}x${height}, not $want"
  echo "  $folder: ${width}x${height}"
  sizes=$((sizes + 1))
done
for want in 32x32 64x64 128x128 256x256 512x512; do
  [ -e "$root/usr/share/icons/hicolor/$want/apps/$icon.png" ] || fail "no $want icon"
done
[ -s "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable icon"
echo "  scalable: $icon.svg"

step "the unpacked cuesheet"
version=$("$binary" --version)
echo "  $version"
[ "$version" = "cuesheet $(field Version | cut -d- -f1)" ] || fail "--version says \"$version\""
count=$(env -u DISPLAY -u WAYLAND_DISPLAY "$binary" --data-dir "$data" soundtracks --json | grep -c '"film_title"')
[ "$count" = 26 ] || fail "the starter library has $count soundtracks, not 26"
env -u DISPLAY "$binary" --data-dir "$data" import tests/fixtures/playlists/grunge.pls
env -u DISPLAY "$binary" --data-dir "$data" playlists
"$binary" notices | grep -q rusqlite || fail "cuesheet notices does not list the crates"
echo "  cuesheet notices: $("$binary" notices | wc -l) lines"

step "the unpacked window under Xvfb: a painted library, then a file from a second launch"
export CUESHEET_BIN="$binary"
export TAURI_DRIVER=${TAURI_DRIVER:-$PWD/.cache/tools/bin/tauri-driver}
cargo test --quiet -p cuesheet-tests --test window the_library_shows_singles
cargo test --quiet -p cuesheet-tests --test desktop_window a_file_given_at_start
echo
echo "package-check: $deb is fine"
