import { scrubText } from "../secrets/key-scrubber";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Operation names are the caller's words: only plain names that are not shaped like a key become labels, and only so many. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 200;

/**
 * The gateway's Prometheus metrics, one registry per gateway (tests run several in one process).
 * Labels never carry a key, a tenant's name or anything else a caller chose freely.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  readonly requestDuration = new Histogram({
    name: "gateway_graphql_request_duration_seconds",
    help: "GraphQL requests by operation name and outcome (ok, or the first error's code).",
    labelNames: ["operation", "outcome"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: "gateway_github_requests_total",
    help: "HTTP requests sent to GitHub, by API and answer (HTTP status, or timeout/network).",
    labelNames: ["api", "status"] as const,
    registers: [this.registry],
  });

  readonly batchLookups = new Histogram({
    name: "gateway_github_batch_lookups",
    help: "Look-ups folded into each upstream GraphQL document.",
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });

  readonly upstreamErrors = new Counter({
    name: "gateway_github_errors_total",
    help: "Upstream calls that failed, by the contract's error code.",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });

  readonly pointsRemaining = new Gauge({
    name: "gateway_github_rate_limit_remaining",
    help: "GitHub points left in the current window, per integration, as of its latest answer.",
    labelNames: ["integration"] as const,
    registers: [this.registry],
  });

  readonly keyReads = new Counter({
    name: "gateway_key_reads_total",
    help: "Workspace keys handed to requests, by where they came from: memory (kept while key changes are heard) or database.",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });

  readonly keyChangesHeard = new Gauge({
    name: "gateway_key_changes_listening",
    help: "1 while this instance hears every key change through PostgreSQL and may keep keys in memory; 0 while it reads the key on every request.",
    registers: [this.registry],
  });

  readonly sharedLimits = new Gauge({
    name: "gateway_shared_limits",
    help: "1 while this instance's limits are shared through Redis (REDIS_URL); 0 while it enforces its own, Redis being unset, away or slow.",
    registers: [this.registry],
  });

  readonly sharedLimitFallbacks = new Counter({
    name: "gateway_shared_limit_fallbacks_total",
    help: "Limit checks this instance decided alone because Redis did not answer within REDIS_TIMEOUT_MS or was away.",
    labelNames: ["limit"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  operationLabel(name: string | null | undefined): string {
    if (!name) return "anonymous";
    if (this.operations.has(name)) return name;
    if (!OPERATION_NAME.test(name) || scrubText(name) !== name || this.operations.size >= MAX_OPERATION_LABELS) return "other";
    this.operations.add(name);
    return name;
  }
}
