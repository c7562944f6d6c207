import autocannon from "autocannon";
import { signCallerToken } from "../src/auth/caller-token";
import { cpuMs, rssMiB, sleep } from "./processes";
import { percentile, round } from "./stats";

// The attacker's and the bystander's traffic for `npm run attack`: floods with a tally of what came back,
// and another workspace's ordinary requests timed while a flood runs.

export interface FloodResult {
  requests: number;
  seconds: number;
  /** Answers by HTTP status ("200", "400", "429", ...). */
  byStatus: Record<string, number>;
  errors: number;
}

export interface FloodOptions {
  url: string;
  /** Request i's caller token and body. */
  request: (i: number) => { token: string; body: string };
  connections: number;
  amount?: number;
  seconds?: number;
}

/** Sends the flood with autocannon, counting answers by status. */
export async function flood(o: FloodOptions): Promise<FloodResult> {
  let next = 0;
  const byStatus: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        method: "POST",
        connections: o.connections,
        ...(o.amount !== undefined ? { amount: o.amount } : { duration: o.seconds ?? 10 }),
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const { token, body } = o.request(next++);
              return { ...request, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body };
            },
          },
        ],
      },
      (error: unknown, r: autocannon.Result) => (error ? reject(error) : resolve(r)),
    );
    instance.on("response", (_client, status) => (byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1));
  });
  const requests = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return { requests, seconds: round(result.duration), byStatus, errors: result.errors + result.timeouts };
}

export interface Bystander {
  /** Median and 99th percentile latency of the bystander's requests, and how many failed. */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  failed: number;
}

/** Another workspace's ordinary request, one after another with a short pause, for as long as `work` runs. */
export async function withBystander<T>(url: string, token: string, query: string, work: () => Promise<T>): Promise<{ value: T; bystander: Bystander }> {
  let running = true;
  const latencies: number[] = [];
  let failed = 0;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
        const body = (await response.json()) as { errors?: unknown };
        if (!response.ok || body.errors) failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - started);
      await sleep(20);
    }
  })();
  try {
    const value = await work();
    return { value, bystander: summary() };
  } finally {
    running = false;
    await probe;
  }

  function summary(): Bystander {
    const sorted = [...latencies].sort((a, b) => a - b);
    return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), requests: sorted.length, failed };
  }
}

/** The gateway process's CPU seconds and resident memory around `work`, its memory sampled while it runs. */
export async function watched<T>(pid: number, work: () => Promise<T>): Promise<{ value: T; cpuSeconds: number; rssBeforeMiB: number; rssPeakMiB: number; rssAfterMiB: number }> {
  const cpuBefore = cpuMs(pid);
  const rssBeforeMiB = rssMiB(pid);
  let rssPeakMiB = rssBeforeMiB;
  const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(pid))), 250);
  try {
    const value = await work();
    const rssAfterMiB = rssMiB(pid);
    rssPeakMiB = Math.max(rssPeakMiB, rssAfterMiB);
    return { value, cpuSeconds: round((cpuMs(pid) - cpuBefore) / 1000), rssBeforeMiB: round(rssBeforeMiB, 1), rssPeakMiB: round(rssPeakMiB, 1), rssAfterMiB: round(rssAfterMiB, 1) };
  } finally {
    clearInterval(sampler);
  }
}

/** A caller token of the given workspace and role, signed with the gateway's secret (any caller can hold one). */
export const callerToken = (secret: string, tenant: string, role: "admin" | "member" | "service") => signCallerToken({ tenant, role, sub: `attack-${role}` }, secret);
