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
  callers: Callers;
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
