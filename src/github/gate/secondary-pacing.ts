import type { SecondaryLimitRules } from "../../config";
import { ErrorCode, GatewayError } from "../../errors";
import { FleetLimiter, LimitReached } from "../../limits/fleet-limiter";
import type { SharedLimitsLink } from "../../limits/shared-limits";
import { sleep } from "./retry-policy";

/** Less than this left of the caller's time after a wait is not worth waiting for. */
const MIN_CALL_MS = 250;
/** Each limit is kept in windows of 1/WINDOWS of its period holding 1/(WINDOWS + 1) of its points (below). */
const WINDOWS = 6;

/**
 * GitHub's secondary limits, kept by the gateway before GitHub has to refuse: per key, 2,000 GraphQL points a
 * minute (a query 1, a mutation 5), 900 REST points a minute (a GET 1), and content creation 80 a minute and
 * 500 an hour (every mutation the gateway makes creates content). GitHub does not say whether its minute is
 * fixed or sliding; the emulator slides it, the stricter reading. So each limit is kept in fixed windows of a
 * sixth of its period, each holding a seventh of its points: any sliding period overlaps at most seven windows,
 * so it never holds more than the limit. With REDIS_URL the windows are one for every instance.
 *
 * A call that finds its window spent waits for the next one when its time allows (its workspace's look-ups
 * gather into fewer, larger documents meanwhile), and is otherwise refused GITHUB_RATE_LIMITED, reason
 * SECONDARY_LIMIT, without being sent.
 */
export class SecondaryPacing {
  private readonly graphql: FleetLimiter;
  private readonly rest: FleetLimiter;
  private readonly contentMinute: FleetLimiter;
  private readonly contentHour: FleetLimiter;

  constructor(rules: SecondaryLimitRules, link?: SharedLimitsLink) {
    const paced = (name: string, limit: number, periodS: number) =>
      new FleetLimiter({ name, points: Math.max(1, Math.floor(limit / (WINDOWS + 1))), durationS: Math.max(1, Math.round(periodS / WINDOWS)), keyPrefix: name }, link);
    this.graphql = paced("github-graphql", rules.graphqlPointsPerMinute, 60);
    this.rest = paced("github-rest", rules.restPointsPerMinute, 60);
    this.contentMinute = paced("github-content-minute", rules.contentPerMinute, 60);
    this.contentHour = paced("github-content-hour", rules.contentPerHour, 3600);
  }

  /** Takes what one call of `key` costs, waiting for it until `deadline` at most; past that, GITHUB_RATE_LIMITED. */
  async take(key: string, api: "graphql" | "rest", mutation: boolean, deadline: number): Promise<void> {
    // The rarest first, so that a refused mutation spends no points.
    if (mutation) {
      await this.takeFrom(this.contentHour, key, 1, deadline);
      await this.takeFrom(this.contentMinute, key, 1, deadline);
    }
    await this.takeFrom(api === "graphql" ? this.graphql : this.rest, key, api === "graphql" && mutation ? 5 : 1, deadline);
  }

  private async takeFrom(limiter: FleetLimiter, key: string, points: number, deadline: number): Promise<void> {
    for (;;) {
      try {
        await limiter.consume(key, points);
        return;
      } catch (e) {
        if (!(e instanceof LimitReached)) throw e;
        const wait = e.msBeforeNext + 1;
        if (Date.now() + wait + MIN_CALL_MS > deadline) {
          const retryAfter = Math.max(1, Math.ceil(wait / 1000));
          throw new GatewayError(ErrorCode.GITHUB_RATE_LIMITED, `This key has made as many calls as GitHub's secondary limits allow for now; the gateway sent nothing. Try again in ${retryAfter} s.`, {
            retryAfter,
            reason: "SECONDARY_LIMIT",
          });
        }
        await sleep(wait);
      }
    }
  }
}
