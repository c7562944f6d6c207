import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { ErrorCode, GatewayError } from "../errors";

/**
 * Each tenant's budget on this instance: request units per minute, a request costing 1 plus the GitHub
 * look-ups it may make, so one workspace's flood cannot take the gateway or the upstream capacity from
 * the others. In memory, per instance: N instances allow N times the figure (README, "Limits").
 */
export class TenantRateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: "tenant" });
  }

  /** Takes `units` from the tenant's budget, or throws GATEWAY_RATE_LIMITED with the seconds until it refills. */
  async take(tenant: string, units: number): Promise<void> {
    try {
      await this.limiter.consume(tenant, Math.min(units, this.perMinute));
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
}
