#!/usr/bin/env bash
# Generates Cuesheet's third-party notices into target/notices/:
#   THIRD-PARTY-NOTICES.txt  the Rust crates (cargo-about) and the npm packages bundled into the
#                            window (rollup-plugin-license, during the UI build), with licence texts
#   copyright                /usr/share/doc/cuesheet/copyright in the Debian machine-readable format
# `make package` embeds the first in the binary (CUESHEET_NOTICES) and ships both in the packages.
# cargo-about is installed pinned with `cargo install --locked` into .cache/tools on first use;
# nothing here needs the network beyond the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_ABOUT_VERSION=0.9.3
out=target/notices
about=.cache/tools/bin/cargo-about
mkdir -p "$out"

if ! "$about" --version 2>/dev/null | grep -q "$CARGO_ABOUT_VERSION"; then
  echo "==> installing cargo-about $CARGO_ABOUT_VERSION into .cache/tools"
  cargo install --locked --quiet cargo-about --version "$CARGO_ABOUT_VERSION" --features cli --root .cache/tools
fi

# The UI build writes the npm half ($out/ui-packages.txt) from what it bundled.
rm -f "$out/ui-packages.txt"
(cd ui && npm run build --silent >/dev/null)
test -s "$out/ui-packages.txt" || { echo "the UI build wrote no $out/ui-packages.txt" >&2; exit 1; }

# The crates the `cuesheet` binary is built from (not the tests' or the build scripts'). cargo-about
# reads every file of every crate (minutes on 2 cores), so its list is kept until Cargo.lock or
# its settings change.
crates_file="$out/rust-crates.txt"
if [ ! -s "$crates_file" ] || [ Cargo.lock -nt "$crates_file" ] || [ about.toml -nt "$crates_file" ] \
  || [ about.hbs -nt "$crates_file" ]; then
  # cargo-about reads every crate of the lock file, other platforms' too, which a build on this
  # one never downloads: fetch them first (from the registry, as the lock file pins them), since
  # --frozen refuses to download on a fresh machine.
  cargo fetch --locked --quiet
  "$about" generate --frozen --fail --config about.toml --manifest-path src-tauri/Cargo.toml \
    --output-file "$crates_file.new" about.hbs
  mv "$crates_file.new" "$crates_file"
fi

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
{
  echo "Third-party notices for Cuesheet $version"
  echo
  echo "Cuesheet is free software under the MIT licence (the copyright file beside this one)."
  echo "It is built from the free software below; their licences ask that these notices travel"
  echo "with it."
  echo
  cat "$out/rust-crates.txt"
  echo
  cat "$out/ui-packages.txt"
} > "$out/THIRD-PARTY-NOTICES.txt"

# Debian's machine-readable copyright: our licence, then where the bundled software's are.
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: Cuesheet"
  echo "Source: $(sed -n 's/^homepage = "\(.*\)"/\1/p' Cargo.toml | head -1)"
  echo
  echo "Files: *"
  echo "Copyright: 2026 The Cuesheet authors"
  echo "License: MIT"
  echo "Comment: The binary also holds the Rust crates and npm packages listed, with their"
  echo " licence texts, in /usr/share/doc/cuesheet/THIRD-PARTY-NOTICES.txt (and in the app,"
  echo " under Settings, About)."
  echo
  echo "License: MIT"
  # The licence text, indented one space, blank lines as " .".
  tail -n +3 LICENSE | sed -e 's/^$/./' -e 's/^/ /'
} > "$out/copyright"

crates=$(grep -c '^Used by:' "$out/rust-crates.txt" || true)
packages=$(grep -c '^-\{94\}$' "$out/ui-packages.txt" || true)
echo "notices: $out/THIRD-PARTY-NOTICES.txt ($crates licences of Rust crates, $packages npm packages), $out/copyright"
