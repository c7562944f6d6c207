import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { commandLine, exitWith, OUT_FLAG, parseCli, resultsDir, shown, type CliSpec } from "./cli";
import { BENCH_SETTING_NAMES, benchConfig, benchOverrides, benchSettingsHelp, whereSettings } from "./config";
import type { BenchContext } from "./context";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { directClient } from "./direct";
import { startEmulator, type BenchEmulator } from "./emulator";
import { startBenchGateway, type BenchGateway, type GatewayEnv } from "./gateway";
import { callers, connectKey } from "./gateway-client";
import { assertPortFree } from "./processes";
import { checkTargets, machine, markdown, targetSummary, type BenchResults } from "./report";
import { runConcurrent } from "./scenarios/concurrent";
import { runFanout } from "./scenarios/fanout";
import { runMcp } from "./scenarios/mcp";
import { runFleet } from "./scenarios/fleet";
import { runGithubLimits } from "./scenarios/github-limits";
import { runMemory } from "./scenarios/memory";
import { runOverhead } from "./scenarios/overhead";
import { runThread } from "./scenarios/thread";
import { warmUp } from "./scenarios/warm-up";
import { round } from "./stats";
import { BYSTANDER_TENANT, BOT_LOGIN, classicKey, credentialKeys, jwtSecret, RATE_LIMIT_PER_HOUR } from "./world";

// `npm run bench`: the GitHub emulator (with upstream latency) and the gateway on a real PostgreSQL,
// as child processes; every case beside its baselines in the same run. See bench/README.md.

const CLI: CliSpec = {
  name: "bench",
  command: "npm run bench",
  script: "node dist/bench/run.js",
  about: [
    "Measures the gateway against its four targets (bench/README.md). Starts, as child processes, the GitHub",
    "emulator (bench data, upstream latency added) and gateways (NODE_ENV=production) on a PostgreSQL database",
    "created for the run and dropped after it, warms both sides (the first request of each timed as cold), then",
    "runs eight cases: fan-out, overhead against direct calls,",
    "200 concurrent clients, a 1,000-comment thread, memory over 100,000 requests, 50 concurrent MCP tool",
    "calls against GitHub's MCP server's calls for the same work, three instances with and without Redis",
    "(redis-server), with another workspace's look-ups timed beside the first one's bursts, and the direct",
    "baselines of cases 2 and 3 against GitHub's own limits (emulators that keep them), beside a gateway.",
    "",
    "Takes about 10 minutes on 2 cores (plus the build under npm run bench). --quick: a few minutes (case 7, about 2.5 of them, runs whole).",
    "Needs PostgreSQL (BENCH_POSTGRES_URL) and a build (npm run build; npm run bench builds first).",
  ],
  flags: [
    {
      name: "--quick",
      meaning: "a short trial: the --quick defaults below. Fan-out N = 100 and the 200 concurrent requests still run whole " +
        "and are judged; the 1-client ratio and memory targets are reported but not judged (they need the full run)",
    },
    OUT_FLAG,
  ],
  settingGroups: [
    { title: "Settings that change what is measured (environment; an explicit value wins over --quick; any value other than the full run's makes a trial)", settings: benchSettingsHelp() },
    { title: "Settings that say where (never make a trial)", settings: whereSettings("the port of the gateway as deployed (cases 1-4 and 6; the unbatched, window-0 and memory gateways take free ports)") },
  ],
  results: [
    "A full run (no --quick, every measuring setting at its default): bench/results/latest.json and latest.md,",
    "  the committed figures bench/README.md quotes. Commit them only with the README's figures.",
    "Any other run (a trial): bench/results/trial/latest.json and latest.md (ignored by git).",
    "--out DIR: DIR/latest.json and latest.md. The path is printed at the end; the tables are printed too.",
    "Exit code: 0 when the run completes (a missed target is reported, not an exit code); 1 when it fails;",
    "2 for an unknown flag, a bad setting or a pinned port in use.",
  ],
};

const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Resources {
  database?: BenchDatabase;
  emulator?: BenchEmulator;
  gateways: BenchGateway[];
  dataDir?: string;
}

async function cleanUp(r: Resources): Promise<void> {
  for (const gateway of r.gateways.splice(0)) await gateway.stop().catch(() => undefined);
  await r.emulator?.stop().catch(() => undefined);
  await r.database?.drop().catch((e: unknown) => log(`could not drop the bench database: ${String(e)}`));
  if (r.dataDir) rmSync(r.dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const flags = parseCli(CLI);
  const started = Date.now();
  const loadAtStart = round(loadavg()[0], 2);
  const config = benchConfig(process.env, { quick: flags.has("--quick") });
  const overrides = benchOverrides(config);
  const trial = config.quick || overrides.length > 0;
  const outDir = resultsDir(flags.get("--out"), trial);
  await assertPortFree(config.gatewayPort, "BENCH_GATEWAY_PORT");
  await assertPortFree(config.emulatorPort, "BENCH_EMULATOR_PORT");
  if (trial) log(`a trial run (${overrides.join(" ")}): results go to ${shown(outDir)}, not the committed bench/results`);
  const resources: Resources = { gateways: [] };
  const interrupt = () => void cleanUp(resources).finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    const key = classicKey();
    const bystanderKey = classicKey();
    resources.database = await createBenchDatabase(config.postgresAdminUrl);
    resources.dataDir = mkdtempSync(join(tmpdir(), "cg-bench-"));
    const emulator = await startEmulator({ latencyMs: config.upstreamLatencyMs, key, otherKeys: [bystanderKey], login: BOT_LOGIN, rateLimitPerHour: RATE_LIMIT_PER_HOUR, port: config.emulatorPort });
    resources.emulator = emulator;
    const env: GatewayEnv = {
      databaseUrl: resources.database.url,
      githubApiUrl: emulator.url,
      jwtSecret: jwtSecret(),
      credentialKeys: credentialKeys(),
      dataDir: resources.dataDir,
      logLevel: config.gatewayLogLevel,
    };
    // The bench's GitHub has no secondary limits (bench/emulator.ts), so that its baselines (one document per
    // look-up, thousands a second from one key) can be measured at all; the gateways are told the same, as a
    // GitHub Enterprise Server without them would be configured, and keep no pacing (secondary-pacing.ts).
    const noSecondaryLimits = {
      GITHUB_GRAPHQL_POINTS_PER_MINUTE: "1000000",
      GITHUB_REST_POINTS_PER_MINUTE: "1000000",
      GITHUB_CONTENT_PER_MINUTE: "100000",
      GITHUB_CONTENT_PER_HOUR: "1000000",
    };
    // BENCH_GATEWAY_PORT pins the first gateway (the one as deployed, cases 1-4 and 6); the others take free ports.
    const tracked = (gateway: BenchGateway) => {
      if (resources.gateways.length > 0) log(`${gateway.name} ${gateway.url.replace(/\/graphql$/, "")} (pid ${gateway.pid})`);
      resources.gateways.push(gateway);
      const stop = gateway.stop;
      return { ...gateway, stop: async () => {
        await stop();
        resources.gateways.splice(resources.gateways.indexOf(gateway), 1);
      } };
    };
    const startGateway = async (name: string, extra: Record<string, string>, port = 0) => tracked(await startBenchGateway(name, env, { ...noSecondaryLimits, ...extra }, port));
    // Case 8's gateway: GitHub's own secondary limits kept (the default pacing), in front of another emulator.
    const startGatewayOn = async (name: string, githubApiUrl: string) => tracked(await startBenchGateway(name, { ...env, githubApiUrl }, {}));
    // Started one after the other: both run the migrations at start-up on the shared database.
    const gateway = await startGateway("gateway", {}, config.gatewayPort);
    const unbatched = await startGateway("gateway-unbatched", { GITHUB_BATCHING: "off" });
    log(`emulator ${emulator.url} (latency ${config.upstreamLatencyMs} ms); gateway ${gateway.url.replace(/\/graphql$/, "")} (pid ${gateway.pid}; /metrics there); database ${resources.database.url}`);
    const tokens = await callers(env.jwtSecret);
    await connectKey(gateway.url, tokens.admin, key);
    const bystander = await callers(env.jwtSecret, BYSTANDER_TENANT);
    await connectKey(gateway.url, bystander.admin, bystanderKey);

    const ctx: BenchContext = { config, emulator, gateway, unbatched, startGateway, startGatewayOn, callers: tokens, bystander, key, direct: directClient(emulator.url, key), bystanderDirect: directClient(emulator.url, bystanderKey), log };
    const usedBefore = await emulator.rateLimitUsed();
    const cold = await warmUp(ctx);
    const fanout = await runFanout(ctx);
    const thread = await runThread(ctx);
    const concurrent = await runConcurrent(ctx);
    const overhead = await runOverhead(ctx);
    const memory = await runMemory(ctx);
    const mcp = await runMcp(ctx);
    const fleet = await runFleet(ctx);
    const githubLimits = await runGithubLimits(ctx);
    const usedDuringRun = (await emulator.rateLimitUsed()) - usedBefore;

    const partial = {
      upstreamLatencyMs: config.upstreamLatencyMs,
      date: new Date().toISOString(),
      command: commandLine("npm run bench", BENCH_SETTING_NAMES),
      trial,
      overrides,
      runSeconds: round((Date.now() - started) / 1000, 1),
      machine: machine(),
      loadAverage1: { start: loadAtStart, end: round(loadavg()[0], 2) },
      rateLimitUsedDuringRun: usedDuringRun,
      cold,
      fanout,
      overhead,
      concurrent,
      thread,
      memory,
      mcp,
      fleet,
      githubLimits,
    };
    const results: BenchResults = { ...partial, targets: checkTargets(partial, config) };
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(outDir, "latest.md"), markdown(results));
    process.stdout.write(`\n${markdown(results)}\n${targetSummary(results.targets, results).join("\n")}\n\n`);
    log(`wrote ${shown(join(outDir, "latest.json"))} and latest.md in ${results.runSeconds} s${trial ? " (a trial: the committed bench/results are untouched)" : ""}`);
  } finally {
    await cleanUp(resources);
  }
}

main().catch((e: unknown) => exitWith("bench", e));
