import { ErrorCode, GatewayError } from "../errors";
import { FleetLimiter, LimitReached } from "./fleet-limiter";
import type { SharedLimitsLink } from "./shared-limits";

/**
 * Each tenant's budget: request units per minute, a request costing 1 plus the GitHub look-ups it may make,
 * so one workspace's flood cannot take the gateway or the upstream capacity from the others. With REDIS_URL
 * the budget is one for every instance; without it, or while Redis is away, each instance keeps its own, so
 * N instances then allow N times the figure (README, "Running several instances").
 */
export class TenantRateLimit {
  private readonly limiter: FleetLimiter;

  constructor(readonly perMinute: number, link?: SharedLimitsLink) {
    this.limiter = new FleetLimiter({ name: "tenant", points: perMinute, durationS: 60, keyPrefix: "tenant" }, link);
  }

  /** Takes `units` from the tenant's budget, or throws GATEWAY_RATE_LIMITED with the seconds until it refills. */
  async take(tenant: string, units: number): Promise<void> {
    try {
      await this.limiter.consume(tenant, Math.min(units, this.perMinute));
    } catch (e) {
      if (!(e instanceof LimitReached)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new GatewayError(
        ErrorCode.GATEWAY_RATE_LIMITED,
        `This workspace has used its request budget on the gateway (${this.perMinute} units a minute); retry in ${retryAfter} s.`,
        { retryAfter },
      );
    }
  }
}
