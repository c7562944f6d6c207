import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { signCallerToken } from "../src/auth/caller-token";
import type { Fault } from "../github-emulator/types";
import { commandLine, exitWith, OUT_FLAG, parseCli, resultsDir, shown, type CliSpec } from "./cli";
import { benchConfig, benchSettingsHelp, FULL, whereSettings } from "./config";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { startBenchGateway, type BenchGateway, type GatewayEnv } from "./gateway";
import { connectKey } from "./gateway-client";
import { heapFigures, watchGateway } from "./soak-output";
import { assertPortFree, cpuMs, rssMiB, sleep, startChild, type Child } from "./processes";
import { machine } from "./report";
import { faultSchedule, SOAK_SETTING_NAMES, soakConfig, soakOverrides, soakSettingsHelp, type PlannedFault } from "./soak-config";
import type { UpstreamTally } from "./soak-emulator";
import { runLoad, type LoadState, type TenantCallers } from "./soak-load";
import { coverage, soakChecks, summary } from "./soak-report";
import { isolation, memoryFigures, perFault, recovery, requestFigures, type FaultWindow, type MemorySample } from "./soak-tally";
import { round } from "./stats";
import { BOT_LOGIN, classicKey, credentialKeys, jwtSecret, RATE_LIMIT_PER_HOUR } from "./world";

// `npm run soak`: the gateway (its own process, on PostgreSQL) under a steady open-loop load from
// three tenants for SOAK_MINUTES while the emulator's faults switch on and off; every answer is
// tallied, the gateway's RSS sampled. Writes bench/results/soak.json (a trial: bench/results/trial/);
// exits 1 on any unexpected answer or memory growth over 10%, a check a short run cannot judge and says
// so. Not part of `npm test`. See bench/README.md, "Soak run".

const CLI: CliSpec = {
  name: "soak",
  command: "npm run soak",
  script: "node dist/bench/soak.js",
  about: [
    "Runs the gateway under a steady open-loop load from 3 tenants for SOAK_MINUTES while the GitHub emulator's",
    "faults (slow answers, 502s, resets, primary and secondary rate limits) switch on and off; judges every answer",
    "and the gateway's memory. Starts, as child processes, the emulator and one gateway (NODE_ENV=production) on a",
    "PostgreSQL database created for the run and dropped after it.",
    "",
    "Takes SOAK_MINUTES (10) plus about 10 s of set-up (and the build under npm run soak).",
    "A short run (SOAK_MINUTES=1) judges the answers; the memory check needs SOAK_MINUTES >= 2 and is reported",
    "\"not judged\" below that, without failing the run. The end of the output lists which checks were judged.",
  ],
  flags: [OUT_FLAG],
  settingGroups: [
    { title: "Settings that change what is run (environment; any value other than the default makes a trial)", settings: [...soakSettingsHelp(), ...benchSettingsHelp(["BENCH_UPSTREAM_LATENCY_MS", "BENCH_GATEWAY_LOG_LEVEL"])] },
    {
      title: "Settings that say where (never make a trial)",
      settings: [...whereSettings(), { name: "SOAK_RECORDS_FILE", default: "unset", meaning: "also write every request's record there as NDJSON (about 100 bytes a request)" }],
    },
  ],
  results: [
    "The full soak (every setting above at its default): bench/results/soak.json, the committed figures",
    "  bench/README.md quotes. Commit it only with the README's figures.",
    "Any other run (a trial, e.g. SOAK_MINUTES=1): bench/results/trial/soak.json (ignored by git).",
    "--out DIR: DIR/soak.json. The path and a summary with the checks are printed at the end.",
    "Exit code: 0 when every judged check passed; 1 on an unexpected answer, RSS growth over 1.10 (when judged)",
    "or a failure; 2 for an unknown flag, a bad setting or a pinned port in use.",
  ],
};

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
async function startSoakEmulator(latencyMs: number, keys: readonly string[], port: number) {
  const child = startChild("github-emulator", join(__dirname, "soak-emulator.js"), {
    EMULATOR_PORT: String(port),
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
  const flags = parseCli(CLI);
  const config = soakConfig();
  const bench = benchConfig();
  const overrides = [...soakOverrides(config), ...[["BENCH_UPSTREAM_LATENCY_MS", bench.upstreamLatencyMs, FULL.upstreamLatencyMs], ["BENCH_GATEWAY_LOG_LEVEL", bench.gatewayLogLevel, FULL.gatewayLogLevel]]
    .filter(([, value, full]) => value !== full).map(([name, value]) => `${name}=${value}`)];
  const trial = overrides.length > 0;
  const outDir = resultsDir(flags.get("--out"), trial);
  await assertPortFree(bench.gatewayPort, "BENCH_GATEWAY_PORT");
  await assertPortFree(bench.emulatorPort, "BENCH_EMULATOR_PORT");
  if (trial) log(`a trial run (${overrides.join(" ")}): results go to ${shown(outDir)}, not the committed bench/results`);
  const resources: Resources = {};
  const interrupt = () => void cleanUp(resources).finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    log(`setting up: database, emulator, gateway, ${config.tenants} tenants (load average ${loadavg().map((x) => round(x, 1)).join(" ")})`);
    const keys = Array.from({ length: config.tenants }, () => classicKey());
    resources.database = await createBenchDatabase(bench.postgresAdminUrl);
    resources.dataDir = mkdtempSync(join(tmpdir(), "cg-soak-"));
    const emulator = await startSoakEmulator(bench.upstreamLatencyMs, keys, bench.emulatorPort);
    resources.emulator = emulator.child;
    const env: GatewayEnv = { databaseUrl: resources.database.url, githubApiUrl: emulator.url, jwtSecret: jwtSecret(), credentialKeys: credentialKeys(), dataDir: resources.dataDir, logLevel: bench.gatewayLogLevel };
    const gateway = await startBenchGateway("gateway", env, {
      GITHUB_TIMEOUT_MS: String(config.githubTimeoutMs),
      REQUEST_TIMEOUT_MS: String(config.requestTimeoutMs),
      TENANT_RATE_LIMIT_PER_MINUTE: String(config.tenantRateLimitPerMinute),
      // V8 prints each collection on stdout: the live heap after full ones (soak-output.ts).
      ...(config.traceGc ? { NODE_OPTIONS: `--require ${join(__dirname, "soak-trace-gc.js")}` } : {}),
    }, bench.gatewayPort);
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
    log(`emulator ${emulator.url} (latency ${bench.upstreamLatencyMs} ms); gateway ${gateway.url.replace(/\/graphql$/, "")} (pid ${gateway.pid}; /metrics there) (GITHUB_TIMEOUT_MS ${config.githubTimeoutMs}, REQUEST_TIMEOUT_MS ${config.requestTimeoutMs}); ${config.tenants} tenants connected`);
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
    const rss = memoryFigures(samples, config.minutes * 60, config.warmupSeconds, config.minMemoryWindowSeconds);
    const memory = { ...rss, heap: config.traceGc && rss.growthRatio !== null ? heapFigures(output.heap, [rss.warmupSeconds, rss.warmupSeconds + rss.windowSeconds], config.minutes * 60 - rss.windowSeconds) : null };
    const recoveryMs = config.recoverySeconds * 1000;
    const checks = soakChecks(config, requests, memory);
    const failures = checks.filter((c) => c.judged && !c.passed).map((c) => `${c.name}: ${c.detail}`);
    const faults = perFault(state.records, windows, config.tenants);
    const isolated = isolation(state.records, windows, config.tenants, recoveryMs);
    const recovered = recovery(state.records, windows, config.tenants, recoveryMs, runMs);
    const results = {
      command: commandLine("npm run soak", [...SOAK_SETTING_NAMES, "BENCH_UPSTREAM_LATENCY_MS", "BENCH_GATEWAY_LOG_LEVEL"]),
      date: new Date().toISOString(),
      trial,
      overrides,
      passed: failures.length === 0,
      failures,
      checks,
      coverage: coverage(faults, isolated, recovered),
      config: { ...config, upstreamLatencyMs: bench.upstreamLatencyMs },
      machine: machine(),
      runSeconds: round(runMs / 1000, 1),
      sent: state.sent,
      schedulerMaxLagMs: state.maxLagMs,
      achievedRps: round(state.sent / (durationMs / 1000), 1),
      requests: { ...requests },
      faults,
      isolation: isolated,
      recovery: recovered,
      memory,
      loadAverage1: {
        mean: round(samples.reduce((sum, x) => sum + x.loadAvg1, 0) / Math.max(1, samples.length), 2),
        max: round(Math.max(...samples.map((x) => x.loadAvg1)), 2),
      },
      gatewayCpuMsPerRequest: round(((samples[samples.length - 1]?.cpuSeconds ?? 0) - (samples[0]?.cpuSeconds ?? 0)) * 1000 / Math.max(1, state.sent), 3),
      upstream,
      gatewayLogs: output.logs,
    };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "soak.json"), `${JSON.stringify(results, null, 2)}\n`);
    // Every request's record, for digging into a failure (not written by default: about 100 bytes a request).
    if (process.env.SOAK_RECORDS_FILE) writeFileSync(process.env.SOAK_RECORDS_FILE, state.records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    process.stdout.write(`\n${summary(results)}\n`);
    const notJudged = checks.filter((c) => !c.judged).map((c) => c.name);
    const verdict = results.passed ? `passed${notJudged.length ? ` what it could judge (not judged: ${notJudged.join("; ")})` : ""}` : `FAILED: ${failures.join("; ")}`;
    log(`wrote ${shown(join(outDir, "soak.json"))}${trial ? " (a trial: the committed bench/results/soak.json is untouched)" : ""}; ${verdict}`);
    process.exitCode = results.passed ? 0 : 1;
  } finally {
    await cleanUp(resources);
  }
}

// process.exit: the gateway's output listener (watchGateway) holds a timer for the length of the run.
main().then(() => process.exit(process.exitCode ?? 0), (e: unknown) => exitWith("soak", e));
