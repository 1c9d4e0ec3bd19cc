#!/usr/bin/env bash
# Recompresses .deb packages with xz, in place:   .ci/deb-xz.sh PACKAGE.deb...
# The Tauri bundler gzips a .deb's contents and has no setting for it (tauri-apps/tauri#9846).
# Debian's own packages use xz, which every dpkg since Debian 6 reads, and it takes 1.8 MiB off
# ours (docs/BENCHMARKS.md, "Package size"). dpkg-deb repacks the same files, modes and control
# data, owned by root as the bundler made them. `make package` and the release workflow run it.
set -euo pipefail

for deb in "$@"; do
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  dpkg-deb --raw-extract "$deb" "$tree/root"
  dpkg-deb --root-owner-group -Zxz -z9 -Sextreme --build "$tree/root" "$tree/repacked.deb" >/dev/null
  mv "$tree/repacked.deb" "$deb"
  rm -rf "$tree"
  trap - EXIT
done
