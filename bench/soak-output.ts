import type { Child } from "./processes";
import { round } from "./stats";

// What the gateway writes to stdout during the soak: its warn and error log lines (LOG_LEVEL=warn
// writes nothing else), counted by message, and, when it runs with --trace-gc, V8's line for each
// full (mark-compact) collection: the heap left after it is the live heap, which RSS only bounds
// from above (V8 keeps the pages it grew to). A climbing live heap is a leak; a climbing RSS over
// a flat live heap is the heap's size settling.

export interface HeapSample {
  seconds: number;
  /** Heap used after the collection, in MiB (V8 prints MB = MiB). */
  liveMiB: number;
  /** Heap committed after it. */
  committedMiB: number;
}

export interface GatewayOutput {
  logs: { byMessage: Record<string, number>; samples: string[] };
  heap: HeapSample[];
}

// e.g. "[123:0x5f1c0c0]  45210 ms: Mark-Compact 120.5 (150.2) -> 100.1 (148.0) MB, pooled: 0 MB, ..."
const MARK_COMPACT = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/;
const SCAVENGE = /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /;

/** Listens for the whole run; `seconds` is the soak's clock. */
export function watchGateway(child: Child, forMs: number, seconds: () => number): GatewayOutput {
  const out: GatewayOutput = { logs: { byMessage: {}, samples: [] }, heap: [] };
  const count = (key: string, line: string) => {
    out.logs.byMessage[key] = (out.logs.byMessage[key] ?? 0) + 1;
    if (out.logs.samples.length < 10) out.logs.samples.push(line.slice(0, 600));
  };
  child
    .firstLine((line) => {
      const gc = MARK_COMPACT.exec(line);
      if (gc) out.heap.push({ seconds: round(seconds(), 1), liveMiB: Number(gc[1]), committedMiB: Number(gc[2]) });
      else if (!SCAVENGE.test(line)) {
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string };
          if ((entry.level ?? 0) >= 40) count(`${entry.level} ${entry.msg ?? "?"}`, line);
        } catch {
          count("(not JSON)", line);
        }
      }
      return undefined; // never "found": this listener stays for the whole run
    }, forMs)
    .catch(() => undefined);
  return out;
}

/** The mean live heap after full collections in the same two windows as the RSS comparison. */
export function heapFigures(heap: readonly HeapSample[], early: [number, number], lateFrom: number) {
  const mean = (xs: HeapSample[]) => (xs.length ? round(xs.reduce((s, x) => s + x.liveMiB, 0) / xs.length, 1) : null);
  const earlyMiB = mean(heap.filter((h) => h.seconds >= early[0] && h.seconds < early[1]));
  const lateMiB = mean(heap.filter((h) => h.seconds > lateFrom));
  return {
    fullCollections: heap.length,
    earlyMeanLiveMiB: earlyMiB,
    lateMeanLiveMiB: lateMiB,
    liveGrowthRatio: earlyMiB && lateMiB ? round(lateMiB / earlyMiB, 3) : null,
    samples: heap,
  };
}
