import type { RegisteredKey } from "./key-registry";
import type { RateLimiter } from "./rate-limits";
import { jsonHeaders, keyHeaders, rateLimitHeaders, SECONDARY_LIMIT_DOCS, secondaryLimitMessage, type EmulatorResponse } from "./responses";
import type { RateLimitResource } from "./types";

/**
 * GitHub's secondary limits as its docs state them ("Rate limits for the REST API", "About secondary rate
 * limits"; the same text for GraphQL): per user, at most 100 concurrent requests across REST and GraphQL,
 * 900 points a minute on REST and 2,000 on GraphQL (a query 1 point, a mutation 5, a REST GET 1), and 80
 * content-creating requests a minute and 500 an hour.
 */
export interface SecondaryLimitRules {
  concurrent: number;
  graphqlPointsPerMinute: number;
  restPointsPerMinute: number;
  contentPerMinute: number;
  contentPerHour: number;
}

export const GITHUB_SECONDARY_LIMITS: SecondaryLimitRules = {
  concurrent: 100,
  graphqlPointsPerMinute: 2000,
  restPointsPerMinute: 900,
  contentPerMinute: 80,
  contentPerHour: 500,
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Points spent in a sliding window; what a refused request would have cost is not charged. */
class SlidingWindow {
  private readonly events: { at: number; points: number }[] = [];
  private total = 0;

  constructor(private readonly windowMs: number, private readonly limit: number) {}

  fits(points: number, now: number): boolean {
    while (this.events.length > 0 && this.events[0].at <= now - this.windowMs) this.total -= this.events.shift()!.points;
    return this.total + points <= this.limit;
  }

  take(points: number, now: number): boolean {
    if (!this.fits(points, now)) return false;
    this.events.push({ at: now, points });
    this.total += points;
    return true;
  }
}

/** The secondary limits of every user, kept apart from the primary budget (rate-limits.ts). */
export class SecondaryLimiter {
  private readonly inflight = new Map<number, number>();
  /** The most of each user's requests in flight at once since the last reset: what a test reads, not a limit. */
  private readonly peaks = new Map<number, number>();
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(private readonly rules: SecondaryLimitRules, private readonly now: () => number = Date.now) {}

  /** Counts a request in flight for the user; false (and not counted) when that would pass the limit. */
  enter(userId: number): boolean {
    const n = this.inflight.get(userId) ?? 0;
    if (n >= this.rules.concurrent) return false;
    this.inflight.set(userId, n + 1);
    if (n + 1 > (this.peaks.get(userId) ?? 0)) this.peaks.set(userId, n + 1);
    return true;
  }

  peakInFlight(userId: number): number {
    return this.peaks.get(userId) ?? 0;
  }

  resetPeaks(): void {
    this.peaks.clear();
  }

  leave(userId: number): void {
    const n = (this.inflight.get(userId) ?? 1) - 1;
    if (n <= 0) this.inflight.delete(userId);
    else this.inflight.set(userId, n);
  }

  /** A request's secondary points on its API: GraphQL 1 (5 with a mutation), REST 1 for a GET. */
  charge(userId: number, api: "graphql" | "rest", points: number): boolean {
    const limit = api === "graphql" ? this.rules.graphqlPointsPerMinute : this.rules.restPointsPerMinute;
    return this.window(`${api}:${userId}`, MINUTE_MS, limit).take(points, this.now());
  }

  /** One content-creating request (an issue, say): both the minute's and the hour's allowance must hold it. */
  createContent(userId: number): boolean {
    const now = this.now();
    const minute = this.window(`content-minute:${userId}`, MINUTE_MS, this.rules.contentPerMinute);
    const hour = this.window(`content-hour:${userId}`, HOUR_MS, this.rules.contentPerHour);
    // A refused request creates nothing, so it is charged to neither allowance.
    if (!minute.fits(1, now) || !hour.fits(1, now)) return false;
    return minute.take(1, now) && hour.take(1, now);
  }

  private window(name: string, windowMs: number, limit: number): SlidingWindow {
    let w = this.windows.get(name);
    if (!w) this.windows.set(name, (w = new SlidingWindow(windowMs, limit)));
    return w;
  }
}

/**
 * A secondary limit met by itself (not an injected fault). GitHub answers 403 (or 200 on GraphQL) with the
 * secondary-limit message; `retry-after` "may" be present. The emulator leaves it out, the stricter case:
 * a client must then wait at least a minute, as GitHub's docs tell it to.
 */
export function secondaryLimitResponse(
  resource: RateLimitResource,
  key: RegisteredKey,
  limiter: RateLimiter,
  requestId: string,
): EmulatorResponse {
  const headers = {
    ...jsonHeaders(resource === "graphql" ? "github.v4" : "github.v3"),
    ...keyHeaders(key),
    ...rateLimitHeaders(limiter.peek(key.user.databaseId, resource), resource),
  };
  return { status: 403, headers, body: { message: secondaryLimitMessage(requestId), documentation_url: SECONDARY_LIMIT_DOCS, status: "403" } };
}
