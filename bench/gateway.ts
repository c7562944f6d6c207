import { join } from "node:path";
import { freePort, sleep, startChild, type Child } from "./processes";

// A gateway process (dist/src/main.js) on the run's PostgreSQL, pointed at the emulator.

export interface BenchGateway {
  name: string;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  pid: number;
  child: Child;
  stop(): Promise<void>;
}

export interface GatewayEnv {
  databaseUrl: string;
  githubApiUrl: string;
  jwtSecret: string;
  credentialKeys: string;
  dataDir: string;
  /** LOG_LEVEL (BENCH_GATEWAY_LOG_LEVEL). */
  logLevel: string;
}

/** The URL of pino's `"msg":"gateway listening"` line (printed only at LOG_LEVEL=info or lower). */
function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === "gateway listening" && typeof entry.url === "string" ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`no answer from ${base}/healthz`);
}

/**
 * Starts one gateway, on `pinnedPort` (BENCH_GATEWAY_PORT, checked free before the run) or, when 0, on a
 * port chosen here. At LOG_LEVEL=warn (so that no line is written per request) it does not log its URL,
 * so readiness is its /healthz answering, or the "gateway listening" line when a lower LOG_LEVEL prints it.
 */
export async function startBenchGateway(name: string, env: GatewayEnv, extra: Record<string, string> = {}, pinnedPort = 0): Promise<BenchGateway> {
  const port = pinnedPort || (await freePort());
  const child = startChild(name, join(__dirname, "../src/main.js"), {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: env.databaseUrl,
    GITHUB_API_URL: env.githubApiUrl,
    AUTH_JWT_SECRET: env.jwtSecret,
    CREDENTIAL_KEYS: env.credentialKeys,
    DATA_DIR: env.dataDir,
    LOG_LEVEL: env.logLevel,
    // The benchmark measures throughput, not the per-tenant budget (tested in query-limits.test.ts).
    TENANT_RATE_LIMIT_PER_MINUTE: "100000000",
    ...extra,
    // As `npm start` runs it (package.json): V8's young generation up to 64 MiB a semi-space, so that more of
    // a request's short-lived objects die there (bench/README.md, "The young generation"); beside the soak's --require.
    NODE_OPTIONS: ["--max-semi-space-size=64", extra.NODE_OPTIONS].filter(Boolean).join(" "),
  });
  const base = `http://127.0.0.1:${port}`;
  const timeoutMs = 60_000;
  const url = await Promise.race([
    child.firstLine(listeningUrl, timeoutMs),
    healthy(base, Date.now() + timeoutMs).then(() => `${base}/graphql`),
    child.exited,
  ]);
  return { name, url, pid: child.pid, child, stop: () => child.stop() };
}
