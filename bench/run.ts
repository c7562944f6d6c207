import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchConfig } from "./config";
import type { BenchContext } from "./context";
import { createBenchDatabase, type BenchDatabase } from "./database";
import { directClient } from "./direct";
import { startEmulator, type BenchEmulator } from "./emulator";
import { startBenchGateway, type BenchGateway, type GatewayEnv } from "./gateway";
import { callers, connectKey } from "./gateway-client";
import { checkTargets, machine, markdown, type BenchResults } from "./report";
import { runConcurrent } from "./scenarios/concurrent";
import { runFanout } from "./scenarios/fanout";
import { runMemory } from "./scenarios/memory";
import { runOverhead } from "./scenarios/overhead";
import { runThread } from "./scenarios/thread";
import { round } from "./stats";
import { BOT_LOGIN, classicKey, credentialKeys, jwtSecret, RATE_LIMIT_PER_HOUR } from "./world";

// `npm run bench`: the GitHub emulator (with upstream latency) and the gateway on a real PostgreSQL,
// as child processes; every case beside its baselines in the same run. See bench/README.md.

const RESULTS_DIR = join(__dirname, "../../bench/results");
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
  const started = Date.now();
  const config = benchConfig();
  const resources: Resources = { gateways: [] };
  const interrupt = () => void cleanUp(resources).finally(() => process.exit(130));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    const key = classicKey();
    resources.database = await createBenchDatabase(config.postgresAdminUrl);
    resources.dataDir = mkdtempSync(join(tmpdir(), "cg-bench-"));
    const emulator = await startEmulator({ latencyMs: config.upstreamLatencyMs, key, login: BOT_LOGIN, rateLimitPerHour: RATE_LIMIT_PER_HOUR });
    resources.emulator = emulator;
    const env: GatewayEnv = {
      databaseUrl: resources.database.url,
      githubApiUrl: emulator.url,
      jwtSecret: jwtSecret(),
      credentialKeys: credentialKeys(),
      dataDir: resources.dataDir,
    };
    const startGateway = async (name: string, extra: Record<string, string>) => {
      const gateway = await startBenchGateway(name, env, extra);
      resources.gateways.push(gateway);
      const stop = gateway.stop;
      return { ...gateway, stop: async () => {
        await stop();
        resources.gateways.splice(resources.gateways.indexOf(gateway), 1);
      } };
    };
    // Started one after the other: both run the migrations at start-up on the shared database.
    const gateway = await startGateway("gateway", {});
    const unbatched = await startGateway("gateway-unbatched", { GITHUB_BATCHING: "off" });
    log(`emulator ${emulator.url} (latency ${config.upstreamLatencyMs} ms); gateway pid ${gateway.pid}, unbatched pid ${unbatched.pid}; database ${resources.database.url}`);
    const tokens = await callers(env.jwtSecret);
    await connectKey(gateway.url, tokens.admin, key);

    const ctx: BenchContext = { config, emulator, gateway, unbatched, startGateway, callers: tokens, key, direct: directClient(emulator.url, key), log };
    const usedBefore = await emulator.rateLimitUsed();
    const fanout = await runFanout(ctx);
    const thread = await runThread(ctx);
    const concurrent = await runConcurrent(ctx);
    const overhead = await runOverhead(ctx);
    const memory = await runMemory(ctx);
    const usedDuringRun = (await emulator.rateLimitUsed()) - usedBefore;

    const partial = {
      upstreamLatencyMs: config.upstreamLatencyMs,
      date: new Date().toISOString(),
      command: "npm run bench",
      runSeconds: round((Date.now() - started) / 1000, 1),
      machine: machine(),
      rateLimitUsedDuringRun: usedDuringRun,
      fanout,
      overhead,
      concurrent,
      thread,
      memory,
    };
    const results: BenchResults = { ...partial, targets: checkTargets(partial) };
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(RESULTS_DIR, "latest.md"), markdown(results));
    process.stdout.write(`\n${markdown(results)}\n`);
    log(`wrote bench/results/latest.json and latest.md in ${results.runSeconds} s`);
  } finally {
    await cleanUp(resources);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
