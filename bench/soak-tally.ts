import type { FaultKind } from "./soak-config";
import type { OpName, Outcome, Transport } from "./soak-ops";
import { percentile, round } from "./stats";

// Figures of a soak run, computed at the end from every request's record and the faults' actual
// on/off times (as the emulator acknowledged them, in ms from the start of the run).

export interface RequestRecord {
  i: number;
  tenant: number;
  op: OpName;
  upstream: boolean;
  startMs: number;
  ms: number;
  transport: Transport;
  outcome: Outcome;
  codes: string[];
  reason?: string;
}

export interface FaultWindow {
  index: number;
  kind: FaultKind;
  target: number | "all";
  detail: string;
  startMs: number;
  endMs: number;
}

interface Rate {
  ok: number;
  total: number;
  rate: number | null;
}

const rate = (ok: number, total: number): Rate => ({ ok, total, rate: total > 0 ? round(ok / total, 4) : null });
const inc = (map: Record<string, number>, key: string | number) => (map[key] = (map[key] ?? 0) + 1);
const hits = (f: FaultWindow, tenant: number) => f.target === "all" || f.target === tenant;
/** Requests started this long before a fault may meet it upstream (the batch window, the latency). */
const EDGE_MS = 1000;

type Phase = "ownFault" | "otherTenantFault" | "recovering" | "noFault";

function phaseOf(r: RequestRecord, faults: readonly FaultWindow[], recoveryMs: number): Phase {
  const active = faults.find((f) => r.startMs >= f.startMs && r.startMs < f.endMs);
  if (active) return hits(active, r.tenant) ? "ownFault" : "otherTenantFault";
  const near = faults.some((f) => hits(f, r.tenant) && ((r.startMs >= f.endMs && r.startMs < f.endMs + recoveryMs) || (r.startMs >= f.startMs - EDGE_MS && r.startMs < f.startMs)));
  return near ? "recovering" : "noFault";
}

function latency(records: readonly RequestRecord[]) {
  const ms = records.map((r) => r.ms).sort((a, b) => a - b);
  return { count: ms.length, p50Ms: round(percentile(ms, 50)), p90Ms: round(percentile(ms, 90)), p99Ms: round(percentile(ms, 99)), maxMs: round(ms[ms.length - 1] ?? 0) };
}

/** The first `each` records of every (normalised) reason, so one flood does not hide a rarer failure. */
function samplesByReason(records: readonly RequestRecord[], each: number): RequestRecord[] {
  const seen: Record<string, number> = {};
  return records.filter((r) => (seen[normalised(r)] = (seen[normalised(r)] ?? 0) + 1) <= each);
}
const normalised = (r: RequestRecord) => (r.reason ?? r.codes.join("+")).replace(/\d+/g, "N").slice(0, 120);

export function requestFigures(records: readonly RequestRecord[]) {
  const byOutcome: Record<string, number> = {};
  const byTransport: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  const unexpectedByReason: Record<string, number> = {};
  const byOp: Record<string, { sent: number; ok: number; expected: number; unexpected: number; okP50Ms: number; okP99Ms: number }> = {};
  for (const r of records) {
    inc(byOutcome, r.outcome);
    inc(byTransport, r.transport);
    for (const c of r.codes) inc(byCode, c);
    if (r.outcome === "unexpected") inc(unexpectedByReason, normalised(r));
    const op = (byOp[r.op] ??= { sent: 0, ok: 0, expected: 0, unexpected: 0, okP50Ms: 0, okP99Ms: 0 });
    op.sent += 1;
    op[r.outcome] += 1;
  }
  for (const [name, op] of Object.entries(byOp)) {
    const l = latency(records.filter((r) => r.op === name && r.outcome === "ok"));
    op.okP50Ms = l.p50Ms;
    op.okP99Ms = l.p99Ms;
  }
  return {
    requests: records.length,
    byOutcome,
    byTransport,
    byCode,
    byOp,
    unexpectedByReason,
    unexpectedSamples: samplesByReason(records.filter((r) => r.outcome === "unexpected"), 3),
    okLatency: latency(records.filter((r) => r.outcome === "ok")),
  };
}

/**
 * Per tenant, requests that reach GitHub: the success rate while another tenant's key alone is faulted
 * against no fault at all (isolation), and under its own faults. "recovering" (a grace period after
 * a fault that hit the tenant, and just before one) counts in neither. Not-ok answers while no fault is
 * on are listed by code: expected codes there are still worth a look.
 */
export function isolation(records: readonly RequestRecord[], faults: readonly FaultWindow[], tenants: number, recoveryMs: number) {
  return Array.from({ length: tenants }, (_, tenant) => {
    const mine = records.filter((r) => r.tenant === tenant && r.upstream);
    const by = (phase: Phase) => mine.filter((r) => phaseOf(r, faults, recoveryMs) === phase);
    const ok = (rs: RequestRecord[]) => rate(rs.filter((r) => r.outcome === "ok").length, rs.length);
    const quiet = by("noFault");
    const quietFailures: Record<string, number> = {};
    for (const r of quiet.filter((x) => x.outcome !== "ok")) inc(quietFailures, r.codes.join("+") || String(r.reason));
    return {
      tenant,
      noFault: ok(quiet),
      otherTenantFault: ok(by("otherTenantFault")),
      ownFault: ok(by("ownFault")),
      recovering: ok(by("recovering")),
      noFaultFailures: quietFailures,
      noFaultFailureSamples: samplesByReason(quiet.filter((x) => x.outcome !== "ok"), 3),
      noFaultOkP50Ms: latency(quiet.filter((r) => r.outcome === "ok")).p50Ms,
      otherTenantFaultOkP50Ms: latency(by("otherTenantFault").filter((r) => r.outcome === "ok")).p50Ms,
    };
  });
}

/**
 * For each fault and each tenant it hit: the requests started after it ended (until just before the next fault).
 * Recovered = some succeeded and none failed once recoveryMs had passed.
 */
export function recovery(records: readonly RequestRecord[], faults: readonly FaultWindow[], tenants: number, recoveryMs: number, runEndMs: number) {
  const rows = [];
  for (const [k, f] of faults.entries()) {
    // Up to just before the next fault (a request started then may meet it upstream).
    const until = faults[k + 1] ? faults[k + 1].startMs - EDGE_MS : runEndMs;
    for (let tenant = 0; tenant < tenants; tenant += 1) {
      if (!hits(f, tenant)) continue;
      const after = records.filter((r) => r.tenant === tenant && r.upstream && r.startMs >= f.endMs && r.startMs < until);
      const firstOk = after.find((r) => r.outcome === "ok");
      const failures = after.filter((r) => r.outcome !== "ok");
      const lastFailure = failures[failures.length - 1];
      const lastFailureAfterEndMs = lastFailure ? Math.round(lastFailure.startMs - f.endMs) : null;
      rows.push({
        fault: f.index, kind: f.kind, tenant,
        requestsAfter: after.length,
        failuresAfter: failures.length,
        firstOkAfterEndMs: firstOk ? Math.round(firstOk.startMs - f.endMs) : null,
        lastFailureAfterEndMs,
        recovered: firstOk !== undefined && (lastFailureAfterEndMs === null || lastFailureAfterEndMs < recoveryMs),
      });
    }
  }
  return { recovered: rows.filter((r) => r.recovered).length, notRecovered: rows.filter((r) => !r.recovered).length, withinMs: recoveryMs, rows };
}

/** Per fault: what each tenant's GitHub requests got while it was on. */
export function perFault(records: readonly RequestRecord[], faults: readonly FaultWindow[], tenants: number) {
  return faults.map((f) => {
    const during = records.filter((r) => r.upstream && r.startMs >= f.startMs && r.startMs < f.endMs);
    const codes: Record<string, number> = {};
    for (const r of during) for (const c of r.codes) inc(codes, c);
    return {
      index: f.index, kind: f.kind, target: f.target, detail: f.detail,
      startS: round(f.startMs / 1000, 1), seconds: round((f.endMs - f.startMs) / 1000, 1),
      okByTenant: Array.from({ length: tenants }, (_, t) => {
        const mine = during.filter((r) => r.tenant === t);
        return rate(mine.filter((r) => r.outcome === "ok").length, mine.length);
      }),
      unexpected: during.filter((r) => r.outcome === "unexpected").length,
      codes,
    };
  });
}

export interface MemorySample {
  seconds: number;
  rssMiB: number;
  cpuSeconds: number;
  /** The machine's 1-minute load average: the soak shares the cores with whatever else runs. */
  loadAvg1: number;
}

/**
 * Mean RSS over the first window after the warm-up against the mean over the last window. The
 * window is a minute, or half of what follows the warm-up when the run is shorter than 3 minutes
 * (a 2-minute run compares 60-90 s with 90-120 s). Windows shorter than minWindowSeconds are not
 * judged (growthRatio null, `notJudged` says why): the first minute is V8 sizing its heap, so a
 * shorter run would pass or fail on that, not on a leak. Its first, peak and last RSS are still shown.
 */
export function memoryFigures(samples: readonly MemorySample[], runSeconds: number, warmupSeconds: number, minWindowSeconds: number) {
  const windowS = Math.min(60, (runSeconds - warmupSeconds) / 2);
  const judged = windowS >= minWindowSeconds;
  const mean = (xs: MemorySample[]) => (xs.length ? xs.reduce((s, x) => s + x.rssMiB, 0) / xs.length : NaN);
  const early = judged ? samples.filter((s) => s.seconds >= warmupSeconds && s.seconds < warmupSeconds + windowS) : [];
  const late = judged ? samples.filter((s) => s.seconds > runSeconds - windowS) : [];
  const earlyMiB = mean(early);
  const lateMiB = mean(late);
  const ratio = earlyMiB > 0 && lateMiB > 0 ? round(lateMiB / earlyMiB, 3) : null;
  const neededMinutes = round((warmupSeconds + 2 * minWindowSeconds) / 60, 2);
  const notJudged = !judged
    ? `the run was too short: it needs SOAK_MINUTES >= ${neededMinutes} (a ${warmupSeconds} s warm-up, then two windows of at least ${minWindowSeconds} s to compare); this run had ${round(runSeconds / 60, 2)}`
    : ratio === null
      ? "no RSS samples in a window to compare"
      : undefined;
  return {
    warmupSeconds,
    windowSeconds: round(Math.max(0, windowS), 1),
    earlyMeanRssMiB: judged ? round(earlyMiB, 1) : null,
    earlySamples: early.length,
    lateMeanRssMiB: judged ? round(lateMiB, 1) : null,
    lateSamples: late.length,
    growthRatio: ratio,
    ...(notJudged ? { notJudged } : {}),
    firstRssMiB: round(samples[0]?.rssMiB ?? NaN, 1),
    lastRssMiB: round(samples[samples.length - 1]?.rssMiB ?? NaN, 1),
    peakRssMiB: round(Math.max(...samples.map((s) => s.rssMiB)), 1),
    samples: samples.map((s) => ({ ...s, rssMiB: round(s.rssMiB, 1), cpuSeconds: round(s.cpuSeconds, 2), loadAvg1: round(s.loadAvg1, 2) })),
  };
}
