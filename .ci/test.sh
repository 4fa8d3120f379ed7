#!/usr/bin/env bash
# The whole test suite: installs what it needs (npm packages through Deno, Jupyter and Chromium
# from Debian when missing), checks format, lint and types, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .ci/setup.sh ]; then bash .ci/setup.sh; fi
deno install --frozen
deno fmt --check
deno lint
deno check
deno check --doc
deno test -A --parallel "$@"
