import { measured, type BenchContext } from "../context";
import { directIssueRequest } from "../direct";
import type { BenchGateway } from "../gateway";
import { gatewayHeaders } from "../gateway-client";
import { assertClean, load, type LoadResult } from "../load";
import { median } from "../stats";
import { allIssues, issueQuery } from "../world";

// Case 3: 200 gateway requests of one tenant at once, each for one (different) issue: with the
// gateway's default cross-request window and with GITHUB_BATCH_WINDOW_MS=0 (per request only), beside
// the same 200 look-ups sent straight to GitHub at once (the request @octokit/graphql sends, by autocannon).

export interface ConcurrentFigures {
  clientRequests: number;
  upstreamRequests: number;
  points: number;
  p50Ms: number;
  p99Ms: number;
  /** Every round; each figure above is the median of its rounds. */
  rounds: Array<{ upstreamRequests: number; points: number; p50Ms: number; p99Ms: number }>;
}

export interface ConcurrentResult extends ConcurrentFigures {
  /** The same with GITHUB_BATCH_WINDOW_MS=0. */
  windowZero: ConcurrentFigures;
  /** The same look-ups sent straight to the emulator, one request each, all at once. */
  direct: ConcurrentFigures;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  bodies: string[];
}

const viaGateway = (ctx: BenchContext, gateway: BenchGateway): Target => ({
  name: gateway.name,
  url: gateway.url,
  headers: gatewayHeaders(ctx.callers.service),
  bodies: allIssues().slice(0, ctx.config.concurrentClients).map((item) => JSON.stringify({ query: issueQuery(item) })),
});

function direct(ctx: BenchContext): Target {
  const items = allIssues().slice(0, ctx.config.concurrentClients);
  return { name: "direct", url: `${ctx.emulator.url}/graphql`, headers: directIssueRequest(ctx.key, items[0]).headers, bodies: items.map((item) => directIssueRequest(ctx.key, item).body) };
}

async function rounds(ctx: BenchContext, gateway: Target): Promise<ConcurrentFigures> {
  const clients = ctx.config.concurrentClients;
  const once = () => load({ url: gateway.url, headers: gateway.headers, bodies: gateway.bodies, connections: clients, amount: clients });
  assertClean(`${gateway.name} warm-up`, await once());
  const all: ConcurrentFigures["rounds"] = [];
  for (let r = 0; r < ctx.config.concurrentRounds; r += 1) {
    const { value, upstream } = await measured<LoadResult>(ctx.emulator, once);
    assertClean(gateway.name, value);
    if (value.requests !== clients) throw new Error(`${gateway.name}: ${value.requests} of ${clients} requests answered`);
    all.push({ upstreamRequests: upstream.requests, points: upstream.points, p50Ms: value.p50Ms, p99Ms: value.p99Ms });
  }
  return {
    clientRequests: clients,
    upstreamRequests: median(all.map((r) => r.upstreamRequests)),
    points: median(all.map((r) => r.points)),
    p50Ms: median(all.map((r) => r.p50Ms)),
    p99Ms: median(all.map((r) => r.p99Ms)),
    rounds: all,
  };
}

export async function runConcurrent(ctx: BenchContext): Promise<ConcurrentResult> {
  const directly = await rounds(ctx, direct(ctx));
  ctx.log(`concurrent (direct): ${directly.clientRequests} requests -> ${directly.upstreamRequests} upstream, p50 ${directly.p50Ms} p99 ${directly.p99Ms} ms`);
  const batched = await rounds(ctx, viaGateway(ctx, ctx.gateway));
  ctx.log(`concurrent (default window): ${batched.clientRequests} requests -> ${batched.upstreamRequests} upstream, ${batched.points} pt, p50 ${batched.p50Ms} p99 ${batched.p99Ms} ms`);
  const zero = await ctx.startGateway("gateway-window-0", { GITHUB_BATCH_WINDOW_MS: "0" });
  try {
    const windowZero = await rounds(ctx, viaGateway(ctx, zero));
    ctx.log(`concurrent (window 0): ${windowZero.clientRequests} requests -> ${windowZero.upstreamRequests} upstream, ${windowZero.points} pt, p50 ${windowZero.p50Ms} p99 ${windowZero.p99Ms} ms`);
    return { ...batched, windowZero, direct: directly };
  } finally {
    await zero.stop();
  }
}
