import { join } from "node:path";
import autocannon from "autocannon";
import { signCallerToken } from "../src/auth/caller-token";
import { cpuMs, rssMiB, startChild } from "./processes";
import { round } from "./stats";

// The attacker's and the bystander's traffic for `npm run attack`: floods with a tally of what came back,
// and another workspace's ordinary requests timed, from a process of its own, while a flood runs.

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
  /** Median and 99th percentile latency of the bystander's requests as it saw them, and how many failed. */
  p50Ms: number;
  p99Ms: number;
  /** The gateway's own part of the p50: its Server-Timing total. */
  gatewayP50Ms: number;
  requests: number;
  failed: number;
}

/**
 * Another workspace's ordinary request, one after another with a short pause, for as long as `work` runs,
 * sent and timed from a process of its own (bench/attack-bystander.ts), apart from the floods' autocannon.
 */
export async function withBystander<T>(url: string, token: string, query: string, work: () => Promise<T>): Promise<{ value: T; bystander: Bystander }> {
  const probe = startChild("bystander", join(__dirname, "attack-bystander.js"), { BYSTANDER_URL: url, BYSTANDER_TOKEN: token, BYSTANDER_QUERY: query });
  try {
    await probe.firstLine((line) => (line === "ready" ? true : undefined), 30_000);
    const value = await work();
    const tally = probe.firstLine((line) => (line.startsWith("{") ? (JSON.parse(line) as Bystander) : undefined), 30_000);
    void probe.stop();
    return { value, bystander: await tally };
  } finally {
    await probe.stop();
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
