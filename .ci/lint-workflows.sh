#!/usr/bin/env bash
# Lints the GitHub Actions workflows: check-jsonschema against the workflow schema it ships
# (offline), then zizmor's offline audits (injection, credentials, cache poisoning, …). Both
# come from PyPI, pinned, into .cache/tools/lint-venv on first use. actionlint is not used: its
# PyPI wrapper downloads the binary from GitHub at install time, which this machine cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.33.1
venv=.cache/tools/lint-venv
stamp="$venv/.installed-$CHECK_JSONSCHEMA_VERSION-$ZIZMOR_VERSION"

if [ ! -e "$stamp" ]; then
  echo "==> installing check-jsonschema $CHECK_JSONSCHEMA_VERSION and zizmor $ZIZMOR_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "zizmor==$ZIZMOR_VERSION"
  touch "$stamp"
fi

workflows=(.github/workflows/*.yml)
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$venv/bin/zizmor" --offline --quiet .github/workflows
echo "workflows linted: ${workflows[*]}"
