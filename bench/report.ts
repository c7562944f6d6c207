import { cpus, release, totalmem } from "node:os";
import type { ConcurrentResult } from "./scenarios/concurrent";
import type { FanoutRow } from "./scenarios/fanout";
import type { MemoryResult } from "./scenarios/memory";
import type { OverheadResult } from "./scenarios/overhead";
import type { ThreadFigures } from "./scenarios/thread";
import { round } from "./stats";
import { fanoutItems, formulaPoints } from "./world";

// bench/results/latest.json and latest.md: the figures, the machine, and each target met or missed.

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
}

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
  /** How far from the target, when missed. */
  missedBy?: string;
}

export interface BenchResults {
  upstreamLatencyMs: number;
  date: string;
  command: string;
  runSeconds: number;
  machine: Machine;
  /** The key's user's rate-limit \`used\` over the cases, as the emulator's /_emulator/rate-limit reports it. */
  rateLimitUsedDuringRun: number;
  fanout: FanoutRow[];
  overhead: OverheadResult;
  concurrent: ConcurrentResult;
  thread: ThreadFigures;
  memory: MemoryResult;
  targets: TargetCheck[];
}

export function machine(): Machine {
  const list = cpus();
  return { nproc: list.length, cpuModel: list[0]?.model ?? "unknown", memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, kernel: release() };
}

const pct = (actual: number, target: number) => `${round(((actual - target) / target) * 100, 1)}%`;

export function checkTargets(r: Omit<BenchResults, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const n100 = r.fanout.find((row) => row.n === 100);
  if (n100) {
    const { upstreamRequests: req, points } = n100.gateway;
    // GitHub's formula, not a hope: 50 pull requests with their review data are 200 connection requests, 2 points.
    const expected = formulaPoints(fanoutItems(100));
    const met = req <= 2 && points <= expected;
    checks.push({
      name: "fan-out N = 100",
      target: `<= 2 upstream requests and GitHub's formula for them, ${expected} points (baselines 100 and 100)`,
      actual: `${req} requests, ${points} points (unbatched ${n100.unbatched.upstreamRequests}/${n100.unbatched.points}, direct ${n100.direct.upstreamRequests}/${n100.direct.points})`,
      met,
      ...(met ? {} : { missedBy: `${Math.max(0, req - 2)} requests and ${Math.max(0, points - expected)} points over` }),
    });
  }
  const ratio = r.overhead.p50Ratio;
  checks.push({
    name: "single look-up p50, gateway / direct, 1 client",
    target: "<= 1.15x",
    actual: `${ratio}x (${r.overhead.gateway.at1.p50Ms} vs ${r.overhead.direct.at1.p50Ms} ms)`,
    met: ratio <= 1.15,
    ...(ratio <= 1.15 ? {} : { missedBy: `${round(ratio - 1.15, 3)}x over (${pct(ratio, 1.15)})` }),
  });
  const c = r.concurrent;
  checks.push({
    name: `${c.clientRequests} concurrent client requests`,
    target: "<= 10 upstream requests",
    actual: `${c.upstreamRequests} upstream requests (window 0: ${c.windowZero.upstreamRequests})`,
    met: c.upstreamRequests <= 10,
    ...(c.upstreamRequests <= 10 ? {} : { missedBy: `${c.upstreamRequests - 10} requests over (${pct(c.upstreamRequests, 10)})` }),
  });
  const growth = r.memory.growthRatio;
  checks.push({
    name: `memory after ${r.memory.requests} requests vs warm-up`,
    target: "within 10% (growthRatio <= 1.10)",
    actual: `${growth}x (${r.memory.warmRssMiB} -> ${r.memory.afterRssMiB} MiB)`,
    met: growth <= 1.1,
    ...(growth <= 1.1 ? {} : { missedBy: `${round((growth - 1.1) * 100, 1)} points of growth over` }),
  });
  return checks;
}

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

export function markdown(r: BenchResults): string {
  const o = r.overhead;
  const lines = [
    `Run ${r.date}, \`${r.command}\`, ${r.runSeconds} s; upstream latency ${r.upstreamLatencyMs} ms; ` +
      `${r.machine.nproc} x ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}.`,
    "",
    "Fan-out (one request for N items; median of the repetitions): upstream requests / points / p50 ms",
    "",
    row(["N", "gateway", "unbatched (GITHUB_BATCHING=off)", "direct (@octokit/graphql)"]),
    row(["---:", "---", "---", "---"]),
    ...r.fanout.map((f) =>
      row([f.n, ...[f.gateway, f.unbatched, f.direct].map((x) => `${x.upstreamRequests} / ${x.points} / ${x.p50Ms}`)]),
    ),
    "",
    "Single issue look-up (autocannon):",
    "",
    row(["clients", "gateway p50 / p99 ms", "direct p50 / p99 ms", "p50 ratio", "p99 ratio", "gateway rps", "direct rps"]),
    row(["---:", "---", "---", "---:", "---:", "---:", "---:"]),
    row([1, `${o.gateway.at1.p50Ms} / ${o.gateway.at1.p99Ms}`, `${o.direct.at1.p50Ms} / ${o.direct.at1.p99Ms}`, o.p50Ratio, o.p99Ratio, o.gateway.at1.rps, o.direct.at1.rps]),
    row([50, `${o.gateway.at50.p50Ms} / ${o.gateway.at50.p99Ms}`, `${o.direct.at50.p50Ms} / ${o.direct.at50.p99Ms}`, o.p50Ratio50, o.p99Ratio50, o.gateway.at50.rps, o.direct.at50.rps]),
    row([
      `${o.gateway.saturation.connections} (saturation)`, `${o.gateway.saturation.p50Ms} / ${o.gateway.saturation.p99Ms}`,
      `${o.direct.saturation.p50Ms} / ${o.direct.saturation.p99Ms}`, "", "", o.throughputRps, o.directThroughputRps,
    ]),
    "",
    `Gateway CPU per request: ${o.cpuMsPerRequest} ms at saturation (${o.cpuMsPerRequestAt50} at 50 clients, ${o.cpuMsPerRequestAt1} at 1); ` +
      `${o.upstreamPerRequestAt50} upstream requests per client request at 50 clients; sequential @octokit/graphql p50 ${o.directOctokitP50Ms} ms.`,
    "",
    row(["case", "upstream requests", "points", "p50 ms", "p99 ms"]),
    row(["---", "---:", "---:", "---:", "---:"]),
    row([`${r.concurrent.clientRequests} concurrent requests, default window`, r.concurrent.upstreamRequests, r.concurrent.points, r.concurrent.p50Ms, r.concurrent.p99Ms]),
    row([`${r.concurrent.clientRequests} concurrent requests, GITHUB_BATCH_WINDOW_MS=0`, r.concurrent.windowZero.upstreamRequests, r.concurrent.windowZero.points, r.concurrent.windowZero.p50Ms, r.concurrent.windowZero.p99Ms]),
    row([`issueThread, ${r.thread.comments} comments`, r.thread.upstreamRequests, r.thread.points, r.thread.ms, ""]),
    "",
    `Memory: VmRSS ${r.memory.warmRssMiB} MiB after ${r.memory.warmupRequests} requests, ${r.memory.afterRssMiB} MiB after ${r.memory.requests} more ` +
      `(growthRatio ${r.memory.growthRatio}); ${r.memory.rps} rps at ${r.memory.connections} connections, ${r.memory.upstreamRequests} upstream requests. ` +
      `VmRSS during the run (s: MiB): ${r.memory.timeline.map((t) => `${t.seconds}: ${t.rssMiB}`).join(", ")}; ` +
      `from a quarter of the run to its end x${r.memory.lateGrowthRatio ?? "n/a"}.`,
    "",
    row(["target", "wanted", "measured", "met"]),
    row(["---", "---", "---", "---"]),
    ...r.targets.map((t) => row([t.name, t.target, t.actual, t.met ? "yes" : `no, ${t.missedBy ?? ""}`])),
    "",
  ];
  return lines.join("\n");
}
