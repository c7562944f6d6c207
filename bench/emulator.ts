import { join } from "node:path";
import type { RequestsReport } from "../github-emulator/admin-routes";
import { startChild, type Child } from "./processes";

// The GitHub emulator as a child process (dist/github-emulator/main.js) with the bench data,
// and a client for its admin routes (github-emulator/admin-routes.ts).

export interface UpstreamWindow {
  /** Upstream HTTP requests since the last reset. */
  requests: number;
  /** GitHub rate-limit points they cost (the emulator's accounting). */
  points: number;
  /** Answers other than 200 (none expected). */
  failed: number;
}

export interface BenchEmulator {
  url: string;
  child: Child;
  resetRequests(): Promise<void>;
  window(): Promise<UpstreamWindow>;
  /** The bench key's user's rate-limit `used` (GitHub's own counter, beside the sum of costs); GraphQL's unless `core` (REST) is asked. */
  rateLimitUsed(resource?: "graphql" | "core"): Promise<number>;
  /** REST requests since the last reset: each draws 1 from `core`, a budget apart from GraphQL's points. */
  restRequests(): Promise<number>;
  /** The most of the bench key's requests in flight at once since `resetPeakInFlight` (the emulator's own count). */
  peakInFlight(): Promise<number>;
  resetPeakInFlight(): Promise<void>;
  stop(): Promise<void>;
}

const QUIET_MS = 100;
/** GitHub's GraphQL endpoint, and GitHub Enterprise Server's (github-emulator/server.ts routes both). */
const GRAPHQL_PATH = /^(\/api)?\/graphql\/?$/;
const SETTLE_LIMIT_MS = 30_000;

async function getJson<T>(url: string, method: "GET" | "POST" = "GET"): Promise<T> {
  const response = await fetch(url, { method });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** `port` 0: a free one (BENCH_EMULATOR_PORT pins it). */
/** `otherKeys`: more keys of the same user, for other workspaces (case 7's bystander); `key` is the one the admin routes read. */
/** `githubLimits`: keep GitHub's secondary limits (case 8); the other cases' emulator has them off. */
export async function startEmulator(o: { latencyMs: number; key: string; otherKeys?: string[]; login: string; rateLimitPerHour: number; port: number; name?: string; githubLimits?: boolean }): Promise<BenchEmulator> {
  const child = startChild(o.name ?? "github-emulator", join(__dirname, "../github-emulator/main.js"), {
    EMULATOR_PORT: String(o.port),
    EMULATOR_LATENCY_MS: String(o.latencyMs),
    EMULATOR_RATE_LIMIT_PER_HOUR: String(o.rateLimitPerHour),
    EMULATOR_BENCH_DATA: "1",
    // The load cases send thousands of requests a second from one key, which GitHub's secondary limits would
    // refuse: the benchmark measures the gateway's own cost, so its GitHub has none (bench/README.md),
    // but for case 8, which measures what GitHub's limits leave of those direct calls.
    ...(o.githubLimits ? {} : { EMULATOR_SECONDARY_LIMITS: "off" }),
    EMULATOR_KEYS: JSON.stringify([o.key, ...(o.otherKeys ?? [])].map((token) => ({ token, login: o.login, scopes: ["repo"] }))),
  });
  const url = await child.firstLine((line) => {
    try {
      const parsed = JSON.parse(line) as { url?: unknown };
      return typeof parsed.url === "string" ? parsed.url : undefined;
    } catch {
      return undefined;
    }
  }, 30_000);
  const admin = `${url}/_emulator`;
  return {
    url,
    child,
    async resetRequests() {
      await getJson(`${admin}/reset-requests`, "POST");
    },
    async window() {
      // Wait until the emulator has answered everything and nothing new arrived for QUIET_MS: a load
      // run stopped by its duration leaves requests the gateway still finishes upstream, and they
      // belong to this window (not to the next one, whose budget reading they would skew).
      let last = -1;
      for (let waited = 0; ; waited += QUIET_MS) {
        const report = await getJson<RequestsReport>(`${admin}/requests?limit=0`);
        if ((report.pending === 0 && report.total === last) || waited > SETTLE_LIMIT_MS) {
          return { requests: report.count, points: report.points, failed: report.count - (report.byStatus["200"] ?? 0) };
        }
        last = report.total;
        await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      }
    },
    async rateLimitUsed(resource = "graphql") {
      return (await getJson<{ used: number }>(`${admin}/rate-limit?token=${encodeURIComponent(o.key)}&resource=${resource}`)).used;
    },
    async restRequests() {
      const report = await getJson<RequestsReport>(`${admin}/requests?limit=1000000`);
      return report.requests.filter((r) => !GRAPHQL_PATH.test(r.path)).length;
    },
    async peakInFlight() {
      return (await getJson<{ peak: number }>(`${admin}/peak-in-flight?token=${encodeURIComponent(o.key)}`)).peak;
    },
    async resetPeakInFlight() {
      await getJson(`${admin}/reset-peak-in-flight`, "POST");
    },
    stop: () => child.stop(),
  };
}
