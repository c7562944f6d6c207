import type { BenchContext } from "../context";
import type { BenchGateway } from "../gateway";
import { githubOf, postGraphql } from "../gateway-client";
import { round, timed } from "../stats";
import { allIssues, fanoutItems, fanoutQuery, issueQuery, type Item } from "../world";

// Before the cases: each side's first request, timed alone (the cold figures), then enough work through
// every gateway the cases measure and straight to GitHub to warm connections, caches and the JIT, so the
// first case (fan-out N = 1) reads a warm gateway beside a warm direct client.

/** Requests per side in the warm-up: 20 at a time, single look-ups and fan-outs of 10 alternating. */
const WARM_REQUESTS = 1_000;
const AT_ONCE = 20;

export interface ColdFigures {
  /** The first single-issue request through the freshly started gateway, ms. */
  gatewayFirstMs: number;
  /** The first direct @octokit/graphql call of the run, ms. */
  directFirstMs: number;
  /** Requests each side made before the cases. */
  warmRequests: number;
}

async function inTurns(total: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: AT_ONCE }, async () => {
    while (next < total) await one(next++);
  }));
}

const throughGateway = (ctx: BenchContext, gateway: BenchGateway, issues: Item[]) => async (i: number) => {
  const items = i % 2 === 0 ? [issues[i % issues.length]] : fanoutItems(10);
  const query = items.length === 1 ? issueQuery(items[0]) : fanoutQuery(items);
  githubOf(await postGraphql(gateway.url, ctx.callers.service, query));
};

export async function warmUp(ctx: BenchContext): Promise<ColdFigures> {
  const issues = allIssues();
  const gatewayFirstMs = round((await timed(() => throughGateway(ctx, ctx.gateway, issues)(0))).ms);
  const directFirstMs = round((await timed(() => ctx.direct(issues[1]))).ms);
  for (const gateway of [ctx.gateway, ctx.unbatched]) await inTurns(WARM_REQUESTS, throughGateway(ctx, gateway, issues));
  await inTurns(WARM_REQUESTS, (i) => ctx.direct(issues[i % issues.length]));
  ctx.log(`cold: first gateway request ${gatewayFirstMs} ms, first direct call ${directFirstMs} ms; then ${WARM_REQUESTS} requests each through both gateways and direct`);
  return { gatewayFirstMs, directFirstMs, warmRequests: WARM_REQUESTS };
}
