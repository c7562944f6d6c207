import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { ErrorCode, GatewayError } from "../errors";
import type { SharedLimitsLink } from "./shared-limits";

const DURATION_S = 60;

/**
 * Each tenant's budget: request units per minute, a request costing 1 plus the GitHub look-ups it may make,
 * so one workspace's flood cannot take the gateway or the upstream capacity from the others. With REDIS_URL
 * the budget is one for every instance (rate-limiter-flexible's Redis limiter); without it, or while Redis is
 * away or slower than REDIS_TIMEOUT_MS, each instance keeps its own in memory, so N instances then allow N
 * times the figure (README, "Running several instances").
 */
export class TenantRateLimit {
  private readonly local: RateLimiterMemory;
  private readonly shared?: RateLimiterAbstract;

  constructor(readonly perMinute: number, private readonly link?: SharedLimitsLink) {
    this.local = new RateLimiterMemory({ points: perMinute, duration: DURATION_S, keyPrefix: "tenant" });
    if (link) this.shared = new RateLimiterRedis({ storeClient: link.client, points: perMinute, duration: DURATION_S, keyPrefix: "cg:tenant", rejectIfRedisNotReady: true });
  }

  /** Takes `units` from the tenant's budget, or throws GATEWAY_RATE_LIMITED with the seconds until it refills. */
  async take(tenant: string, units: number): Promise<void> {
    const points = Math.min(units, this.perMinute);
    try {
      await this.consume(tenant, points);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new GatewayError(
        ErrorCode.GATEWAY_RATE_LIMITED,
        `This workspace has used its request budget on the gateway (${this.perMinute} units a minute); retry in ${retryAfter} s.`,
        { retryAfter },
      );
    }
  }

  /**
   * The shared budget when Redis answers; the instance's own when it cannot. Only a refusal (RateLimiterRes)
   * passes through from Redis: any other failure (a lost link, a command past REDIS_TIMEOUT_MS) is not a
   * free pass but the local limiter's decision, counted as a fallback.
   */
  private async consume(tenant: string, points: number): Promise<unknown> {
    if (this.shared && this.link?.available) {
      try {
        return await this.shared.consume(tenant, points);
      } catch (e) {
        if (e instanceof RateLimiterRes) throw e;
        this.link.fellBack("tenant");
      }
    } else if (this.link) this.link.fellBack("tenant");
    return this.local.consume(tenant, points);
  }
}
