import { join } from "node:path";
import { measured, type BenchContext } from "../context";
import type { BenchGateway } from "../gateway";
import { gatewayHeaders } from "../gateway-client";
import { startChild } from "../processes";
import { OwnRedis } from "../redis-server";
import { median, percentile, round, timed } from "../stats";
import { allIssues, issueQuery } from "../world";

// Case 7: one tenant's concurrent requests (200, BENCH_CONCURRENT_CLIENTS) spread round-robin over three
// gateway instances on the run's PostgreSQL, as a load balancer spreads them: with their limits shared
// through a Redis of the bench's own (REDIS_URL) and without. What GitHub sees of it: upstream requests,
// points, and the most of the key's requests in flight at once (the emulator's own count); p50 and p99.

export const FLEET_SIZE = 3;
/** The bystander's sequential look-ups, each side of the comparison (with 60 its ratio ranged x1.49 to x1.74 from run to run). */
const BYSTANDER_REQUESTS = 200;
/** How much one workspace's bursts may raise another's p50 on the same instances: the bench's tolerance. */
export const BYSTANDER_TOLERANCE = 1.5;

/** Another workspace's single look-ups, one after another over the same instances: alone, then during bursts. */
export interface Bystander {
  requests: number;
  aloneP50Ms: number;
  duringBurstsP50Ms: number;
  /** The gateways' own part of it (their Server-Timing `total`, arrival to answer), p50 alone and during. */
  gatewayAloneP50Ms: number;
  gatewayDuringP50Ms: number;
  /** duringBurstsP50Ms / aloneP50Ms. */
  ratio: number;
  /** Bursts of the first workspace sent while the bystander's look-ups ran. */
  bursts: number;
  /**
   * The same look-ups sent straight to the emulator with the bystander's key (@octokit/graphql), alone and
   * during the same bursts: what the machine alone adds, with no gateway in the bystander's way.
   */
  direct?: { aloneP50Ms: number; duringBurstsP50Ms: number; ratio: number };
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
  /** What the turns are worth (limits/fair-turns.ts): the bystander on three instances with Redis and WORKSPACE_TURNS=off, */
  withoutTurns: Bystander;
  /** and on one instance, the gateway as deployed, where all of a burst lands, with the turns and without. */
  oneInstance: Bystander;
  oneInstanceWithoutTurns: Bystander;
}

/** The `total` of a gateway's Server-Timing header (observability/request-timing.ts). */
const gatewayTotal = (header: string | null) => Number(/(?:^|, )total;dur=([\d.]+)/.exec(header ?? "")?.[1] ?? NaN);

/** The bystander's look-ups one after another: p50 as its client sees it and as the gateways report it. */
async function bystanderP50(ctx: BenchContext, gateways: readonly BenchGateway[]): Promise<{ wall: number; gateway: number }> {
  const headers = gatewayHeaders(ctx.bystander.service);
  const items = allIssues().slice(-BYSTANDER_REQUESTS);
  const times: number[] = [];
  const inGateway: number[] = [];
  for (let i = 0; i < items.length; i += 1) {
    const { ms } = await timed(async () => {
      const res = await fetch(gateways[i % gateways.length].url, { method: "POST", headers, body: JSON.stringify({ query: issueQuery(items[i]) }) });
      const text = await res.text();
      if (!res.ok || text.includes('"errors"')) throw new Error(`bystander: HTTP ${res.status} ${text.slice(0, 300)}`);
      inGateway.push(gatewayTotal(res.headers.get("server-timing")));
    });
    times.push(ms);
  }
  const p50 = (xs: number[]) => round(percentile([...xs].sort((a, b) => a - b), 50));
  return { wall: p50(times), gateway: p50(inGateway) };
}

/** The bystander's look-ups straight to the emulator, one after another: p50. */
async function directP50(ctx: BenchContext): Promise<number> {
  const times: number[] = [];
  for (const item of allIssues().slice(-BYSTANDER_REQUESTS)) times.push((await timed(() => ctx.bystanderDirect(item))).ms);
  return round(percentile(times.sort((a, b) => a - b), 50));
}

/**
 * The other workspace's p50 alone, then while the first workspace's 200-request bursts follow each other
 * from a process of their own (bench/burst-load.ts); `withDirect`: the same straight to the emulator too.
 */
async function bystander(ctx: BenchContext, gateways: readonly BenchGateway[], withDirect = false): Promise<Bystander> {
  await bystanderP50(ctx, gateways); // warm: its key on each instance
  const alone = await bystanderP50(ctx, gateways);
  if (withDirect) await directP50(ctx); // warm: the direct client's connections
  const directAlone = withDirect ? await directP50(ctx) : undefined;
  const bodies = allIssues().slice(0, ctx.config.concurrentClients).map((item) => JSON.stringify({ query: issueQuery(item) }));
  const load = startChild("bursts", join(__dirname, "../burst-load.js"), {
    BURST_URLS: JSON.stringify(gateways.map((g) => g.url)),
    BURST_BODIES: JSON.stringify(bodies),
    BURST_TOKEN: ctx.callers.service,
  });
  try {
    await load.firstLine((line) => (line === "ready" ? true : undefined), 60_000);
    const during = await bystanderP50(ctx, gateways);
    const directDuring = withDirect ? await directP50(ctx) : undefined;
    const tally = load.firstLine((line) => (line.startsWith("{") ? (JSON.parse(line) as { bursts: number; failed: number }) : undefined), 60_000);
    void load.stop();
    const { bursts, failed } = await tally;
    if (failed > 0) throw new Error(`bystander: ${failed} of the bursts' requests failed`);
    return {
      requests: BYSTANDER_REQUESTS,
      aloneP50Ms: alone.wall,
      duringBurstsP50Ms: during.wall,
      gatewayAloneP50Ms: alone.gateway,
      gatewayDuringP50Ms: during.gateway,
      ratio: round(during.wall / alone.wall, 3),
      bursts,
      ...(directAlone !== undefined && directDuring !== undefined
        ? { direct: { aloneP50Ms: directAlone, duringBurstsP50Ms: directDuring, ratio: round(directDuring / directAlone, 3) } }
        : {}),
    };
  } finally {
    await load.stop();
  }
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
  const result: FleetSide = {
    upstreamRequests: figure((r) => r.upstreamRequests), points: figure((r) => r.points), peakInFlight: figure((r) => r.peakInFlight),
    p50Ms: figure((r) => r.p50Ms), p99Ms: figure((r) => r.p99Ms), rounds, bystander: await bystander(ctx, gateways),
  };
  ctx.log(`fleet ${name}: ${bodies.length} requests over ${gateways.length} -> ${result.upstreamRequests} upstream, ${result.points} pt, peak ${result.peakInFlight} in flight at GitHub, p50 ${result.p50Ms} p99 ${result.p99Ms} ms`);
  logBystander(ctx, name, result.bystander);
  return result;
}

function logBystander(ctx: BenchContext, name: string, b: Bystander): void {
  ctx.log(`fleet ${name}: another workspace's p50 ${b.aloneP50Ms} ms alone, ${b.duringBurstsP50Ms} ms during ${b.bursts} bursts (x${b.ratio}; in the gateways ${b.gatewayAloneP50Ms} -> ${b.gatewayDuringP50Ms} ms)`);
  if (b.direct) ctx.log(`fleet ${name}: the same straight to the emulator ${b.direct.aloneP50Ms} ms alone, ${b.direct.duringBurstsP50Ms} ms during (x${b.direct.ratio})`);
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
    // The bystander once more, on instances whose workspaces do not take turns (limits/fair-turns.ts).
    const noTurns = await fleetOf(ctx, "fleet-no-turns", { REDIS_URL: redis.url, WORKSPACE_TURNS: "off" });
    const withoutTurns = await bystander(ctx, noTurns);
    logBystander(ctx, "with Redis, WORKSPACE_TURNS=off", withoutTurns);
    for (const g of noTurns) await g.stop();
    // One instance takes a whole burst, not a third of it.
    const oneInstance = await bystander(ctx, [ctx.gateway], true);
    logBystander(ctx, "one instance", oneInstance);
    const single = await ctx.startGateway("single-no-turns", { WORKSPACE_TURNS: "off" });
    const oneInstanceWithoutTurns = await bystander(ctx, [single]);
    logBystander(ctx, "one instance, WORKSPACE_TURNS=off", oneInstanceWithoutTurns);
    await single.stop();
    return { instances: FLEET_SIZE, clientRequests: ctx.config.concurrentClients, withRedis, withoutRedis, withoutTurns, oneInstance, oneInstanceWithoutTurns };
  } finally {
    await redis.stop();
  }
}
