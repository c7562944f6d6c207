import type { BenchContext } from "../context";
import { directIssueRequest } from "../direct";
import { startEmulator, type BenchEmulator } from "../emulator";
import type { BenchGateway } from "../gateway";
import { gatewayHeaders } from "../gateway-client";
import { load, type LoadResult } from "../load";
import { round } from "../stats";
import { allIssues, BOT_LOGIN, issueQuery } from "../world";

// Case 8: the direct baselines of cases 2 and 3 as GitHub itself would answer them. The other cases'
// emulator has GitHub's secondary limits off, or their direct side could not be measured at all; here two
// emulators keep them (per user: 100 requests in flight, 2,000 GraphQL points a minute; github-emulator/
// secondary-limits.ts cites GitHub's docs) and GitHub's 5,000 points an hour for a personal access token.
// One answers direct calls, the other a gateway with its default pacing: the same key, a budget each.

/** GitHub's primary limit for a user's personal access token ("Rate limits for the GraphQL API"). */
const PAT_POINTS_PER_HOUR = 5000;
const WARM_REQUESTS = 20;

export interface LimitedSide {
  /** Client requests sent. */
  sent: number;
  /** Answered with data and no GraphQL errors. */
  answered: number;
  /** Not answered so: GitHub's 403 secondary-limit answers on the direct side; the gateway's errors on its side. */
  refused: number;
  answeredP50Ms: number;
  answeredPerSecond: number;
  /** Requests that reached the emulator, and how many of them it refused. */
  upstreamRequests: number;
  upstreamRefused: number;
}

export interface GithubLimitsResult {
  concurrent: { clients: number; direct: LimitedSide; gateway: LimitedSide };
  clients50: { seconds: number; direct: LimitedSide; gateway: LimitedSide };
}

const side = (r: LoadResult, upstream: { requests: number; failed: number }): LimitedSide => ({
  sent: r.requests,
  answered: r.answered,
  refused: r.requests - r.answered,
  answeredP50Ms: r.answeredP50Ms,
  answeredPerSecond: round(r.answered / r.seconds, 1),
  upstreamRequests: upstream.requests,
  upstreamRefused: upstream.failed,
});

export async function runGithubLimits(ctx: BenchContext): Promise<GithubLimitsResult> {
  const limited = (name: string) =>
    startEmulator({ name, latencyMs: ctx.config.upstreamLatencyMs, key: ctx.key, login: BOT_LOGIN, rateLimitPerHour: PAT_POINTS_PER_HOUR, port: 0, githubLimits: true });
  const started: Array<BenchEmulator | BenchGateway> = [];
  const begin = async <T extends BenchEmulator | BenchGateway>(p: Promise<T>) => {
    const child = await p;
    started.push(child);
    return child;
  };
  try {
    // A direct side each, so that neither run starts with points the other spent in the sliding minute.
    const burstDirect = await begin(limited("github-limited-direct-burst"));
    const loadDirect = await begin(limited("github-limited-direct-load"));
    const forGateway = await begin(limited("github-limited-gateway"));
    const gateway = await begin(ctx.startGatewayOn("gateway-github-limits", forGateway.url));

    const items = allIssues();
    const direct = (emulator: BenchEmulator) => ({ url: `${emulator.url}/graphql`, headers: directIssueRequest(ctx.key, items[0]).headers, bodies: items.map((i) => directIssueRequest(ctx.key, i).body) });
    const viaGateway = { url: gateway.url, headers: gatewayHeaders(ctx.callers.service), bodies: items.map((i) => JSON.stringify({ query: issueQuery(i) })) };
    const run = async (emulator: BenchEmulator, connections: number, o: { amount?: number; seconds?: number }, through?: typeof viaGateway) => {
      await emulator.resetRequests();
      const result = await load({ ...(through ?? direct(emulator)), connections, ...o });
      return side(result, await emulator.window());
    };
    const clients = ctx.config.concurrentClients;
    // Warm the new processes: 20 look-ups each (20 of a direct side's 2,000 points), and the gateway the
    // burst once, as case 3 does (its documents parsed once; a handful of upstream requests).
    for (const emulator of [burstDirect, loadDirect]) await run(emulator, 1, { amount: WARM_REQUESTS });
    await run(forGateway, 1, { amount: WARM_REQUESTS }, viaGateway);
    await run(forGateway, clients, { amount: clients }, viaGateway);

    const concurrent = { clients, direct: await run(burstDirect, clients, { amount: clients }), gateway: await run(forGateway, clients, { amount: clients }, viaGateway) };
    const seconds = ctx.config.loadSeconds;
    const clients50 = { seconds, direct: await run(loadDirect, 50, { seconds }), gateway: await run(forGateway, 50, { seconds }, viaGateway) };

    const say = (s: LimitedSide) => `${s.answered}/${s.sent} answered (p50 ${s.answeredP50Ms} ms, ${s.upstreamRequests} upstream)`;
    ctx.log(`as GitHub limits a key: ${clients} at once: direct ${say(concurrent.direct)}, gateway ${say(concurrent.gateway)}`);
    ctx.log(`as GitHub limits a key: 50 clients for ${seconds} s: direct ${say(clients50.direct)}, gateway ${say(clients50.gateway)}`);
    return { concurrent, clients50 };
  } finally {
    for (const child of started.reverse()) await child.stop().catch(() => undefined);
  }
}
