import { measured, type BenchContext } from "../context";
import type { BenchGateway } from "../gateway";
import { gatewayHeaders } from "../gateway-client";
import { OwnRedis } from "../redis-server";
import { median, percentile, round, timed } from "../stats";
import { allIssues, issueQuery } from "../world";

// Case 7: one tenant's concurrent requests (200, BENCH_CONCURRENT_CLIENTS) spread round-robin over three
// gateway instances on the run's PostgreSQL, as a load balancer spreads them: with their limits shared
// through a Redis of the bench's own (REDIS_URL) and without. What GitHub sees of it: upstream requests,
// points, and the most of the key's requests in flight at once (the emulator's own count); p50 and p99.

export const FLEET_SIZE = 3;
/** The bystander's sequential look-ups, each side of the comparison. */
const BYSTANDER_REQUESTS = 60;
/** How much one workspace's bursts may raise another's p50 on the same instances: the bench's tolerance. */
export const BYSTANDER_TOLERANCE = 1.5;

/** Another workspace's single look-ups, one after another over the same instances: alone, then during bursts. */
export interface Bystander {
  requests: number;
  aloneP50Ms: number;
  duringBurstsP50Ms: number;
  /** duringBurstsP50Ms / aloneP50Ms. */
  ratio: number;
  /** Bursts of the first workspace sent while the bystander's look-ups ran. */
  bursts: number;
}

export interface FleetRound {
  upstreamRequests: number;
  points: number;
  peakInFlight: number;
  p50Ms: number;
  p99Ms: number;
}

/** Each figure is the median of its rounds. */
export interface FleetSide extends FleetRound {
  rounds: FleetRound[];
  bystander: Bystander;
}

export interface FleetResult {
  instances: number;
  clientRequests: number;
  withRedis: FleetSide;
  withoutRedis: FleetSide;
}

async function bystanderP50(ctx: BenchContext, gateways: readonly BenchGateway[]): Promise<number> {
  const headers = gatewayHeaders(ctx.bystander.service);
  const items = allIssues().slice(-BYSTANDER_REQUESTS);
  const times: number[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const { ms } = await timed(async () => {
      const res = await fetch(gateways[i % gateways.length].url, { method: "POST", headers, body: JSON.stringify({ query: issueQuery(items[i]) }) });
      const text = await res.text();
      if (!res.ok || text.includes('"errors"')) throw new Error(`bystander: HTTP ${res.status} ${text.slice(0, 300)}`);
    });
    times.push(ms);
  }
  return round(percentile([...times].sort((a, b) => a - b), 50));
}

async function side(ctx: BenchContext, name: string, gateways: readonly BenchGateway[]): Promise<FleetSide> {
  const bodies = allIssues().slice(0, ctx.config.concurrentClients).map((item) => JSON.stringify({ query: issueQuery(item) }));
  const headers = gatewayHeaders(ctx.callers.service);
  const once = () =>
    Promise.all(
      bodies.map(async (body, i) => {
        const { ms } = await timed(async () => {
          const res = await fetch(gateways[i % gateways.length].url, { method: "POST", headers, body });
          const text = await res.text();
          if (!res.ok || text.includes('"errors"')) throw new Error(`${name}: HTTP ${res.status} ${text.slice(0, 300)}`);
        });
        return ms;
      }),
    );
  await once(); // warm: connections, each instance's key, the JIT
  const rounds: FleetRound[] = [];
  for (let r = 0; r < ctx.config.concurrentRounds; r += 1) {
    await ctx.emulator.resetPeakInFlight();
    const { value, upstream } = await measured(ctx.emulator, once);
    const times = [...value].sort((a, b) => a - b);
    rounds.push({
      upstreamRequests: upstream.requests, points: upstream.points, peakInFlight: await ctx.emulator.peakInFlight(),
      p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)),
    });
  }
  const figure = (pick: (r: FleetRound) => number) => median(rounds.map(pick));
  // The other workspace: its look-ups alone, then while this one's bursts follow each other.
  await bystanderP50(ctx, gateways); // warm: its key on each instance
  const aloneP50Ms = await bystanderP50(ctx, gateways);
  let bursting = true;
  let bursts = 0;
  const burstsDone = (async () => {
    while (bursting) {
      await once();
      bursts += 1;
    }
  })();
  const duringBurstsP50Ms = await bystanderP50(ctx, gateways).finally(() => (bursting = false));
  await burstsDone;
  const bystander: Bystander = { requests: BYSTANDER_REQUESTS, aloneP50Ms, duringBurstsP50Ms, ratio: round(duringBurstsP50Ms / aloneP50Ms, 3), bursts };
  const result: FleetSide = {
    upstreamRequests: figure((r) => r.upstreamRequests), points: figure((r) => r.points), peakInFlight: figure((r) => r.peakInFlight),
    p50Ms: figure((r) => r.p50Ms), p99Ms: figure((r) => r.p99Ms), rounds, bystander,
  };
  ctx.log(`fleet ${name}: ${bodies.length} requests over ${gateways.length} -> ${result.upstreamRequests} upstream, ${result.points} pt, peak ${result.peakInFlight} in flight at GitHub, p50 ${result.p50Ms} p99 ${result.p99Ms} ms`);
  ctx.log(`fleet ${name}: another workspace's p50 ${aloneP50Ms} ms alone, ${duringBurstsP50Ms} ms during ${bursts} bursts (x${bystander.ratio})`);
  return result;
}

async function fleetOf(ctx: BenchContext, name: string, env: Record<string, string>): Promise<BenchGateway[]> {
  const gateways: BenchGateway[] = [];
  // One after the other: each runs the (already applied) migrations at start-up under the advisory lock.
  for (let i = 0; i < FLEET_SIZE; i += 1) gateways.push(await ctx.startGateway(`${name}-${i + 1}`, env));
  return gateways;
}

export async function runFleet(ctx: BenchContext): Promise<FleetResult> {
  const redis = await OwnRedis.start();
  try {
    const shared = await fleetOf(ctx, "fleet-redis", { REDIS_URL: redis.url });
    const withRedis = await side(ctx, "with Redis", shared);
    for (const g of shared) await g.stop();
    const apart = await fleetOf(ctx, "fleet-apart", {});
    const withoutRedis = await side(ctx, "without Redis", apart);
    for (const g of apart) await g.stop();
    return { instances: FLEET_SIZE, clientRequests: ctx.config.concurrentClients, withRedis, withoutRedis };
  } finally {
    await redis.stop();
  }
}
