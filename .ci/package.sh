#!/usr/bin/env bash
# Builds Cuesheet's Linux packages with the Tauri bundler (release profile) and prints their paths
# and sizes:   .ci/package.sh [BUNDLES]   (default deb,rpm; `make package` runs it)
# The third-party notices are generated first and embedded (CUESHEET_NOTICES) and shipped.
# The AppImage is built by the release workflow only: its bundler downloads tools at build time.
set -euo pipefail
cd "$(dirname "$0")/.."

bundles=${1:-deb,rpm}
.ci/notices.sh
export CUESHEET_NOTICES=target/notices/THIRD-PARTY-NOTICES.txt
# Packages of an earlier build would be listed (and checked) as if new.
rm -rf target/release/bundle/deb target/release/bundle/rpm
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles "$bundles" --ci)

# The .deb's contents xz-compressed like Debian's own (the .rpm's are, through tauri.conf.json).
shopt -s nullglob
debs=(target/release/bundle/deb/*.deb)
[ ${#debs[@]} = 0 ] || .ci/deb-xz.sh "${debs[@]}"

echo
echo "Packages (release profile):"
for file in target/release/cuesheet target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  [ -e "$file" ] || continue
  stat -c '%s %n' "$file" | awk '{ printf "  %-60s %6.2f MiB (%d bytes)\n", $2, $1 / 1048576, $1 }'
done
