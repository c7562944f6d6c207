import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { signCallerToken } from "../src/auth/caller-token";
import type { Fault } from "../test/github-emulator/types";
import { benchConfig } from "./config";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { startBenchGateway, type BenchGateway, type GatewayEnv } from "./gateway";
import { connectKey } from "./gateway-client";
import { heapFigures, watchGateway } from "./soak-output";
import { cpuMs, rssMiB, sleep, startChild, type Child } from "./processes";
import { machine } from "./report";
import { faultSchedule, soakConfig, type PlannedFault, type SoakConfig } from "./soak-config";
import type { UpstreamTally } from "./soak-emulator";
import { runLoad, type LoadState, type TenantCallers } from "./soak-load";
import { isolation, memoryFigures, perFault, recovery, requestFigures, type FaultWindow, type MemorySample } from "./soak-tally";
import { round } from "./stats";
import { BOT_LOGIN, classicKey, credentialKeys, jwtSecret, RATE_LIMIT_PER_HOUR } from "./world";

// `npm run soak`: the gateway (its own process, on PostgreSQL) under a steady open-loop load from
// three tenants for SOAK_MINUTES while the emulator's faults switch on and off; every answer is
// tallied, the gateway's RSS sampled. Writes bench/results/soak.json; exits 1 on any unexpected
// answer or memory growth over 10%. Not part of `npm test`. See bench/README.md, "Soak run".

const RESULTS_DIR = join(__dirname, "../../bench/results");
const log = (line: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Resources {
  database?: BenchDatabase;
  emulator?: Child;
  gateway?: BenchGateway;
  dataDir?: string;
}

async function cleanUp(r: Resources): Promise<void> {
  await r.gateway?.stop().catch(() => undefined);
  await r.emulator?.stop().catch(() => undefined);
  await r.database?.drop().catch((e: unknown) => log(`could not drop the soak database: ${String(e)}`));
  if (r.dataDir) rmSync(r.dataDir, { recursive: true, force: true });
}

/** The emulator with one key per tenant (each its own user, so its own budget), and its fault control. */
async function startSoakEmulator(latencyMs: number, keys: readonly string[]) {
  const child = startChild("github-emulator", join(__dirname, "soak-emulator.js"), {
    EMULATOR_PORT: "0",
    EMULATOR_LATENCY_MS: String(latencyMs),
    EMULATOR_RATE_LIMIT_PER_HOUR: String(RATE_LIMIT_PER_HOUR),
    EMULATOR_BENCH_DATA: "1",
    EMULATOR_KEYS: JSON.stringify(keys.map((token, t) => ({ token, login: `${BOT_LOGIN}-${t}`, scopes: ["repo"] }))),
  });
  const { url, control } = await child.firstLine((line) => {
    try {
      const parsed = JSON.parse(line) as { url?: unknown; control?: unknown };
      return typeof parsed.url === "string" && typeof parsed.control === "string" ? { url: parsed.url, control: parsed.control } : undefined;
    } catch {
      return undefined;
    }
  }, 30_000);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${control}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    child, url,
    fail: (fault: Fault) => call("POST", "/fault", fault),
    clear: () => call("POST", "/clear"),
    tally: () => call<UpstreamTally>("GET", "/tally"),
  };
}
type SoakEmulator = Awaited<ReturnType<typeof startSoakEmulator>>;

const describeFault = (f: PlannedFault) => {
  const { kind, times: _times, token: _token, ...rest } = f.fault;
  return `${kind}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ""}`;
};

/** Switches the planned faults on and off at their seconds; records when each really was on. */
async function runFaults(plan: readonly PlannedFault[], emulator: SoakEmulator, keys: readonly string[], t0: number, windows: FaultWindow[], now: { fault?: string }) {
  const until = (s: number) => sleep(Math.max(0, t0 + s * 1000 - performance.now()));
  for (const f of plan) {
    await until(f.startS);
    await emulator.fail(f.target === "all" ? f.fault : { ...f.fault, token: keys[f.target] });
    const startMs = performance.now() - t0;
    const who = f.target === "all" ? "all tenants" : `tenant ${f.target}`;
    now.fault = `${f.kind} (${who})`;
    log(`fault ${f.index} on: ${describeFault(f)} for ${who}, ${f.endS - f.startS} s`);
    await until(f.endS);
    await emulator.clear();
    now.fault = undefined;
    windows.push({ index: f.index, kind: f.kind, target: f.target, detail: describeFault(f), startMs: round(startMs, 1), endMs: round(performance.now() - t0, 1) });
    log(`fault ${f.index} off`);
  }
}

async function main(): Promise<void> {
  const config = soakConfig();
  const bench = benchConfig();
  const resources: Resources = {};
  const interrupt = () => void cleanUp(resources).finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    log(`setting up: database, emulator, gateway, ${config.tenants} tenants (load average ${loadavg().map((x) => round(x, 1)).join(" ")})`);
    const keys = Array.from({ length: config.tenants }, () => classicKey());
    resources.database = await createBenchDatabase(bench.postgresAdminUrl);
    resources.dataDir = mkdtempSync(join(tmpdir(), "cg-soak-"));
    const emulator = await startSoakEmulator(bench.upstreamLatencyMs, keys);
    resources.emulator = emulator.child;
    const env: GatewayEnv = { databaseUrl: resources.database.url, githubApiUrl: emulator.url, jwtSecret: jwtSecret(), credentialKeys: credentialKeys(), dataDir: resources.dataDir };
    const gateway = await startBenchGateway("gateway", env, {
      GITHUB_TIMEOUT_MS: String(config.githubTimeoutMs),
      REQUEST_TIMEOUT_MS: String(config.requestTimeoutMs),
      TENANT_RATE_LIMIT_PER_MINUTE: String(config.tenantRateLimitPerMinute),
      // V8 prints each collection on stdout: the live heap after full ones (soak-output.ts).
      ...(config.traceGc ? { NODE_OPTIONS: `--require ${join(__dirname, "soak-trace-gc.js")}` } : {}),
    });
    resources.gateway = gateway;
    const tenants: TenantCallers[] = [];
    for (let t = 0; t < config.tenants; t += 1) {
      const tenant = `soak-tenant-${t}`;
      const admin = await signCallerToken({ tenant, role: "admin", sub: `soak-admin-${t}` }, env.jwtSecret);
      tenants.push({ admin, service: await signCallerToken({ tenant, role: "service", sub: `soak-assistant-${t}` }, env.jwtSecret) });
      await connectKey(gateway.url, admin, keys[t]);
    }
    const plan = faultSchedule(config);
    const durationMs = config.minutes * 60_000;
    log(`emulator ${emulator.url} (latency ${bench.upstreamLatencyMs} ms); gateway pid ${gateway.pid} (GITHUB_TIMEOUT_MS ${config.githubTimeoutMs}, REQUEST_TIMEOUT_MS ${config.requestTimeoutMs}); ${config.tenants} tenants connected`);
    log(`${config.minutes} min at ${config.rps} requests/s, ${plan.length} faults planned (seed ${config.seed}), client timeout ${config.clientTimeoutMs} ms`);

    const t0 = performance.now();
    const output = watchGateway(gateway.child, durationMs + 120_000, () => (performance.now() - t0) / 1000);
    const state: LoadState = { records: [], sent: 0, inflight: 0, maxLagMs: 0 };
    const windows: FaultWindow[] = [];
    const now: { fault?: string } = {};
    const samples: MemorySample[] = [];
    const sample = () =>
      samples.push({ seconds: round((performance.now() - t0) / 1000, 1), rssMiB: rssMiB(gateway.pid), cpuSeconds: cpuMs(gateway.pid) / 1000, loadAvg1: loadavg()[0] });
    sample();
    const sampler = setInterval(sample, config.sampleSeconds * 1000);
    const progress = setInterval(() => {
      const counts = { ok: 0, expected: 0, unexpected: 0 };
      for (const r of state.records) counts[r.outcome] += 1;
      const last = samples[samples.length - 1];
      log(`${Math.round((performance.now() - t0) / 1000)} s: sent ${state.sent}, ok ${counts.ok}, expected errors ${counts.expected}, unexpected ${counts.unexpected}, in flight ${state.inflight}; RSS ${last ? round(last.rssMiB, 1) : "?"} MiB; fault: ${now.fault ?? "none"}`);
    }, 30_000);
    try {
      await Promise.race([
        Promise.all([runLoad({ url: gateway.url, rps: config.rps, durationMs, clientTimeoutMs: config.clientTimeoutMs, tenants, seed: config.seed, ops: config.ops, inlineArguments: config.inlineArguments, t0 }, state), runFaults(plan, emulator, keys, t0, windows, now)]),
        gateway.child.exited,
        emulator.child.exited,
      ]);
    } finally {
      clearInterval(sampler);
      clearInterval(progress);
    }
    const runMs = performance.now() - t0;
    await emulator.clear();
    const upstream = await emulator.tally();

    const requests = requestFigures(state.records);
    const rss = memoryFigures(samples, config.minutes * 60, config.warmupSeconds);
    const memory = { ...rss, heap: config.traceGc ? heapFigures(output.heap, [rss.warmupSeconds, rss.warmupSeconds + rss.windowSeconds], config.minutes * 60 - rss.windowSeconds) : null };
    const recoveryMs = config.recoverySeconds * 1000;
    const unexpected = requests.byOutcome.unexpected ?? 0;
    const failures: string[] = [];
    if (unexpected > 0) failures.push(`${unexpected} unexpected answers`);
    if (memory.growthRatio === null) failures.push("no RSS samples to compare");
    else if (memory.growthRatio > config.maxGrowthRatio) failures.push(`RSS growthRatio ${memory.growthRatio} > ${config.maxGrowthRatio}`);
    const results = {
      command: "npm run soak",
      date: new Date().toISOString(),
      passed: failures.length === 0,
      failures,
      config: { ...config, upstreamLatencyMs: bench.upstreamLatencyMs },
      machine: machine(),
      runSeconds: round(runMs / 1000, 1),
      sent: state.sent,
      schedulerMaxLagMs: state.maxLagMs,
      achievedRps: round(state.sent / (durationMs / 1000), 1),
      requests: { ...requests },
      faults: perFault(state.records, windows, config.tenants),
      isolation: isolation(state.records, windows, config.tenants, recoveryMs),
      recovery: recovery(state.records, windows, config.tenants, recoveryMs, runMs),
      memory,
      loadAverage1: {
        mean: round(samples.reduce((sum, x) => sum + x.loadAvg1, 0) / Math.max(1, samples.length), 2),
        max: round(Math.max(...samples.map((x) => x.loadAvg1)), 2),
      },
      gatewayCpuMsPerRequest: round(((samples[samples.length - 1]?.cpuSeconds ?? 0) - (samples[0]?.cpuSeconds ?? 0)) * 1000 / Math.max(1, state.sent), 3),
      upstream,
      gatewayLogs: output.logs,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, "soak.json"), `${JSON.stringify(results, null, 2)}\n`);
    // Every request's record, for digging into a failure (not written by default: about 100 bytes a request).
    if (process.env.SOAK_RECORDS_FILE) writeFileSync(process.env.SOAK_RECORDS_FILE, state.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    process.stdout.write(`\n${summary(results)}\n`);
    log(`wrote bench/results/soak.json; ${results.passed ? "passed" : `FAILED: ${failures.join("; ")}`}`);
    process.exitCode = results.passed ? 0 : 1;
  } finally {
    await cleanUp(resources);
  }
}

type Results = {
  runSeconds: number; sent: number; achievedRps: number; config: SoakConfig; passed: boolean;
  requests: ReturnType<typeof requestFigures>; faults: ReturnType<typeof perFault>;
  isolation: ReturnType<typeof isolation>; recovery: ReturnType<typeof recovery>;
  memory: ReturnType<typeof memoryFigures> & { heap: ReturnType<typeof heapFigures> | null }; upstream: UpstreamTally; gatewayCpuMsPerRequest: number;
  loadAverage1: { mean: number; max: number }; schedulerMaxLagMs: number;
};

function summary(r: Results): string {
  const pct = (x: number | null) => (x === null ? "-" : `${round(x * 100, 1)}%`);
  const lines = [
    `Soak: ${r.runSeconds} s, ${r.sent} requests (${r.achievedRps}/s) from ${r.config.tenants} tenants; ${r.faults.length} faults.`,
    `Answers: ${JSON.stringify(r.requests.byOutcome)}; HTTP ${JSON.stringify(r.requests.byTransport)}; codes ${JSON.stringify(r.requests.byCode)}.`,
    `OK latency p50 ${r.requests.okLatency.p50Ms} ms, p99 ${r.requests.okLatency.p99Ms} ms; gateway CPU ${r.gatewayCpuMsPerRequest} ms per request; machine load average ${r.loadAverage1.mean} (max ${r.loadAverage1.max}) on ${cpus().length} cores; scheduler lag max ${r.schedulerMaxLagMs} ms.`,
  ];
  for (const [reason, n] of Object.entries(r.requests.unexpectedByReason)) lines.push(`  unexpected x${n}: ${reason}`);
  for (const f of r.faults) {
    lines.push(`Fault ${f.index} ${f.detail} on ${f.target === "all" ? "all" : `tenant ${f.target}`} at ${f.startS} s for ${f.seconds} s: ok by tenant ${f.okByTenant.map((x) => pct(x.rate)).join(" / ")}; ${JSON.stringify(f.codes)}`);
  }
  for (const t of r.isolation) {
    lines.push(`Tenant ${t.tenant}: ok ${pct(t.noFault.rate)} with no fault (${t.noFault.total}), ${pct(t.otherTenantFault.rate)} while another tenant is faulted (${t.otherTenantFault.total}), ${pct(t.ownFault.rate)} under its own faults (${t.ownFault.total})`);
  }
  lines.push(`Recovery within ${r.recovery.withinMs / 1000} s: ${r.recovery.recovered} recovered, ${r.recovery.notRecovered} not.`);
  lines.push(`RSS: ${r.memory.earlyMeanRssMiB} MiB (mean ${r.memory.warmupSeconds}-${r.memory.warmupSeconds + r.memory.windowSeconds} s) -> ${r.memory.lateMeanRssMiB} MiB (last ${r.memory.windowSeconds} s): growthRatio ${r.memory.growthRatio}; peak ${r.memory.peakRssMiB} MiB.`);
  const heap = r.memory.heap;
  if (heap) lines.push(`Live heap after full GCs (${heap.fullCollections}): ${heap.earlyMeanLiveMiB} -> ${heap.lateMeanLiveMiB} MiB, liveGrowthRatio ${heap.liveGrowthRatio} (not a pass/fail figure).`);
  lines.push(`Upstream: ${r.upstream.answered} requests, by status ${JSON.stringify(r.upstream.byStatus)}, by fault ${JSON.stringify(r.upstream.byFault)}.`);
  return lines.join("\n");
}

// process.exit: the gateway's output listener (watchGateway) holds a timer for the length of the run.
main().then(() => process.exit(process.exitCode ?? 0), (e: unknown) => {
  process.stderr.write(`soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
