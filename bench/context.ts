import type { BenchConfig } from "./config";
import type { DirectClient } from "./direct";
import type { BenchEmulator, UpstreamWindow } from "./emulator";
import type { BenchGateway } from "./gateway";
import type { Callers } from "./gateway-client";
import { timed } from "./stats";

/** What every scenario gets from run.ts. */
export interface BenchContext {
  config: BenchConfig;
  emulator: BenchEmulator;
  /** The gateway as deployed: batching on, the default cross-request window. */
  gateway: BenchGateway;
  /** GITHUB_BATCHING=off: one upstream call per look-up. */
  unbatched: BenchGateway;
  /** Starts another gateway on the same database and emulator (stopped by the scenario). */
  startGateway(name: string, env: Record<string, string>): Promise<BenchGateway>;
  /** Starts a gateway on the same database in front of another emulator, with GitHub's secondary limits kept (case 8). */
  startGatewayOn(name: string, githubApiUrl: string): Promise<BenchGateway>;
  callers: Callers;
  /** A second workspace with a key of its own (case 7's bystander). */
  bystander: Callers;
  /** The bystander's key straight to GitHub (case 7's baseline beside it). */
  bystanderDirect: DirectClient;
  /** The tenant's GitHub key, known to the emulator. */
  key: string;
  direct: DirectClient;
  log(line: string): void;
}

/** Runs `work` in a fresh window of the emulator's record: its time, its value, what it cost upstream. */
export async function measured<T>(emulator: BenchEmulator, work: () => Promise<T>): Promise<{ ms: number; value: T; upstream: UpstreamWindow }> {
  await emulator.resetRequests();
  const usedBefore = await emulator.rateLimitUsed();
  const { ms, value } = await timed(work);
  const upstream = await emulator.window();
  if (upstream.failed > 0) throw new Error(`${upstream.failed} upstream requests were not answered 200`);
  // Two readings of the emulator's accounting: the recorded costs and the key's budget must agree.
  const used = (await emulator.rateLimitUsed()) - usedBefore;
  if (used !== upstream.points) throw new Error(`the recorded costs (${upstream.points}) and the budget used (${used}) disagree`);
  return { ms, value, upstream };
}

/** An upstream window split by GitHub's two budgets: GraphQL documents cost `points`, each REST request 1 of `core`. */
export interface SplitWindow extends UpstreamWindow {
  restRequests: number;
}

/**
 * `measured` for work that calls REST too (GitHub's MCP server's way): the GraphQL points must equal the change
 * of the graphql budget's `used`, and the REST requests recorded the change of core's.
 */
export async function measuredSplit<T>(emulator: BenchEmulator, work: () => Promise<T>): Promise<{ ms: number; value: T; upstream: SplitWindow }> {
  await emulator.resetRequests();
  const before = { graphql: await emulator.rateLimitUsed("graphql"), core: await emulator.rateLimitUsed("core") };
  const { ms, value } = await timed(work);
  const upstream = await emulator.window();
  if (upstream.failed > 0) throw new Error(`${upstream.failed} upstream requests were not answered 200`);
  const restRequests = await emulator.restRequests();
  const graphql = (await emulator.rateLimitUsed("graphql")) - before.graphql;
  const core = (await emulator.rateLimitUsed("core")) - before.core;
  if (graphql !== upstream.points) throw new Error(`the recorded costs (${upstream.points}) and the graphql budget used (${graphql}) disagree`);
  if (core !== restRequests) throw new Error(`the REST requests recorded (${restRequests}) and the core budget used (${core}) disagree`);
  return { ms, value, upstream: { ...upstream, restRequests } };
}
