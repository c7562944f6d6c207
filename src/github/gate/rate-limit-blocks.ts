import { ErrorCode, GatewayError } from "../../errors";

const MAX_BLOCKS = 10_000;

/**
 * What GitHub last said about a key's budget, remembered until it is over: once GitHub answers that a
 * key's rate limit is spent (until its reset) or asks to wait (a secondary limit's retry-after), this
 * instance sends nothing more for that key and resource until then, and answers GITHUB_RATE_LIMITED
 * itself. GitHub warns that calls made while limited can get an integration banned.
 */
export class RateLimitBlocks {
  private readonly blocked = new Map<string, { until: number; resetAt?: string }>();

  /** Throws GITHUB_RATE_LIMITED, without calling GitHub, while a block on `scope` is in force. */
  check(scope: string, now = Date.now()): void {
    const block = this.blocked.get(scope);
    if (!block) return;
    if (block.until <= now) {
      this.blocked.delete(scope);
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((block.until - now) / 1000));
    throw new GatewayError(
      ErrorCode.GITHUB_RATE_LIMITED,
      `GitHub's rate limit for this key is spent; the gateway will not ask GitHub again for ${retryAfter} s.`,
      { retryAfter, ...(block.resetAt ? { resetAt: block.resetAt } : {}) },
    );
  }

  /** Remembers a GITHUB_RATE_LIMITED answer for `scope` until its retryAfter has passed. */
  note(scope: string, error: GatewayError, now = Date.now()): void {
    const { retryAfter, resetAt } = error.extensions as { retryAfter?: number; resetAt?: string };
    if (error.code !== ErrorCode.GITHUB_RATE_LIMITED || !retryAfter) return;
    const until = now + retryAfter * 1000;
    if ((this.blocked.get(scope)?.until ?? 0) >= until) return;
    if (this.blocked.size >= MAX_BLOCKS) this.blocked.delete(this.blocked.keys().next().value as string);
    this.blocked.set(scope, { until, resetAt });
  }
}
