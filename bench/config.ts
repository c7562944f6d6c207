import { UsageError, type SettingHelp } from "./cli";

// What one `npm run bench` does, from the environment (defaults: the method), and --quick's
// shorter defaults. SETTINGS is both what benchConfig reads and what --help lists, so the two agree.

type Env = Record<string, string | undefined>;

export interface BenchMethod {
  /** Added by the emulator before every answer, like the network and GitHub's own time. */
  upstreamLatencyMs: number;
  /** Single-request cases (fan-out, thread) run this many times; the median is reported. */
  repeats: number;
  fanoutSizes: number[];
  /** Seconds per autocannon run of the overhead case (each of 1, 50 clients and saturation, gateway and direct). */
  loadSeconds: number;
  /** Connections that saturate the gateway (and the emulator, for the direct figure). */
  saturationConnections: number;
  concurrentClients: number;
  /** Rounds of the 200-clients case and of each side of the MCP case; the median round is reported. */
  concurrentRounds: number;
  memoryWarmupRequests: number;
  memoryRequests: number;
  memoryConnections: number;
  /** LOG_LEVEL of every gateway the runs start (bench, soak, attack); below warn it writes a line per request. */
  gatewayLogLevel: string;
}

export interface BenchConfig extends BenchMethod {
  /** --quick: the shorter defaults below; targets whose case ran short are "not judged" (report.ts). */
  quick: boolean;
  /** Where the gateway's database is created (and dropped) for the run. */
  postgresAdminUrl: string;
  /** 0: a free port. Pinned, e.g. to watch the gateway's /metrics while the run goes on. */
  gatewayPort: number;
  emulatorPort: number;
}

export const FULL: BenchMethod = {
  upstreamLatencyMs: 30,
  repeats: 7,
  fanoutSizes: [1, 10, 50, 100, 250],
  loadSeconds: 10,
  saturationConnections: 128,
  concurrentClients: 200,
  concurrentRounds: 5,
  // V8 grows its heap to its working size over the first ~10 s of sustained load (the timeline in
  // the report shows it); a warm-up shorter than that measures heap sizing, not a leak.
  memoryWarmupRequests: 20000,
  memoryRequests: 100_000,
  memoryConnections: 64,
  gatewayLogLevel: "warn",
};

/** Short where length buys precision; the fan-out and 200-client cases stay whole, so their targets are still judged. */
export const QUICK: BenchMethod = { ...FULL, repeats: 3, fanoutSizes: [1, 10, 100], loadSeconds: 2, memoryWarmupRequests: 2000, memoryRequests: 5000 };

type Kind = "int" | "int>=1" | "sizes" | "text";
const METHOD: Array<{ env: string; key: keyof BenchMethod; kind: Kind; meaning: string }> = [
  { env: "BENCH_UPSTREAM_LATENCY_MS", key: "upstreamLatencyMs", kind: "int", meaning: "ms the emulator waits before every answer" },
  { env: "BENCH_REPEATS", key: "repeats", kind: "int>=1", meaning: "timed repetitions of the fan-out and thread cases (median reported)" },
  { env: "BENCH_FANOUT_SIZES", key: "fanoutSizes", kind: "sizes", meaning: "fan-out sizes N, comma-separated, 1..250 (the target reads N = 100)" },
  { env: "BENCH_SECONDS", key: "loadSeconds", kind: "int>=1", meaning: "seconds of each autocannon run in the overhead case (6 runs)" },
  { env: "BENCH_SATURATION_CONNECTIONS", key: "saturationConnections", kind: "int>=1", meaning: "connections of the overhead case's saturation runs" },
  { env: "BENCH_CONCURRENT_CLIENTS", key: "concurrentClients", kind: "int>=1", meaning: "client requests sent at once in the many-clients case" },
  { env: "BENCH_CONCURRENT_ROUNDS", key: "concurrentRounds", kind: "int>=1", meaning: "rounds of the many-clients case and of each side of the MCP case (median reported)" },
  { env: "BENCH_MEMORY_WARMUP", key: "memoryWarmupRequests", kind: "int>=1", meaning: "warm-up requests before the first memory reading" },
  { env: "BENCH_MEMORY_REQUESTS", key: "memoryRequests", kind: "int>=1", meaning: "requests between the two memory readings" },
  { env: "BENCH_MEMORY_CONNECTIONS", key: "memoryConnections", kind: "int>=1", meaning: "connections of the memory case" },
  { env: "BENCH_GATEWAY_LOG_LEVEL", key: "gatewayLogLevel", kind: "text", meaning: "the gateways' LOG_LEVEL (info and below log every request)" },
];

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** Settings that say where, not what: they never make a run a trial. Shared by bench, soak and attack. */
export function whereSettings(gateway = "the gateway's port"): SettingHelp[] {
  return [
    { name: "BENCH_POSTGRES_URL", default: DEFAULT_POSTGRES_URL, meaning: "admin URL; the run creates a database cg_bench_<random> there and drops it after" },
    { name: "BENCH_GATEWAY_PORT", default: "0, a free port", meaning: `pin ${gateway}, e.g. to watch http://127.0.0.1:PORT/metrics during the run (below 32768, where other processes' free ports do not land)` },
    { name: "BENCH_EMULATOR_PORT", default: "0, a free port", meaning: "pin the GitHub emulator's port (its admin routes: /_emulator/requests, /_emulator/rate-limit)" },
  ];
}

const shownValue = (v: BenchMethod[keyof BenchMethod]) => (Array.isArray(v) ? v.join(",") : String(v));

/** The bench's measuring settings for --help, with the full and the --quick default. */
export function benchSettingsHelp(names?: readonly string[]): SettingHelp[] {
  return METHOD.filter((m) => !names || names.includes(m.env)).map((m) => {
    const full = shownValue(FULL[m.key]);
    const quick = shownValue(QUICK[m.key]);
    return { name: m.env, meaning: m.meaning, default: quick === full ? full : `${full}; --quick ${quick}` };
  });
}

export const BENCH_SETTING_NAMES = [...METHOD.map((m) => m.env), ...whereSettings().map((s) => s.name)];

function read(env: Env, m: (typeof METHOD)[number], fallback: BenchMethod[keyof BenchMethod]): BenchMethod[keyof BenchMethod] {
  const text = env[m.env];
  if (text === undefined || text.trim() === "") return fallback;
  if (m.kind === "text") return text.trim();
  if (m.kind === "sizes") {
    const values = text.split(",").map((s) => Number(s.trim()));
    if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 250)) throw new UsageError(`${m.env} must list integers 1..250, got "${text}"`);
    return values;
  }
  const min = m.kind === "int" ? 0 : 1;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${m.env} must be an integer >= ${min}, got "${text}"`);
  return value;
}

export function port(env: Env, name: string): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new UsageError(`${name} must be a port 0..65535 (0: a free one), got "${text}"`);
  return value;
}

export function benchConfig(env: Env = process.env, o: { quick?: boolean } = {}): BenchConfig {
  const defaults = o.quick ? QUICK : FULL;
  const method = { ...defaults };
  for (const m of METHOD) (method as Record<string, unknown>)[m.key] = read(env, m, defaults[m.key]);
  const gatewayPort = port(env, "BENCH_GATEWAY_PORT");
  const emulatorPort = port(env, "BENCH_EMULATOR_PORT");
  if (gatewayPort !== 0 && gatewayPort === emulatorPort) throw new UsageError(`BENCH_GATEWAY_PORT and BENCH_EMULATOR_PORT are both ${gatewayPort}; they need two ports`);
  return { ...method, quick: o.quick ?? false, postgresAdminUrl: env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL, gatewayPort, emulatorPort };
}

/** The measuring settings that differ from the full run's, as NAME=value; none means the committed method. */
export function benchOverrides(config: BenchMethod): string[] {
  return METHOD.filter((m) => shownValue(config[m.key]) !== shownValue(FULL[m.key])).map((m) => `${m.env}=${shownValue(config[m.key])}`);
}
