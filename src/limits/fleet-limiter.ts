import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { SharedLimitsLink } from "./shared-limits";

export interface FleetLimiterOptions {
  /** What the metric of its fallbacks names it (`gateway_shared_limit_fallbacks_total{limit}`). */
  name: string;
  points: number;
  durationS: number;
  /** Redis keys: `cg:<name>:<key>`. */
  keyPrefix: string;
}

/** A refusal: no points left for `msBeforeNext` ms. */
export { RateLimiterRes as LimitReached };

/**
 * A rate limit that is one for every instance while Redis answers (rate-limiter-flexible's Redis limiter),
 * and the instance's own in memory otherwise: without REDIS_URL, or while Redis is away, slower than
 * REDIS_TIMEOUT_MS or failing. Only a refusal passes through from Redis: any other failure is not a free
 * pass but the local limiter's decision, counted as a fallback.
 */
export class FleetLimiter {
  private readonly local: RateLimiterMemory;
  private readonly shared?: RateLimiterAbstract;

  constructor(private readonly o: FleetLimiterOptions, private readonly link?: SharedLimitsLink) {
    const common = { points: o.points, duration: o.durationS };
    this.local = new RateLimiterMemory({ ...common, keyPrefix: o.keyPrefix });
    if (link) this.shared = new RateLimiterRedis({ ...common, storeClient: link.client, keyPrefix: `cg:${o.keyPrefix}`, rejectIfRedisNotReady: true });
  }

  /** Takes `points` for `key`, or rejects with LimitReached (its msBeforeNext says when to try again). */
  async consume(key: string, points: number): Promise<void> {
    if (this.shared && this.link?.available) {
      try {
        await this.shared.consume(key, points);
        return;
      } catch (e) {
        if (e instanceof RateLimiterRes) throw e;
        this.link.fellBack(this.o.name);
      }
    } else if (this.link) this.link.fellBack(this.o.name);
    await this.local.consume(key, points);
  }
}
