import { measured, type BenchContext } from "../context";
import type { BenchGateway } from "../gateway";
import { gatewayHeaders } from "../gateway-client";
import { assertClean, load } from "../load";
import { rssMiB, sleep } from "../processes";
import { round } from "../stats";
import { allIssues, issueQuery } from "../world";

// Case 5: the gateway's resident memory after 100,000 per-issue requests against the same after a
// warm-up, in a gateway process of its own (the earlier cases' peaks would otherwise hide growth).
// Both readings are taken after the same pause.

export interface MemoryResult {
  warmupRequests: number;
  requests: number;
  connections: number;
  warmRssMiB: number;
  afterRssMiB: number;
  growthRatio: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  upstreamRequests: number;
  points: number;
  seconds: number;
  /** VmRSS every TIMELINE_MS during the long run: a plateau is heap sizing, a steady climb a leak. */
  timeline: Array<{ seconds: number; rssMiB: number }>;
  /** The last timeline reading over the first one at or past a quarter of the run: growth once under way. */
  lateGrowthRatio: number | null;
}

function lateGrowth(timeline: MemoryResult["timeline"], seconds: number): number | null {
  const early = timeline.find((t) => t.seconds >= seconds / 4);
  const last = timeline[timeline.length - 1];
  return early && last && last !== early ? round(last.rssMiB / early.rssMiB, 3) : null;
}

const SETTLE_MS = 2000;
const TIMELINE_MS = 10_000;

export async function runMemory(ctx: BenchContext): Promise<MemoryResult> {
  const bodies = allIssues().map((item) => JSON.stringify({ query: issueQuery(item) }));
  const gateway = await ctx.startGateway("gateway-memory", {});
  try {
    return await measure(ctx, gateway, bodies);
  } finally {
    await gateway.stop();
  }
}

async function measure(ctx: BenchContext, gateway: BenchGateway, bodies: string[]): Promise<MemoryResult> {
  const { memoryWarmupRequests, memoryRequests, memoryConnections } = ctx.config;
  const run = (amount: number) =>
    measured(ctx.emulator, () => load({ url: gateway.url, headers: gatewayHeaders(ctx.callers.service), bodies, connections: memoryConnections, amount }));

  assertClean("memory warm-up", (await run(memoryWarmupRequests)).value);
  await sleep(SETTLE_MS);
  const warm = rssMiB(gateway.pid);
  const started = Date.now();
  const timeline: MemoryResult["timeline"] = [];
  const sampler = setInterval(() => timeline.push({ seconds: Math.round((Date.now() - started) / 1000), rssMiB: round(rssMiB(gateway.pid), 1) }), TIMELINE_MS);
  const { value, upstream } = await run(memoryRequests).finally(() => clearInterval(sampler));
  assertClean("memory run", value);
  await sleep(SETTLE_MS);
  const after = rssMiB(gateway.pid);
  const result: MemoryResult = {
    warmupRequests: memoryWarmupRequests,
    requests: value.requests,
    connections: memoryConnections,
    warmRssMiB: round(warm, 1),
    afterRssMiB: round(after, 1),
    growthRatio: round(after / warm, 3),
    rps: value.rps,
    p50Ms: value.p50Ms,
    p99Ms: value.p99Ms,
    upstreamRequests: upstream.requests,
    points: upstream.points,
    seconds: value.seconds,
    timeline,
    lateGrowthRatio: lateGrowth(timeline, value.seconds),
  };
  ctx.log(`memory: ${result.warmRssMiB} MiB after ${memoryWarmupRequests} -> ${result.afterRssMiB} MiB after ${value.requests} more (x${result.growthRatio}), ${value.rps} rps`);
  return result;
}
