import { join } from "node:path";
import type { RequestsReport } from "../test/github-emulator/admin-routes";
import { startChild, type Child } from "./processes";

// The GitHub emulator as a child process (dist/test/github-emulator/main.js) with the bench data,
// and a client for its admin routes (test/github-emulator/admin-routes.ts).

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
  /** The bench key's user's rate-limit `used` (GitHub's own counter, beside the sum of costs). */
  rateLimitUsed(): Promise<number>;
  stop(): Promise<void>;
}

async function getJson<T>(url: string, method: "GET" | "POST" = "GET"): Promise<T> {
  const response = await fetch(url, { method });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export async function startEmulator(o: { latencyMs: number; key: string; login: string; rateLimitPerHour: number }): Promise<BenchEmulator> {
  const child = startChild("github-emulator", join(__dirname, "../test/github-emulator/main.js"), {
    EMULATOR_PORT: "0",
    EMULATOR_LATENCY_MS: String(o.latencyMs),
    EMULATOR_RATE_LIMIT_PER_HOUR: String(o.rateLimitPerHour),
    EMULATOR_BENCH_DATA: "1",
    EMULATOR_KEYS: JSON.stringify([{ token: o.key, login: o.login, scopes: ["repo"] }]),
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
      // A request still unanswered would be missed: wait for the emulator to have answered all.
      for (let attempt = 0; ; attempt += 1) {
        const report = await getJson<RequestsReport>(`${admin}/requests?limit=0`);
        if (report.pending === 0 || attempt >= 100) {
          return { requests: report.count, points: report.points, failed: report.count - (report.byStatus["200"] ?? 0) };
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async rateLimitUsed() {
      return (await getJson<{ used: number }>(`${admin}/rate-limit?token=${encodeURIComponent(o.key)}`)).used;
    },
    stop: () => child.stop(),
  };
}
