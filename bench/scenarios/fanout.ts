import { measured, type BenchContext } from "../context";
import type { BenchGateway } from "../gateway";
import { githubOf, postGraphql } from "../gateway-client";
import { median, round } from "../stats";
import { fanoutItems, fanoutQuery, type Item } from "../world";

// Case 1: one gateway request for N issues and pull requests across the five repositories, against
// (a) the same gateway with batching off and (b) one direct @octokit/graphql call per look-up.

export interface FanoutFigures {
  upstreamRequests: number;
  points: number;
  p50Ms: number;
  minMs: number;
  maxMs: number;
  /** Every repetition's time, in order. */
  runsMs: number[];
}

export interface FanoutRow {
  n: number;
  gateway: FanoutFigures;
  unbatched: FanoutFigures;
  direct: FanoutFigures;
}

interface Run {
  ms: number;
  upstreamRequests: number;
  points: number;
}

function summarise(runs: readonly Run[]): FanoutFigures {
  const times = runs.map((r) => r.ms);
  return {
    upstreamRequests: median(runs.map((r) => r.upstreamRequests)),
    points: median(runs.map((r) => r.points)),
    p50Ms: round(median(times)),
    minMs: round(Math.min(...times)),
    maxMs: round(Math.max(...times)),
    runsMs: times.map((t) => round(t)),
  };
}

function checkAnswer(github: Record<string, unknown>, items: readonly Item[]): void {
  items.forEach((item, i) => {
    const value = github[`a${i}`] as { number?: number } | null | undefined;
    if (value?.number !== item.number) throw new Error(`fan-out: a${i} (${item.repo}#${item.number}) came back as ${JSON.stringify(value)}`);
  });
}

async function repeat(ctx: BenchContext, once: () => Promise<void>): Promise<FanoutFigures> {
  await once(); // warm: connections, the key's cache, the JIT
  const runs: Run[] = [];
  for (let r = 0; r < ctx.config.repeats; r += 1) {
    const { ms, upstream } = await measured(ctx.emulator, once);
    runs.push({ ms, upstreamRequests: upstream.requests, points: upstream.points });
  }
  return summarise(runs);
}

const throughGateway = (ctx: BenchContext, gateway: BenchGateway, items: readonly Item[]) => async () => {
  checkAnswer(githubOf(await postGraphql(gateway.url, ctx.callers.service, fanoutQuery(items))), items);
};

export async function runFanout(ctx: BenchContext): Promise<FanoutRow[]> {
  const rows: FanoutRow[] = [];
  for (const n of ctx.config.fanoutSizes) {
    const items = fanoutItems(n);
    const gateway = await repeat(ctx, throughGateway(ctx, ctx.gateway, items));
    const unbatched = await repeat(ctx, throughGateway(ctx, ctx.unbatched, items));
    const direct = await repeat(ctx, async () => {
      await Promise.all(items.map((item) => ctx.direct(item)));
    });
    rows.push({ n, gateway, unbatched, direct });
    ctx.log(
      `fan-out N=${n}: gateway ${gateway.upstreamRequests} req / ${gateway.points} pt / ${gateway.p50Ms} ms; ` +
        `unbatched ${unbatched.upstreamRequests} / ${unbatched.points} / ${unbatched.p50Ms} ms; direct ${direct.upstreamRequests} / ${direct.points} / ${direct.p50Ms} ms`,
    );
  }
  return rows;
}
