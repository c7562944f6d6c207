import { Redis } from "ioredis";
import type { Logger } from "../logger";
import type { GatewayMetrics } from "../observability/metrics";

/** How long Redis may take to accept a connection before this instance counts it as away. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Reconnection back-off (ioredis counts attempts from 1): from 100 ms, doubling, at most 2 s apart, for as long as it takes. */
const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt - 1, 5), 2_000);

/**
 * This instance's link to the Redis its limits are shared through (REDIS_URL). Nothing waits for Redis: a
 * command is never queued while the link is down (`enableOfflineQueue: false`, it fails at once) and never
 * waits past REDIS_TIMEOUT_MS (`commandTimeout`), so a limit asks `available` and falls back to the instance's
 * own when Redis is away or slow. The change between shared and per-instance limits is logged once each way and
 * shown as `gateway_shared_limits`.
 */
export class SharedLimitsLink {
  readonly client: Redis;
  /** Undefined until the first connection attempt ends either way, so that start-up logs which it is. */
  private shared?: boolean;
  /** Set by close(): the link going down then is the instance's own shutdown, not Redis going away. */
  private closing = false;

  constructor(url: string, timeoutMs: number, private readonly log: Logger, private readonly metrics: GatewayMetrics) {
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      commandTimeout: timeoutMs,
      connectTimeout: CONNECT_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: reconnectDelay,
      // A Redis that is down at start-up is the same as one that goes away later: limits start per instance.
      lazyConnect: false,
    });
    metrics.sharedLimits.set(0);
    this.client.on("ready", () => this.become(true));
    this.client.on("close", () => this.become(false));
    // ioredis reports every failed reconnection as an error event; the state change above is what is logged.
    this.client.on("error", () => undefined);
  }

  /** Whether a limit should ask Redis now; false while the link is down (the instance's own limit decides). */
  get available(): boolean {
    return this.client.status === "ready";
  }

  /** A shared limit was decided by the instance alone: Redis away, slow past REDIS_TIMEOUT_MS, or failing. */
  fellBack(limit: string): void {
    this.metrics.sharedLimitFallbacks.inc({ limit });
  }

  close(): void {
    this.closing = true;
    this.client.disconnect();
  }

  private become(shared: boolean): void {
    if (shared === this.shared || this.closing) return;
    this.shared = shared;
    this.metrics.sharedLimits.set(shared ? 1 : 0);
    if (shared) this.log.info("limits are shared through Redis");
    else this.log.warn("Redis is away: this instance enforces its own limits until it is back");
  }
}
