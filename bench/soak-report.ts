import { cpus } from "node:os";
import { FAULT_KINDS, type SoakConfig } from "./soak-config";
import type { UpstreamTally } from "./soak-emulator";
import type { heapFigures } from "./soak-output";
import type { isolation, memoryFigures, perFault, recovery, requestFigures } from "./soak-tally";
import { round } from "./stats";

// The end of a soak run: its pass/fail checks, each judged or said not to be (and why), what the run
// covered, and the summary printed after it.

export interface SoakCheck {
  name: string;
  /** false: this run could not judge it (too short); it neither passes nor fails the run. */
  judged: boolean;
  passed: boolean | null;
  detail: string;
}

export type SoakResults = {
  runSeconds: number; sent: number; achievedRps: number; config: SoakConfig; passed: boolean;
  checks: SoakCheck[]; coverage: string[];
  requests: ReturnType<typeof requestFigures>; faults: ReturnType<typeof perFault>;
  isolation: ReturnType<typeof isolation>; recovery: ReturnType<typeof recovery>;
  memory: ReturnType<typeof memoryFigures> & { heap: ReturnType<typeof heapFigures> | null }; upstream: UpstreamTally; gatewayCpuMsPerRequest: number;
  loadAverage1: { mean: number; max: number }; schedulerMaxLagMs: number;
};

/** The two checks that decide the exit code: no unexpected answer, and RSS growth within bounds when the run is long enough to tell. */
export function soakChecks(config: SoakConfig, requests: SoakResults["requests"], memory: SoakResults["memory"]): SoakCheck[] {
  const unexpected = requests.byOutcome.unexpected ?? 0;
  const answers: SoakCheck = {
    name: "no unexpected answers",
    judged: requests.requests > 0,
    passed: requests.requests > 0 ? unexpected === 0 : null,
    detail: requests.requests > 0 ? `${unexpected} unexpected of ${requests.requests}` : "no request was answered",
  };
  const limit = `RSS growthRatio <= ${config.maxGrowthRatio}`;
  const rss: SoakCheck =
    memory.growthRatio === null
      ? { name: limit, judged: false, passed: null, detail: `${memory.notJudged ?? "no ratio"}; RSS ${memory.firstRssMiB} -> ${memory.lastRssMiB} MiB (peak ${memory.peakRssMiB}), shown only` }
      : {
          name: limit, judged: true, passed: memory.growthRatio <= config.maxGrowthRatio,
          detail: `${memory.growthRatio} (${memory.earlyMeanRssMiB} MiB at ${memory.warmupSeconds}-${memory.warmupSeconds + memory.windowSeconds} s -> ${memory.lateMeanRssMiB} MiB in the last ${memory.windowSeconds} s)`,
        };
  return [answers, rss];
}

/** What the run exercised, beside what a full soak does: figures that are reported, not pass/fail. */
export function coverage(faults: SoakResults["faults"], iso: SoakResults["isolation"], rec: SoakResults["recovery"]): string[] {
  const seen = FAULT_KINDS.filter((k) => faults.some((f) => f.kind === k));
  const missing = FAULT_KINDS.filter((k) => !seen.includes(k));
  const lines = [
    `fault kinds: ${seen.length} of ${FAULT_KINDS.length} exercised (${seen.join(", ") || "none"})` +
      (missing.length ? `; not exercised: ${missing.join(", ")} (a longer SOAK_MINUTES or shorter SOAK_FAULT_SECONDS reaches them)` : ""),
  ];
  const isolated = iso.filter((t) => t.otherTenantFault.total > 0).map((t) => t.tenant);
  lines.push(isolated.length === iso.length
    ? "isolation: observed for every tenant (requests while only another tenant's key was faulted)"
    : `isolation: not observed for tenant(s) ${iso.filter((t) => !isolated.includes(t.tenant)).map((t) => t.tenant).join(", ")} (no fault hit only another tenant's key while they ran)`);
  lines.push(rec.rows.length ? `recovery: ${rec.recovered} of ${rec.rows.length} (fault x tenant) recovered within ${rec.withinMs / 1000} s` : "recovery: not observed (no fault ended during the run)");
  return lines;
}

export function summary(r: SoakResults): string {
  const pct = (x: number | null) => (x === null ? "-" : `${round(x * 100, 1)}%`);
  const lines = [
    `Soak: ${r.runSeconds} s, ${r.sent} requests (${r.achievedRps}/s) from ${r.config.tenants} tenants; ${r.faults.length} faults.`,
    `Answers: ${JSON.stringify(r.requests.byOutcome)}; HTTP ${JSON.stringify(r.requests.byTransport)}; codes ${JSON.stringify(r.requests.byCode)}.`,
    `OK latency p50 ${r.requests.okLatency.p50Ms} ms, p99 ${r.requests.okLatency.p99Ms} ms; gateway CPU ${r.gatewayCpuMsPerRequest} ms per request; machine load average ${r.loadAverage1.mean} (max ${r.loadAverage1.max}) on ${cpus().length} cores; scheduler lag max ${r.schedulerMaxLagMs} ms.`,
  ];
  for (const [reason, n] of Object.entries(r.requests.unexpectedByReason)) lines.push(`  unexpected x${n}: ${reason}`);
  for (const f of r.faults) {
    lines.push(`Fault ${f.index} ${f.detail} on ${f.target === "all" ? "all" : `tenant ${f.target}`} at ${f.startS} s for ${f.seconds} s: ok by tenant ${f.okByTenant.map((x) => pct(x.rate)).join(" / ")}; ${JSON.stringify(f.codes)}`);
  }
  for (const t of r.isolation) {
    lines.push(`Tenant ${t.tenant}: ok ${pct(t.noFault.rate)} with no fault (${t.noFault.total}), ${pct(t.otherTenantFault.rate)} while another tenant is faulted (${t.otherTenantFault.total}), ${pct(t.ownFault.rate)} under its own faults (${t.ownFault.total})`);
  }
  lines.push(`Recovery within ${r.recovery.withinMs / 1000} s: ${r.recovery.recovered} recovered, ${r.recovery.notRecovered} not.`);
  const m = r.memory;
  lines.push(m.growthRatio === null
    ? `RSS: ${m.firstRssMiB} MiB at the start -> ${m.lastRssMiB} MiB at the end; peak ${m.peakRssMiB} MiB (growth not judged: ${m.notJudged ?? "?"}).`
    : `RSS: ${m.earlyMeanRssMiB} MiB (mean ${m.warmupSeconds}-${m.warmupSeconds + m.windowSeconds} s) -> ${m.lateMeanRssMiB} MiB (last ${m.windowSeconds} s): growthRatio ${m.growthRatio}; peak ${m.peakRssMiB} MiB.`);
  const heap = m.heap;
  if (heap) lines.push(`Live heap after full GCs (${heap.fullCollections}): ${heap.earlyMeanLiveMiB} -> ${heap.lateMeanLiveMiB} MiB, liveGrowthRatio ${heap.liveGrowthRatio} (not a pass/fail figure).`);
  lines.push(`Upstream: ${r.upstream.answered} requests, by status ${JSON.stringify(r.upstream.byStatus)}, by fault ${JSON.stringify(r.upstream.byFault)}.`);
  lines.push("", "Checks (they decide the exit code):");
  for (const c of r.checks) lines.push(`  ${c.judged ? `judged, ${c.passed ? "passed" : "FAILED"}` : "NOT JUDGED"}  ${c.name}: ${c.detail}`);
  // The soak shares the cores with whatever else runs: past them, client timeouts can be the machine's.
  if (r.loadAverage1.mean > cpus().length) {
    lines.push(`  note: the machine's load average was ${r.loadAverage1.mean} on ${cpus().length} cores (busy with more than this run): client timeouts and latency may be the machine's, not the gateway's; rerun on a quiet machine before reading them as the gateway's`);
  }
  lines.push("Coverage (reported, not pass/fail):", ...r.coverage.map((c) => `  ${c}`));
  return lines.join("\n");
}
