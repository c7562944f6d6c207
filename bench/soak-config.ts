import type { Fault } from "../github-emulator/types";
import { UsageError, type SettingHelp } from "./cli";
import { OP_NAMES, type OpName } from "./soak-ops";

// What one `npm run soak` does, from the environment, and its fault schedule: deterministic from
// SOAK_SEED, so two runs with the same knobs switch the same faults at the same seconds.

type Env = Record<string, string | undefined>;

export interface SoakConfig {
  minutes: number;
  /** Requests started per second, on a fixed schedule (open loop: a slow answer delays no later request). */
  rps: number;
  tenants: number;
  seed: number;
  /** Each fault-on and fault-off phase lasts between these many seconds. */
  faultSeconds: [number, number];
  /** The gateway's GITHUB_TIMEOUT_MS for the run; the client gives up at 3x this. */
  githubTimeoutMs: number;
  /**
   * The gateway's REQUEST_TIMEOUT_MS (a request's whole time on GitHub, queueing included): below the
   * client's timeout, as a deployment in front of such clients would set it (its default is 30 s).
   */
  requestTimeoutMs: number;
  clientTimeoutMs: number;
  /** The gateway's per-tenant limit, set high enough that a steady soak never reaches it. */
  tenantRateLimitPerMinute: number;
  /** After a fault ends, requests must succeed again within this many seconds (recovery). */
  recoverySeconds: number;
  /** RSS sampling; the first warmupSeconds are left out of the memory comparison. */
  sampleSeconds: number;
  warmupSeconds: number;
  /** Each of the two RSS windows needs this many seconds, or the memory check is "not judged" (a short run). */
  minMemoryWindowSeconds: number;
  /** Only these operations (SOAK_OPS=issuesBatch,card,...), to narrow down a finding; unset: the whole mix. */
  ops?: OpName[];
  /** Arguments written into each document's text instead of variables (SOAK_INLINE_ARGUMENTS=1; soak-ops.ts). */
  inlineArguments: boolean;
  /** Run the gateway with --trace-gc to read its live heap after full collections (SOAK_TRACE_GC=0: off). */
  traceGc: boolean;
  /** growthRatio above this fails the run. */
  maxGrowthRatio: number;
}

function num(env: Env, name: string, fallback: number, min: number): number {
  const text = env[name];
  if (text === undefined || text.trim() === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new UsageError(`${name} must be a number >= ${min}, got "${text}"`);
  return value;
}

function range(env: Env, name: string, fallback: [number, number]): [number, number] {
  const text = env[name];
  if (!text) return fallback;
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`${name} must be MIN-MAX seconds, e.g. 20-40, got "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

function opsFrom(text: string | undefined): OpName[] | undefined {
  if (!text) return undefined;
  const names = text.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !OP_NAMES.includes(n as OpName));
  if (unknown.length || names.length === 0) throw new UsageError(`SOAK_OPS must list some of ${OP_NAMES.join(", ")}; unknown: ${unknown.join(", ")}`);
  return names as OpName[];
}

export function soakConfig(env: Env = process.env): SoakConfig {
  const githubTimeoutMs = num(env, "SOAK_GITHUB_TIMEOUT_MS", 2000, 100);
  return {
    minutes: num(env, "SOAK_MINUTES", 10, 0.5),
    rps: num(env, "SOAK_RPS", 40, 1),
    tenants: 3,
    seed: num(env, "SOAK_SEED", 1, 0),
    faultSeconds: range(env, "SOAK_FAULT_SECONDS", [20, 40]),
    githubTimeoutMs,
    requestTimeoutMs: num(env, "SOAK_REQUEST_TIMEOUT_MS", 2 * githubTimeoutMs, 100),
    clientTimeoutMs: 3 * githubTimeoutMs,
    tenantRateLimitPerMinute: num(env, "SOAK_TENANT_RATE_LIMIT_PER_MINUTE", 100_000, 1),
    recoverySeconds: num(env, "SOAK_RECOVERY_SECONDS", 5, 1),
    sampleSeconds: 5,
    warmupSeconds: 60,
    minMemoryWindowSeconds: 30,
    ops: opsFrom(env.SOAK_OPS),
    inlineArguments: env.SOAK_INLINE_ARGUMENTS === "1",
    traceGc: env.SOAK_TRACE_GC !== "0",
    maxGrowthRatio: 1.1,
  };
}

/** What --help lists, each with its default as soakConfig computes it, and how to show a run's value. */
const SETTINGS: Array<{ name: string; meaning: string; value: (c: SoakConfig) => string }> = [
  { name: "SOAK_MINUTES", meaning: "length of the load, >= 0.5; the memory check needs >= 2, every fault kind 4 (or 1.5 with SOAK_FAULT_SECONDS=5-8)", value: (c) => String(c.minutes) },
  { name: "SOAK_RPS", meaning: "requests started per second (open loop), tenants in turn", value: (c) => String(c.rps) },
  { name: "SOAK_SEED", meaning: "seed of the operation mix and the fault schedule", value: (c) => String(c.seed) },
  { name: "SOAK_FAULT_SECONDS", meaning: "MIN-MAX seconds of each fault-off and fault-on phase", value: (c) => c.faultSeconds.join("-") },
  { name: "SOAK_GITHUB_TIMEOUT_MS", meaning: "the gateway's GITHUB_TIMEOUT_MS; the client gives up at 3x", value: (c) => String(c.githubTimeoutMs) },
  { name: "SOAK_REQUEST_TIMEOUT_MS", meaning: "the gateway's REQUEST_TIMEOUT_MS (default 2x SOAK_GITHUB_TIMEOUT_MS)", value: (c) => String(c.requestTimeoutMs) },
  { name: "SOAK_TENANT_RATE_LIMIT_PER_MINUTE", meaning: "the gateway's TENANT_RATE_LIMIT_PER_MINUTE, high enough to stay out of the way", value: (c) => String(c.tenantRateLimitPerMinute) },
  { name: "SOAK_RECOVERY_SECONDS", meaning: "after a fault ends, requests must succeed again within this many seconds", value: (c) => String(c.recoverySeconds) },
  { name: "SOAK_OPS", meaning: `only these operations, comma-separated: ${OP_NAMES.join(", ")}`, value: (c) => c.ops?.join(",") ?? "the whole mix" },
  { name: "SOAK_INLINE_ARGUMENTS", meaning: "1: values written into each document's text instead of variables", value: (c) => (c.inlineArguments ? "1" : "0") },
  { name: "SOAK_TRACE_GC", meaning: "0: the gateway without --trace-gc (no live-heap figures)", value: (c) => (c.traceGc ? "1" : "0") },
];

export const SOAK_SETTING_NAMES = SETTINGS.map((s) => s.name);

export function soakSettingsHelp(): SettingHelp[] {
  const defaults = soakConfig({});
  return SETTINGS.map((s) => ({ name: s.name, meaning: s.meaning, default: s.value(defaults) }));
}

/** The settings whose value differs from the full soak's, as NAME=value; none means the committed method. */
export function soakOverrides(config: SoakConfig): string[] {
  const defaults = soakConfig({});
  return SETTINGS.filter((s) => s.value(config) !== s.value(defaults)).map((s) => `${s.name}=${s.value(config)}`);
}

/** mulberry32: a small seeded generator, so the schedule and the operation mix repeat exactly. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FAULT_KINDS = ["slow", "status502", "reset", "rateLimited", "secondaryLimit"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  index: number;
  kind: FaultKind;
  /** A tenant's index (its key only), or "all". */
  target: number | "all";
  startS: number;
  endS: number;
  /** What the emulator is told, without the key (added when the fault is switched on). */
  fault: Fault;
}

function faultOf(kind: FaultKind, occurrence: number, githubTimeoutMs: number): Fault {
  switch (kind) {
    case "slow":
      // Answers late, well past the gateway's own timeout.
      return { kind: "delay", ms: 2 * githubTimeoutMs };
    case "status502":
      return { kind: "status", status: 502 };
    case "reset":
      return { kind: "drop" };
    case "rateLimited":
      // GitHub has been seen sending both type names (github-emulator/README.md). The budget resets
      // 3 s later: the gateway sends nothing for the key until then, so recovery follows the reset.
      return { kind: "rateLimited", errorType: occurrence % 2 === 0 ? "RATE_LIMITED" : "RATE_LIMIT", resetInSeconds: 3 };
    case "secondaryLimit": {
      // A short retry-after (the gateway may wait it out once within its timeout), one past the timeout,
      // and the HTTP 200 form. The gateway rests the key for the retry-after, so these stay within the
      // recovery window (a 60 s one would be honoured for 60 s after the fault ends).
      const variants = [
        { status: 403, retryAfterSeconds: 1 },
        { status: 429, retryAfterSeconds: 3 },
        { status: 200, retryAfterSeconds: 3 },
      ] as const;
      return { kind: "secondaryRateLimit", ...variants[occurrence % variants.length] };
    }
  }
}

/**
 * Off and on phases alternate, each lasting faultSeconds (random within the range, from the seed),
 * starting with an off phase. Kinds cycle in FAULT_KINDS order; targets alternate one tenant / all,
 * shifted by one every full cycle so that each kind meets both. The last fault ends early enough to
 * leave room to watch the recovery (2x recoverySeconds, at least 10 s).
 */
export function faultSchedule(config: SoakConfig): PlannedFault[] {
  const random = seeded(config.seed * 7919 + 17);
  const between = () => config.faultSeconds[0] + Math.round(random() * (config.faultSeconds[1] - config.faultSeconds[0]));
  const totalS = config.minutes * 60;
  const tail = Math.max(10, 2 * config.recoverySeconds);
  const plan: PlannedFault[] = [];
  let t = between();
  let tenant = 0;
  for (let index = 0; ; index += 1) {
    const startS = t;
    const endS = Math.min(startS + between(), totalS - tail);
    if (endS - startS < 5) break;
    const kind = FAULT_KINDS[index % FAULT_KINDS.length];
    const cycle = Math.floor(index / FAULT_KINDS.length);
    const target = (index + cycle) % 2 === 0 ? tenant++ % config.tenants : "all";
    const occurrence = plan.filter((p) => p.kind === kind).length;
    plan.push({ index, kind, target, startS, endS, fault: faultOf(kind, occurrence, config.githubTimeoutMs) });
    t = endS + between();
  }
  return plan;
}
