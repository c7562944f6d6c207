import { join } from "node:path";
import { BENCH } from "../../github-emulator/bench-data";
import { measuredSplit, type BenchContext } from "../context";
import { githubMcpServerWay } from "../github-mcp-server-calls";
import { callTool, mcpUrlOf } from "../mcp-client";
import { postGraphql } from "../gateway-client";
import { readNamedOperations } from "../../src/operations/named-operations";
import { cpuMs } from "../processes";
import { median, percentile, round, timed } from "../stats";
import { allIssues, allPullRequests, type Item } from "../world";

// Case 6: 50 concurrent tool calls for 50 different items through the gateway's /mcp, beside the
// same work done the way GitHub's MCP server does it (bench/github-mcp-server-calls.ts), for an issue's
// thread and a pull request's review status. Both sides use the tenant's key against the same emulator.

/** The issue's figure: tool calls an agent runtime sends at once. */
export const MCP_CALLS = 50;
/** Unmeasured rounds before each side's timed ones. */
const WARM_ROUNDS = 10;

export interface McpRound {
  upstreamRequests: number;
  /** GraphQL points (the graphql budget). */
  graphqlPoints: number;
  /** REST requests, each 1 of the core budget (GitHub keeps the two budgets apart, 5,000 an hour each for a PAT). */
  coreRequests: number;
  /** graphqlPoints + coreRequests: what the round took from the key's hourly budgets together. */
  points: number;
  /** Per item, from its first call to its last answer. */
  p50Ms: number;
  p99Ms: number;
}

/** Each figure is the median of its rounds. */
export interface McpSide extends McpRound {
  rounds: McpRound[];
  /** The gateway side only: its process's utime + stime over the timed rounds, per tool call. */
  cpuMsPerCall?: number;
}

export interface McpWorkload {
  /** The gateway's tool (one call per item). */
  tool: string;
  /** GitHub's MCP server's tool calls for the same work, per item. */
  githubMcpServerTools: string;
  gateway: McpSide;
  /** The same named operation POSTed to the gateway's /graphql: what the MCP door adds to it. */
  graphql: McpSide;
  githubMcpServer: McpSide;
}

export interface McpResult {
  calls: number;
  issueThread: McpWorkload;
  reviewStatus: McpWorkload;
}

async function side(ctx: BenchContext, name: string, items: readonly Item[], once: (item: Item) => Promise<void>, pid?: number): Promise<McpSide> {
  const concurrently = () => Promise.all(items.map(async (item) => (await timed(() => once(item))).ms));
  // Warm: connections, the key's cache, and the JIT. The MCP door's code runs for the first time in this case while
  // /graphql's has served every case before it, so one round left the door's CPU per call mostly compilation
  // (3.96 ms in the run of 2026-12-03 06:57 against 2.2-2.4 ms once warm); each side gets the same warm rounds.
  for (let i = 0; i < WARM_ROUNDS; i += 1) await concurrently();
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const rounds: McpRound[] = [];
  for (let r = 0; r < ctx.config.concurrentRounds; r += 1) {
    const { value, upstream } = await measuredSplit(ctx.emulator, concurrently);
    const times = [...value].sort((a, b) => a - b);
    rounds.push({
      upstreamRequests: upstream.requests, graphqlPoints: upstream.points, coreRequests: upstream.restRequests,
      points: upstream.points + upstream.restRequests, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)),
    });
  }
  const figure = (pick: (r: McpRound) => number) => median(rounds.map(pick));
  const result: McpSide = {
    upstreamRequests: figure((r) => r.upstreamRequests), graphqlPoints: figure((r) => r.graphqlPoints), coreRequests: figure((r) => r.coreRequests),
    points: figure((r) => r.points), p50Ms: figure((r) => r.p50Ms), p99Ms: figure((r) => r.p99Ms), rounds,
    ...(pid === undefined ? {} : { cpuMsPerCall: round((cpuMs(pid) - cpuBefore) / (rounds.length * items.length), 3) }),
  };
  const cpu = result.cpuMsPerCall === undefined ? "" : `; gateway CPU ${result.cpuMsPerCall} ms a call`;
  ctx.log(`mcp ${name}: ${items.length} at once -> ${result.upstreamRequests} upstream, ${result.points} pt (${result.graphqlPoints} GraphQL + ${result.coreRequests} core), p50 ${result.p50Ms} p99 ${result.p99Ms} ms${cpu}`);
  return result;
}

const args = (item: Item) => ({ owner: BENCH.owner, repo: item.repo, number: item.number });

function answered(tool: string, item: Item, content: Record<string, unknown>, field: string): void {
  const value = (content.github as Record<string, { number?: number } | null> | undefined)?.[field];
  if (value?.number !== item.number) throw new Error(`${tool}: ${item.repo}#${item.number} came back as ${JSON.stringify(content).slice(0, 300)}`);
}

/** The named operation's text (schema/operations/), as a client of /graphql sends it. */
function operationText(name: string): string {
  const found = readNamedOperations(join(__dirname, "../../../schema/operations")).find((o) => o.name === name);
  if (!found) throw new Error(`no named operation ${name} in schema/operations`);
  return found.text;
}

export async function runMcp(ctx: BenchContext): Promise<McpResult> {
  const url = mcpUrlOf(ctx.gateway.url);
  const token = ctx.callers.service;
  const theirs = githubMcpServerWay(ctx.emulator.url, ctx.key);
  // One workload: the tool through /mcp, its operation through /graphql, GitHub's MCP server's calls; each answer checked.
  const workload = async (tool: string, field: string, items: Item[], githubMcpServerTools: string, theirWay: (item: Item) => Promise<void>): Promise<McpWorkload> => {
    const query = operationText(tool);
    return {
      tool,
      githubMcpServerTools,
      gateway: await side(ctx, `${tool} via /mcp`, items, async (item) => answered(tool, item, await callTool(url, token, tool, args(item)), field), ctx.gateway.pid),
      graphql: await side(ctx, `${tool} via /graphql`, items, async (item) => {
        answered(tool, item, (await postGraphql(ctx.gateway.url, token, query, args(item))).data as Record<string, unknown>, field);
      }, ctx.gateway.pid),
      githubMcpServer: await side(ctx, `${githubMcpServerTools} (GitHub's MCP server's calls)`, items, theirWay),
    };
  };
  const issueThread = await workload("IssueThreadContext", "issueThread", allIssues().slice(0, MCP_CALLS), "issue_read get + get_comments", theirs.issueThread);
  const reviewStatus = await workload("PullRequestReviewStatus", "pullRequest", allPullRequests().slice(0, MCP_CALLS),
    "pull_request_read get + get_reviews + get_status + get_check_runs", theirs.reviewStatus);
  return { calls: MCP_CALLS, issueThread, reviewStatus };
}
