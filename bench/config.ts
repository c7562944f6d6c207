// What one `npm run bench` does, from the environment (defaults: the method). Smaller
// values make a quick smoke run, e.g. BENCH_MEMORY_REQUESTS=5000 BENCH_SECONDS=2.

type Env = Record<string, string | undefined>;

export interface BenchConfig {
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
  /** Rounds of the 200-clients case; the median round is reported. */
  concurrentRounds: number;
  memoryWarmupRequests: number;
  memoryRequests: number;
  memoryConnections: number;
  /** Where the gateway's database is created (and dropped) for the run. */
  postgresAdminUrl: string;
}

function int(env: Env, name: string, fallback: number, min = 0): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${text}"`);
  return value;
}

function sizes(env: Env, name: string, fallback: number[]): number[] {
  const text = env[name];
  if (!text) return fallback;
  const values = text.split(",").map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 250)) throw new Error(`${name} must list integers 1..250`);
  return values;
}

export function benchConfig(env: Env = process.env): BenchConfig {
  return {
    upstreamLatencyMs: int(env, "BENCH_UPSTREAM_LATENCY_MS", 30),
    repeats: int(env, "BENCH_REPEATS", 7, 1),
    fanoutSizes: sizes(env, "BENCH_FANOUT_SIZES", [1, 10, 50, 100, 250]),
    loadSeconds: int(env, "BENCH_SECONDS", 10, 1),
    saturationConnections: int(env, "BENCH_SATURATION_CONNECTIONS", 128, 1),
    concurrentClients: int(env, "BENCH_CONCURRENT_CLIENTS", 200, 1),
    concurrentRounds: int(env, "BENCH_CONCURRENT_ROUNDS", 5, 1),
    // V8 grows its heap to its working size over the first ~10 s of sustained load (the timeline in
    // the report shows it); a warm-up shorter than that measures heap sizing, not a leak.
    memoryWarmupRequests: int(env, "BENCH_MEMORY_WARMUP", 20000, 1),
    memoryRequests: int(env, "BENCH_MEMORY_REQUESTS", 100_000, 1),
    memoryConnections: int(env, "BENCH_MEMORY_CONNECTIONS", 64, 1),
    postgresAdminUrl: env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  };
}
