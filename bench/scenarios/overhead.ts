import { measured, type BenchContext } from "../context";
import { directIssueRequest } from "../direct";
import { gatewayHeaders } from "../gateway-client";
import { assertClean, load, type LoadResult } from "../load";
import { cpuMs } from "../processes";
import { median, round, timed } from "../stats";
import { allIssues, issueQuery } from "../world";

// Case 2: one issue look-up through the gateway against the same look-up sent straight to the
// emulator, at 1 and 50 clients and at saturation; the gateway's CPU time per request.

export interface LoadFigures {
  connections: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

export interface OverheadResult {
  p50Ratio: number;
  p99Ratio: number;
  p50Ratio50: number;
  p99Ratio50: number;
  throughputRps: number;
  directThroughputRps: number;
  /** The gateway's utime + stime per request at saturation. */
  cpuMsPerRequest: number;
  cpuMsPerRequestAt1: number;
  cpuMsPerRequestAt50: number;
  /** Upstream requests per client request at 50 clients (cross-request batching). */
  upstreamPerRequestAt50: number;
  /**
   * Upstream GraphQL requests a minute at the measured rates, each 1 point of GitHub's secondary limit of
   * 2,000 a minute per user (a direct look-up is one request): the emulator here has that limit off
   * (bench/emulator.ts), real GitHub refuses past it.
   */
  upstreamPerMinute: { gatewayAt50: number; gatewayAtSaturation: number; directAt50: number; directAtSaturation: number };
  /** p50 of sequential @octokit/graphql calls from the bench process, beside autocannon's direct figure. */
  directOctokitP50Ms: number;
  /** Where a look-up's milliseconds go at one client: medians of the gateway's Server-Timing stages. */
  timelineAt1: Timeline;
  gateway: { at1: LoadFigures; at50: LoadFigures; saturation: LoadFigures };
  direct: { at1: LoadFigures; at50: LoadFigures; saturation: LoadFigures };
}

/** Medians over sequential requests, in ms. */
export interface Timeline {
  requests: number;
  /** As the bench process saw the gateway's answer (fetch, kept-alive connection). */
  clientMs: number;
  /** The gateway's own report, arrival to answer, and its stages (request-timing.ts). */
  totalMs: number;
  bodyMs: number;
  authMs: number;
  keyMs: number;
  githubMs: number;
  /** total - (body + auth + key + github): Apollo's parse, validation and execution, the resolvers, the answer. */
  ownMs: number;
  /** client - total: the hop from the caller to the gateway and back, and Node's HTTP on both ends. */
  hopMs: number;
  /** The same look-up straight to the emulator (@octokit/graphql), for the github stage to be read against. */
  directMs: number;
}

/** Sequential one-issue look-ups through the gateway, each answer's Server-Timing read. */
async function timeline(ctx: BenchContext, bodies: readonly string[], directMs: number, requests = 300): Promise<Timeline> {
  const rows: Record<string, number>[] = [];
  for (let i = 0; i < requests; i += 1) {
    const from = performance.now();
    const res = await fetch(ctx.gateway.url, { method: "POST", headers: gatewayHeaders(ctx.callers.service), body: bodies[i % bodies.length] });
    await res.arrayBuffer();
    const client = performance.now() - from;
    const stages = Object.fromEntries((res.headers.get("server-timing") ?? "").split(", ").map((e) => e.split(";dur=")).map(([k, v]) => [k, Number(v)]));
    rows.push({ ...stages, client });
  }
  const m = (pick: (r: Record<string, number>) => number) => round(median(rows.map(pick)), 3);
  return {
    requests,
    clientMs: m((r) => r.client),
    totalMs: m((r) => r.total),
    bodyMs: m((r) => r.body),
    authMs: m((r) => r.auth),
    keyMs: m((r) => r.key),
    githubMs: m((r) => r.github),
    ownMs: m((r) => r.total - r.body - r.auth - r.key - r.github),
    hopMs: m((r) => r.client - r.total),
    directMs: round(directMs, 3),
  };
}

const figures = (connections: number, r: LoadResult): LoadFigures => ({ connections, requests: r.requests, rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms });

export async function runOverhead(ctx: BenchContext): Promise<OverheadResult> {
  const items = allIssues();
  const gatewayBodies = items.map((item) => JSON.stringify({ query: issueQuery(item) }));
  const directHeaders = directIssueRequest(ctx.key, items[0]).headers;
  const directBodies = items.map((item) => directIssueRequest(ctx.key, item).body);
  const seconds = ctx.config.loadSeconds;
  const pid = ctx.gateway.pid;

  const onGateway = async (connections: number, duration = seconds) => {
    const before = cpuMs(pid);
    const { value, upstream } = await measured(ctx.emulator, () =>
      load({ url: ctx.gateway.url, headers: gatewayHeaders(ctx.callers.service), bodies: gatewayBodies, connections, seconds: duration }),
    );
    assertClean(`gateway at ${connections}`, value);
    return { result: value, cpuPerRequest: (cpuMs(pid) - before) / value.requests, upstreamPerRequest: upstream.requests / value.requests };
  };
  const onDirect = async (connections: number, duration = seconds) => {
    const { value } = await measured(ctx.emulator, () => load({ url: `${ctx.emulator.url}/graphql`, headers: directHeaders, bodies: directBodies, connections, seconds: duration }));
    assertClean(`direct at ${connections}`, value);
    return value;
  };

  await onGateway(10, 2); // warm-up
  await onDirect(10, 2);
  const octokit: number[] = [];
  for (let i = 0; i < 100; i += 1) octokit.push((await timed(() => ctx.direct(items[i % items.length]))).ms);

  const timelineAt1 = await timeline(ctx, gatewayBodies, median(octokit));
  const g1 = await onGateway(1);
  const d1 = await onDirect(1);
  const g50 = await onGateway(50);
  const d50 = await onDirect(50);
  const saturation = ctx.config.saturationConnections;
  const gs = await onGateway(saturation);
  const ds = await onDirect(saturation);

  const result: OverheadResult = {
    p50Ratio: round(g1.result.p50Ms / d1.p50Ms, 3),
    p99Ratio: round(g1.result.p99Ms / d1.p99Ms, 3),
    p50Ratio50: round(g50.result.p50Ms / d50.p50Ms, 3),
    p99Ratio50: round(g50.result.p99Ms / d50.p99Ms, 3),
    throughputRps: gs.result.rps,
    directThroughputRps: ds.rps,
    cpuMsPerRequest: round(gs.cpuPerRequest, 3),
    cpuMsPerRequestAt1: round(g1.cpuPerRequest, 3),
    cpuMsPerRequestAt50: round(g50.cpuPerRequest, 3),
    upstreamPerRequestAt50: round(g50.upstreamPerRequest, 3),
    upstreamPerMinute: {
      gatewayAt50: Math.round(g50.upstreamPerRequest * g50.result.rps * 60),
      gatewayAtSaturation: Math.round(gs.upstreamPerRequest * gs.result.rps * 60),
      directAt50: Math.round(d50.rps * 60),
      directAtSaturation: Math.round(ds.rps * 60),
    },
    directOctokitP50Ms: round(median(octokit)),
    timelineAt1,
    gateway: { at1: figures(1, g1.result), at50: figures(50, g50.result), saturation: figures(saturation, gs.result) },
    direct: { at1: figures(1, d1), at50: figures(50, d50), saturation: figures(saturation, ds) },
  };
  ctx.log(
    `overhead: p50 ${g1.result.p50Ms}/${d1.p50Ms} ms (x${result.p50Ratio}), p99 x${result.p99Ratio}; at 50: p50 x${result.p50Ratio50}, p99 x${result.p99Ratio50}; ` +
      `throughput ${result.throughputRps} vs ${result.directThroughputRps} rps; CPU ${result.cpuMsPerRequest} ms/request`,
  );
  const t = timelineAt1;
  ctx.log(
    `timeline at 1 client (medians of ${t.requests}, ms): client ${t.clientMs} = hop ${t.hopMs} + gateway ${t.totalMs} ` +
      `(body ${t.bodyMs}, auth ${t.authMs}, key ${t.keyMs}, github ${t.githubMs} vs direct ${t.directMs}, own ${t.ownMs})`,
  );
  return result;
}
