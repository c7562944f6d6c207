#!/usr/bin/env bash
# The MCP Inspector's CLI (@modelcontextprotocol/inspector, pinned below) against the gateway's /mcp door:
# it lists the tools with its --strict schema-portability check, calls one, and reads a thread resource,
# against `npm run demo` (the gateway and the GitHub emulator with sample data, on a fresh embedded
# database). The Inspector needs Node 22.19 or later: it runs on Node 24 from .ci/node-binary.sh, and is
# installed once outside the repository ($INSPECTOR_DIR, default ~/.cache/connector-gateway/mcp-inspector/).
#
#   .ci/mcp-inspector.sh        # after npm ci (and npm run build, which it runs itself)
set -euo pipefail
cd "$(dirname "$0")/.."

version="2.12.0"
dir="${INSPECTOR_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connector-gateway/mcp-inspector}/$version"
node24="$(.ci/node-binary.sh 24)/node"
if [ ! -f "$dir/node_modules/@modelcontextprotocol/inspector/package.json" ]; then
  mkdir -p "$dir"
  PATH="$(dirname "$node24"):$PATH" npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "@modelcontextprotocol/inspector@$version" >/dev/null
fi
inspector=("$node24" "$dir/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli)

npm run --silent build
data="$(mktemp -d)"
log="$data/demo.log"
PORT=0 DATA_DIR="$data" EMULATOR_LATENCY_MS=0 LOG_LEVEL=warn node dist/demo/demo.js >"$log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true; wait $demo 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do grep -q "^  service: " "$log" && break; sleep 0.5; done
gateway="$(sed -n 's#^Gateway: *\(http://[^/]*\)/graphql.*#\1#p' "$log")"
token="$(sed -n 's#^  service: *\([^ ]*\).*#\1#p' "$log")"
if [ -z "$gateway" ] || [ -z "$token" ]; then
  echo "mcp-inspector: the demo did not start:" >&2
  cat "$log" >&2
  exit 1
fi
auth="Authorization: Bearer $token"
# Reads the Inspector's JSON answer on stdin and fails, showing it, unless the expression about it (`r`) holds.
check() {
  EXPECT="$1" node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (!new Function("r", `return (${process.env.EXPECT});`)(r)) {
      console.error(`mcp-inspector: not as expected: ${process.env.EXPECT}`);
      console.error(JSON.stringify(r).slice(0, 2000));
      process.exit(1);
    }'
}

# --strict: every tool schema portable to the clients' schema dialects (exit 6 on an error-severity problem).
"${inspector[@]}" "$gateway/mcp" --header "$auth" --method tools/list --strict |
  check "r.tools.map((t) => t.name).join() === 'CreateIssue,IssueThreadContext,MergedPullRequestsThisWeek,OpenBugIssues,PullRequestReviewStatus,SearchCode'"
"${inspector[@]}" "$gateway/mcp" --header "$auth" --method tools/call --tool-name PullRequestReviewStatus --tool-arg owner=acme repo=webshop number=42 |
  check "!r.isError && r.structuredContent.github.pullRequest.number === 42 && /^Approved by @/.test(r.structuredContent.github.pullRequest.reviewStatus.summary)"
"${inspector[@]}" "$gateway/mcp" --header "$auth" --method resources/read --uri "github://acme/webshop/issues/123?maxComments=10" |
  check "r.contents[0].mimeType === 'text/markdown' && r.contents[0].text.includes('## Comments (10 of 250)') && r.contents[0]._meta.readOn === 'github://acme/webshop/issues/123?maxComments=20'"
echo "mcp-inspector: Inspector $version listed the tools (--strict), called PullRequestReviewStatus and read a thread at $gateway/mcp"
