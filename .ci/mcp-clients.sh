#!/usr/bin/env bash
# Two of the MCP project's own clients against the gateway's /mcp door, on `npm run demo` (the gateway and
# the GitHub emulator with sample data, on a fresh embedded database):
#  - the MCP Inspector's CLI (@modelcontextprotocol/inspector): tools/list with its --strict schema-portability
#    check, a tools/call, a thread's resources/read;
#  - the conformance suite (@modelcontextprotocol/conformance): the server scenarios that apply to a
#    tools-and-resources server, at 2025-11-25 and 2026-07-28 (below; the others test the reference server's
#    own tools, prompts, logging and completions). Its runner sends no Authorization header, so it talks to the door through a small
#    local proxy that adds the demo's service token, as a configured client would; Origin passes unchanged.
# Both need Node 22.19 or later: they run on Node 24 from .ci/node-binary.sh, pinned, and are installed once
# outside the repository ($MCP_TOOLS_DIR, default ~/.cache/connector-gateway/mcp-clients/).
#
#   .ci/mcp-clients.sh        # after npm ci (and npm run build, which it runs itself)
set -euo pipefail
cd "$(dirname "$0")/.."

version="2.12.0"
# The 2026-07-28 scenarios exist only in the 0.2.0 pre-releases (0.1.16, the newest plain release, has the 2025
# ones alone); this one runs both sets.
conformance_version="0.2.0-alpha.12"
# Per revision, the scenarios that apply to a tools-and-resources server without prompts, logging, completions
# or sampling. .ci/conformance-not-applicable.yaml lists the checks within them that need the reference
# server's own diagnostic tools or prompts (the runner reports them "not testable" against any other server).
scenarios_2025="server-initialize ping tools-list resources-list dns-rebinding-protection"
scenarios_2026="server-stateless tools-list resources-list sep-2164-resource-not-found caching http-header-validation dns-rebinding-protection"
dir="${MCP_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/connector-gateway/mcp-clients}/inspector-$version-conformance-$conformance_version"
node24="$(.ci/node-binary.sh 24)/node"
if [ ! -f "$dir/node_modules/@modelcontextprotocol/conformance/package.json" ]; then
  mkdir -p "$dir"
  PATH="$(dirname "$node24"):$PATH" npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
    "@modelcontextprotocol/inspector@$version" "@modelcontextprotocol/conformance@$conformance_version" >/dev/null
fi
inspector=("$node24" "$dir/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli)
conformance=("$node24" "$dir/node_modules/@modelcontextprotocol/conformance/dist/index.js")

npm run --silent build
data="$(mktemp -d)"
log="$data/demo.log"
PORT=0 DATA_DIR="$data" EMULATOR_LATENCY_MS=0 LOG_LEVEL=warn node dist/demo/demo.js >"$log" 2>&1 &
demo=$!
proxy=""
trap 'kill $demo $proxy 2>/dev/null || true; wait $demo $proxy 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do grep -q "^  service: " "$log" && break; sleep 0.5; done
gateway="$(sed -n 's#^Gateway: *\(http://[^/]*\)/graphql.*#\1#p' "$log")"
token="$(sed -n 's#^  service: *\([^ ]*\).*#\1#p' "$log")"
if [ -z "$gateway" ] || [ -z "$token" ]; then
  echo "mcp-clients: the demo did not start:" >&2
  cat "$log" >&2
  exit 1
fi
auth="Authorization: Bearer $token"
# Reads the Inspector's JSON answer on stdin and fails, showing it, unless the expression about it (`r`) holds.
check() {
  EXPECT="$1" node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    if (!new Function("r", `return (${process.env.EXPECT});`)(r)) {
      console.error(`mcp-clients: not as expected: ${process.env.EXPECT}`);
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
echo "mcp-clients: Inspector $version listed the tools (--strict), called PullRequestReviewStatus and read a thread at $gateway/mcp"

# The conformance runner through a proxy that adds the token (and the gateway's Host) to each request.
TARGET="$gateway" TOKEN="$token" node -e '
  const http = require("node:http");
  const target = new URL(process.env.TARGET);
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: target.host, authorization: `Bearer ${process.env.TOKEN}` };
    const up = http.request(new URL(req.url, target), { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    up.on("error", () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));' >"$data/proxy.url" &
proxy=$!
for _ in $(seq 1 20); do [ -s "$data/proxy.url" ] && break; sleep 0.2; done
via="$(cat "$data/proxy.url")"
run_conformance() {
  local revision="$1" scenario out
  shift
  for scenario in "$@"; do
    if ! out="$("${conformance[@]}" server --url "$via/mcp" --scenario "$scenario" --spec-version "$revision" \
      --expected-failures .ci/conformance-not-applicable.yaml 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; exit "${PIPESTATUS[0]}")"; then
      echo "mcp-clients: conformance scenario $scenario ($revision) failed:" >&2
      echo "$out" | tail -20 >&2
      exit 1
    fi
  done
  echo "mcp-clients: conformance $conformance_version passed at $revision: $*"
}
# shellcheck disable=SC2086 # the lists split into scenario names
run_conformance 2025-11-25 $scenarios_2025
# shellcheck disable=SC2086
run_conformance 2026-07-28 $scenarios_2026
