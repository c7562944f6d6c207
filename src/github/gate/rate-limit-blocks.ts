import { ErrorCode, GatewayError } from "../../errors";
import type { SharedLimitsLink } from "../../limits/shared-limits";

const MAX_BLOCKS = 10_000;
const KEY_PREFIX = "cg:block:";

/** A MULTI's answers, one per command: a command Redis refused inside it fails the whole read or write. */
type Answers = [error: Error | null, result: unknown][] | null;
const whole = (answers: Answers) => answers !== null && answers.every(([error]) => error === null);

interface Block {
  until: number;
  resetAt?: string;
}

/**
 * What GitHub last said about a key's budget, remembered until it is over: once GitHub answers that a
 * key's rate limit is spent (until its reset) or asks to wait (a secondary limit's retry-after), the
 * gateway sends nothing more for that key and resource until then, and answers GITHUB_RATE_LIMITED
 * itself. GitHub warns that calls made while limited can get an integration banned.
 *
 * With REDIS_URL a block is one for every instance: noted in Redis (`cg:block:<scope>`, expiring when the
 * block does) before the refused request answers, and read there before every upstream call, so the other
 * instances send nothing for that key either. While Redis is away or slow, each instance keeps to what it
 * has learnt itself, as without REDIS_URL.
 */
export class RateLimitBlocks {
  private readonly blocked = new Map<string, Block>();

  constructor(private readonly link?: SharedLimitsLink) {}

  /** Throws GITHUB_RATE_LIMITED at once while a block this instance knows of is in force on any of `scopes`. */
  refuseKnown(scopes: readonly string[], now = Date.now()): void {
    for (const scope of scopes) this.refuseIfBlocked(scope, now);
  }

  /**
   * Throws GITHUB_RATE_LIMITED, without calling GitHub, while a block on any of `scopes` is in force: one
   * this instance knows of, or, with REDIS_URL, one another instance noted (read from Redis first).
   */
  async check(scopes: readonly string[], now = Date.now()): Promise<void> {
    await this.learnShared(scopes, now);
    this.refuseKnown(scopes, now);
  }

  /** Remembers the fleet's blocks on `scopes` from Redis; Redis away, slow or failing: a counted fallback, nothing learnt. */
  private async learnShared(scopes: readonly string[], now: number): Promise<void> {
    if (!this.link) return;
    if (!this.link.available) return this.link.fellBack("rateLimitBlock");
    let answers: Answers;
    try {
      const read = this.link.client.multi();
      for (const scope of scopes) read.get(KEY_PREFIX + scope).pttl(KEY_PREFIX + scope);
      answers = await read.exec();
    } catch {
      return this.link.fellBack("rateLimitBlock");
    }
    if (!whole(answers)) return this.link.fellBack("rateLimitBlock");
    scopes.forEach((scope, i) => {
      const [resetAt, ttl] = [answers?.[2 * i]?.[1], answers?.[2 * i + 1]?.[1]];
      if (typeof resetAt === "string" && typeof ttl === "number" && ttl > 0) this.remember(scope, { until: now + ttl, resetAt: resetAt || undefined });
    });
  }

  /** Remembers a GITHUB_RATE_LIMITED answer for `scope` until its retryAfter has passed, in Redis too when shared. */
  async note(scope: string, error: GatewayError, now = Date.now()): Promise<void> {
    const { retryAfter, resetAt } = error.extensions as { retryAfter?: number; resetAt?: string };
    if (error.code !== ErrorCode.GITHUB_RATE_LIMITED || !retryAfter) return;
    const ms = retryAfter * 1000;
    this.remember(scope, { until: now + ms, resetAt });
    if (!this.link) return;
    if (!this.link.available) return this.link.fellBack("rateLimitBlock");
    try {
      // A block already there is only ever lengthened (GT): the stricter of two instances' readings stands.
      const key = KEY_PREFIX + scope;
      // PEXPIRE's GT needs Redis 7; an older one refuses it, and the block is then this instance's alone.
      if (!whole(await this.link.client.multi().set(key, resetAt ?? "", "PX", ms, "NX").pexpire(key, ms, "GT").exec())) this.link.fellBack("rateLimitBlock");
    } catch {
      this.link.fellBack("rateLimitBlock");
    }
  }

  private remember(scope: string, block: Block): void {
    if ((this.blocked.get(scope)?.until ?? 0) >= block.until) return;
    if (this.blocked.size >= MAX_BLOCKS) this.blocked.delete(this.blocked.keys().next().value as string);
    this.blocked.set(scope, block);
  }

  private refuseIfBlocked(scope: string, now: number): void {
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
}
