import { cpus, release, totalmem } from "node:os";
import { FULL, type BenchMethod } from "./config";
import type { ConcurrentResult } from "./scenarios/concurrent";
import type { FanoutRow } from "./scenarios/fanout";
import { BYSTANDER_TOLERANCE, type FleetResult, type FleetSide } from "./scenarios/fleet";
import type { GithubLimitsResult, LimitedSide } from "./scenarios/github-limits";
import type { McpResult, McpSide } from "./scenarios/mcp";
import type { ColdFigures } from "./scenarios/warm-up";
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
  /** null: not judged, because this run measured the case with less than the target needs. */
  met: boolean | null;
  /** How far from the target, when missed. */
  missedBy?: string;
  /** Why the target was not judged: the settings it needs, beside this run's. */
  notJudged?: string;
}

export interface BenchResults {
  upstreamLatencyMs: number;
  date: string;
  command: string;
  /** --quick or settings other than the full run's: written apart from the committed results. */
  trial: boolean;
  /** The measuring settings that differ from the full run's. */
  overrides: string[];
  runSeconds: number;
  machine: Machine;
  /** The machine's 1-minute load average at the start and the end: the bench shares the cores with whatever else runs. */
  loadAverage1: { start: number; end: number };
  /** The key's user's rate-limit \`used\` over the cases, as the emulator's /_emulator/rate-limit reports it. */
  rateLimitUsedDuringRun: number;
  fanout: FanoutRow[];
  overhead: OverheadResult;
  concurrent: ConcurrentResult;
  thread: ThreadFigures;
  memory: MemoryResult;
  mcp: McpResult;
  /** Case 7: three instances, with their limits shared through Redis and without. */
  fleet: FleetResult;
  /** Case 8: the direct baselines of cases 2 and 3 against GitHub's own limits, beside a gateway. */
  githubLimits: GithubLimitsResult;
  /** The first request of each side, before the warm-up that precedes the cases. */
  cold: ColdFigures;
  targets: TargetCheck[];
}

export function machine(): Machine {
  const list = cpus();
  return { nproc: list.length, cpuModel: list[0]?.model ?? "unknown", memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, kernel: release() };
}

const pct = (actual: number, target: number) => `${round(((actual - target) / target) * 100, 1)}%`;

/**
 * Each target is stated for the full method (bench/README.md); a case run with less than that (a
 * --quick run, or a setting turned down) still reports its figure, but the target is "not judged":
 * a 2 s ratio or a 5,000-request memory reading would pass or fail by noise, not by the gateway.
 */
function needs(config: BenchMethod, wanted: Array<[env: string, ok: (c: BenchMethod) => boolean, need: string, has: (c: BenchMethod) => string]>) {
  const short = wanted.filter(([, ok]) => !ok(config)).map(([env, , need, has]) => `${env} ${need} (this run: ${has(config)})`);
  return short.length ? { met: null, notJudged: `needs ${short.join(", ")}` } : undefined;
}

const latency30 = ["BENCH_UPSTREAM_LATENCY_MS", (c: BenchMethod) => c.upstreamLatencyMs === FULL.upstreamLatencyMs, `= ${FULL.upstreamLatencyMs}`, (c: BenchMethod) => String(c.upstreamLatencyMs)] as const;

export function checkTargets(r: Omit<BenchResults, "targets">, config: BenchMethod): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const n100 = r.fanout.find((row) => row.n === 100);
  // GitHub's formula, not a hope: 50 pull requests with their review data are 200 connection requests, 2 points.
  const expected = formulaPoints(fanoutItems(100));
  const fanoutTarget = `<= 2 upstream requests and GitHub's formula for them, ${expected} points (baselines 100 and 100)`;
  if (n100) {
    const { upstreamRequests: req, points } = n100.gateway;
    const met = req <= 2 && points <= expected;
    checks.push({
      name: "fan-out N = 100",
      target: fanoutTarget,
      actual: `${req} requests, ${points} points (unbatched ${n100.unbatched.upstreamRequests}/${n100.unbatched.points}, direct ${n100.direct.upstreamRequests}/${n100.direct.points})`,
      met,
      ...(met ? {} : { missedBy: `${Math.max(0, req - 2)} requests and ${Math.max(0, points - expected)} points over` }),
    });
  } else {
    checks.push({ name: "fan-out N = 100", target: fanoutTarget, actual: "not measured", met: null, notJudged: `needs 100 in BENCH_FANOUT_SIZES (this run: ${config.fanoutSizes.join(",")})` });
  }
  // Issue 15's targets: the gateway's own cost per request against the direct call, both doors.
  const o = r.overhead;
  const loadNeeds = () => needs(config, [["BENCH_SECONDS", (x) => x.loadSeconds >= FULL.loadSeconds, `>= ${FULL.loadSeconds}`, (x) => String(x.loadSeconds)], [...latency30]]);
  const atMost = (name: string, actual: number, max: number, shown: string, unit = "x") => ({
    name, target: `<= ${max}${unit}`, actual: `${actual}${unit} (${shown})`, met: actual <= max,
    ...(actual <= max ? {} : { missedBy: `${round(actual - max, 3)}${unit} over (${pct(actual, max)})` }),
  });
  checks.push({ ...atMost("single look-up p50, gateway / direct, 1 client", o.p50Ratio, 1.1, `${o.gateway.at1.p50Ms} vs ${o.direct.at1.p50Ms} ms`), ...loadNeeds() });
  checks.push({ ...atMost("single look-up p99, gateway / direct, 1 client", o.p99Ratio, 1.3, `${o.gateway.at1.p99Ms} vs ${o.direct.at1.p99Ms} ms`), ...loadNeeds() });
  checks.push({ ...atMost("single look-up p50, gateway / direct, 50 clients", o.p50Ratio50, 1.1, `${o.gateway.at50.p50Ms} vs ${o.direct.at50.p50Ms} ms`), ...loadNeeds() });
  const throughput = round(o.throughputRps / o.directThroughputRps, 3);
  checks.push({
    name: "throughput at saturation, gateway / direct", target: ">= 1.2x", actual: `${throughput}x (${o.throughputRps} vs ${o.directThroughputRps} rps)`, met: throughput >= 1.2,
    ...(throughput >= 1.2 ? {} : { missedBy: `${round(1.2 - throughput, 3)}x short (${pct(throughput, 1.2)})` }), ...loadNeeds(),
  });
  checks.push({ ...atMost("gateway CPU per request at saturation", o.cpuMsPerRequest, 0.4, `${o.cpuMsPerRequestAt50} at 50 clients`, " ms"), ...loadNeeds() });
  const c = r.concurrent;
  const folded = c.upstreamRequests <= 4 && c.p50Ms <= c.direct.p50Ms;
  checks.push({
    name: `${c.clientRequests} concurrent client requests`,
    target: `<= 4 upstream requests, p50 <= ${c.clientRequests} direct calls' p50`,
    actual: `${c.upstreamRequests} upstream requests (window 0: ${c.windowZero.upstreamRequests}), p50 ${c.p50Ms} vs direct ${c.direct.p50Ms} ms`,
    met: folded,
    ...(folded ? {} : { missedBy: [c.upstreamRequests > 4 ? `${c.upstreamRequests - 4} requests over` : "", c.p50Ms > c.direct.p50Ms ? `p50 x${round(c.p50Ms / c.direct.p50Ms, 3)} of direct` : ""].filter(Boolean).join(", ") }),
    ...needs(config, [
      ["BENCH_CONCURRENT_CLIENTS", (x) => x.concurrentClients === FULL.concurrentClients, `= ${FULL.concurrentClients}`, (x) => String(x.concurrentClients)],
      ["BENCH_CONCURRENT_ROUNDS", (x) => x.concurrentRounds >= FULL.concurrentRounds, `>= ${FULL.concurrentRounds}`, (x) => String(x.concurrentRounds)],
      [...latency30],
    ]),
  });
  const growth = r.memory.growthRatio;
  checks.push({
    ...atMost(`memory after ${r.memory.requests} requests vs warm-up`, growth, 1.05, `${r.memory.warmRssMiB} -> ${r.memory.afterRssMiB} MiB`),
    ...needs(config, [
      ["BENCH_MEMORY_WARMUP", (x) => x.memoryWarmupRequests >= FULL.memoryWarmupRequests, `>= ${FULL.memoryWarmupRequests}`, (x) => String(x.memoryWarmupRequests)],
      ["BENCH_MEMORY_REQUESTS", (x) => x.memoryRequests >= FULL.memoryRequests, `>= ${FULL.memoryRequests}`, (x) => String(x.memoryRequests)],
    ]),
  });
  return checks;
}

const verdict = (t: TargetCheck) => (t.met === null ? `not judged: ${t.notJudged ?? ""}` : t.met ? "yes" : `no, ${t.missedBy ?? ""}`);

/** One line per target for the end of the run: judged ones first, then what this run could not judge and why. */
export function targetSummary(targets: readonly TargetCheck[], r: Pick<BenchResults, "loadAverage1" | "machine">): string[] {
  const judged = targets.filter((t) => t.met !== null);
  const notJudged = targets.filter((t) => t.met === null);
  const lines = [`Targets: ${judged.length} judged (${judged.filter((t) => t.met).length} met), ${notJudged.length} not judged.`];
  for (const t of judged) lines.push(`  judged      ${t.name}: ${t.met ? "met" : `MISSED, ${t.missedBy ?? ""}`} (${t.actual})`);
  for (const t of notJudged) lines.push(`  not judged  ${t.name}: ${t.notJudged ?? ""}; measured ${t.actual}, shown only`);
  const load = Math.max(r.loadAverage1.start, r.loadAverage1.end);
  if (load > r.machine.nproc) {
    lines.push(`  note: the machine's load average reached ${load} on ${r.machine.nproc} cores (busy with more than this run): latency, CPU and the 200-client count may be the machine's; rerun on a quiet machine before reading a miss as the gateway's`);
  }
  return lines;
}

const row = (cells: Array<string | number>) => `| ${cells.join(" | ")} |`;

/** Case 7: the two fleets, one row each. */
function fleetTable(f: FleetResult): string[] {
  const line = (how: string, x: FleetSide) => row([how, x.upstreamRequests, x.points, x.peakInFlight, x.p50Ms, x.p99Ms, x.rounds.map((r) => r.peakInFlight).join(", ")]);
  return [
    `${f.clientRequests} concurrent requests of one workspace, round-robin over ${f.instances} instances on one PostgreSQL; median of the rounds; peak: the most of the key's requests in flight at GitHub at once (the emulator's count):`,
    "",
    row(["limits", "upstream requests", "points", "peak in flight", "p50 ms", "p99 ms", "peak per round"]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
    line("shared through Redis (REDIS_URL)", f.withRedis),
    line("each instance its own", f.withoutRedis),
    "",
    `Another workspace's ${f.withRedis.bystander.requests} single look-ups, one after another over the same instances (round-robin), p50 alone and while the first workspace's bursts follow each other (sent from a process of their own); the gateways' part of each p50 is their Server-Timing total:`,
    "",
    row(["instances and limits", "alone ms", "during bursts ms", "ratio", "in the gateways, alone -> during ms", "bursts", `within x${BYSTANDER_TOLERANCE}`]),
    row(["---", "---:", "---:", "---:", "---:", "---:", "---"]),
    ...([
      ["shared through Redis (REDIS_URL)", f.withRedis.bystander],
      ["each instance its own", f.withoutRedis.bystander],
      ["shared through Redis, WORKSPACE_TURNS=off", f.withoutTurns],
      ["one instance (the gateway as deployed)", f.oneInstance],
      ["one instance, WORKSPACE_TURNS=off", f.oneInstanceWithoutTurns],
    ] as const).map(([how, b]) =>
      row([how, b.aloneP50Ms, b.duringBurstsP50Ms, b.ratio, `${b.gatewayAloneP50Ms} -> ${b.gatewayDuringP50Ms}`, b.bursts, b.ratio <= BYSTANDER_TOLERANCE ? "yes" : "no"]),
    ),
    ...(f.oneInstance.direct
      ? ["", `The same look-ups straight to the emulator with the bystander's key, no gateway, during the one-instance bursts: p50 ${f.oneInstance.direct.aloneP50Ms} ms alone, ${f.oneInstance.direct.duringBurstsP50Ms} ms during (x${f.oneInstance.direct.ratio}): what the machine alone adds.`]
      : []),
  ];
}

/** Case 6: each workload's two sides, one row each. */
function mcpTable(m: McpResult): string[] {
  const line = (work: string, side: string, x: McpSide) =>
    row([work, side, x.upstreamRequests, `${x.points} (${x.graphqlPoints} + ${x.coreRequests})`, x.p50Ms, x.p99Ms]);
  return [
    `MCP tool calls: ${m.calls} at once, each for a different item; median of the rounds; points are GraphQL points + REST requests (core):`,
    "",
    row(["work", "how", "upstream requests", "points (GraphQL + core)", "p50 ms", "p99 ms"]),
    row(["---", "---", "---:", "---:", "---:", "---:"]),
    ...[m.issueThread, m.reviewStatus].flatMap((w) => [
      line(`${w.tool} x ${m.calls}`, "gateway /mcp", w.gateway),
      line(`${w.tool} x ${m.calls}`, "gateway /graphql (the same operation)", w.graphql),
      line(`${w.tool} x ${m.calls}`, `GitHub's MCP server's calls: ${w.githubMcpServerTools}`, w.githubMcpServer),
    ]),
    "",
    `Gateway CPU per call, /mcp vs /graphql: ${m.issueThread.tool} ${m.issueThread.gateway.cpuMsPerCall ?? "n/a"} vs ${m.issueThread.graphql.cpuMsPerCall ?? "n/a"} ms, ` +
      `${m.reviewStatus.tool} ${m.reviewStatus.gateway.cpuMsPerCall ?? "n/a"} vs ${m.reviewStatus.graphql.cpuMsPerCall ?? "n/a"} ms.`,
  ];
}

/** Case 8: each side's answers and GitHub's refusals. */
function githubLimitsTable(g: GithubLimitsResult): string[] {
  const line = (work: string, how: string, s: LimitedSide, perSecond: boolean) =>
    row([work, how, s.sent, s.answered, s.refused, s.answeredP50Ms, perSecond ? s.answeredPerSecond : "", s.upstreamRequests, s.upstreamRefused]);
  return [
    "The direct baselines as GitHub itself limits a key (case 8): emulators that keep GitHub's secondary limits (per user 100 requests in flight, " +
      "2,000 GraphQL points a minute) and a personal access token's 5,000 points an hour, a fresh budget for each direct run; " +
      "the gateway with its default pacing (GITHUB_GRAPHQL_POINTS_PER_MINUTE 2,000) in front of one of its own:",
    "",
    row(["work", "how", "sent", "answered with data", "not answered", "answered p50 ms", "answered a second", "upstream requests", "of them refused by GitHub"]),
    row(["---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
    line(`${g.concurrent.clients} look-ups at once`, "direct", g.concurrent.direct, false),
    line(`${g.concurrent.clients} look-ups at once`, "gateway", g.concurrent.gateway, false),
    line(`50 clients for ${g.clients50.seconds} s`, "direct", g.clients50.direct, true),
    line(`50 clients for ${g.clients50.seconds} s`, "gateway", g.clients50.gateway, true),
  ];
}

export function markdown(r: BenchResults): string {
  const o = r.overhead;
  const lines = [
    `Run ${r.date}, \`${r.command}\`, ${r.runSeconds} s; upstream latency ${r.upstreamLatencyMs} ms; ` +
      `${r.machine.nproc} x ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; ` +
      `load average ${r.loadAverage1.start} at the start, ${r.loadAverage1.end} at the end.` +
      (r.trial ? ` A trial run, not the full method: ${r.overrides.join(" ")}.` : ""),
    "",
    `Cold, before the warm-up: the first request through the fresh gateway took ${r.cold.gatewayFirstMs} ms, the first direct call ` +
      `${r.cold.directFirstMs} ms; then ${r.cold.warmRequests} requests each through both gateways and direct, before the cases.`,
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
    `Upstream requests a minute at these rates, against GitHub's secondary limit of 2,000 GraphQL points a minute per user (a query 1 point; ` +
      `this emulator has the limit off so the direct side can be measured at all): gateway ${o.upstreamPerMinute.gatewayAt50} at 50 clients, ` +
      `${o.upstreamPerMinute.gatewayAtSaturation} at saturation; direct ${o.upstreamPerMinute.directAt50} and ${o.upstreamPerMinute.directAtSaturation}.`,
    "",
    `Where a look-up's time goes at one client (medians of ${o.timelineAt1.requests} sequential requests, the gateway's Server-Timing; ms):`,
    "",
    row(["as the caller saw it", "hop (caller to gateway and back)", "gateway total", "body", "auth", "key", "github", "direct call (same look-up)", "own (Apollo, resolvers, answer)"]),
    row(["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
    row([o.timelineAt1.clientMs, o.timelineAt1.hopMs, o.timelineAt1.totalMs, o.timelineAt1.bodyMs, o.timelineAt1.authMs, o.timelineAt1.keyMs, o.timelineAt1.githubMs, o.timelineAt1.directMs, o.timelineAt1.ownMs]),
    "",
    row(["case", "upstream requests", "points", "p50 ms", "p99 ms"]),
    row(["---", "---:", "---:", "---:", "---:"]),
    row([`${r.concurrent.clientRequests} concurrent requests, default window`, r.concurrent.upstreamRequests, r.concurrent.points, r.concurrent.p50Ms, r.concurrent.p99Ms]),
    row([`${r.concurrent.clientRequests} concurrent requests, GITHUB_BATCH_WINDOW_MS=0`, r.concurrent.windowZero.upstreamRequests, r.concurrent.windowZero.points, r.concurrent.windowZero.p50Ms, r.concurrent.windowZero.p99Ms]),
    row([`${r.concurrent.clientRequests} concurrent direct calls (no gateway)`, r.concurrent.direct.upstreamRequests, r.concurrent.direct.points, r.concurrent.direct.p50Ms, r.concurrent.direct.p99Ms]),
    row([`issueThread, ${r.thread.comments} comments`, r.thread.upstreamRequests, r.thread.points, r.thread.ms, ""]),
    "",
    `Memory: VmRSS ${r.memory.warmRssMiB} MiB after ${r.memory.warmupRequests} requests, ${r.memory.afterRssMiB} MiB after ${r.memory.requests} more ` +
      `(growthRatio ${r.memory.growthRatio}); ${r.memory.rps} rps at ${r.memory.connections} connections, ${r.memory.upstreamRequests} upstream requests. ` +
      `VmRSS during the run (s: MiB): ${r.memory.timeline.map((t) => `${t.seconds}: ${t.rssMiB}`).join(", ")}; ` +
      `from a quarter of the run to its end x${r.memory.lateGrowthRatio ?? "n/a"}.`,
    "",
    ...mcpTable(r.mcp),
    "",
    ...fleetTable(r.fleet),
    "",
    ...githubLimitsTable(r.githubLimits),
    "",
    row(["target", "wanted", "measured", "met"]),
    row(["---", "---", "---", "---"]),
    ...r.targets.map((t) => row([t.name, t.target, t.actual, verdict(t)])),
    "",
  ];
  return lines.join("\n");
}
