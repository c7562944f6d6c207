import type { ServerResponse } from "node:http";
import type { Config } from "../config";
import { isGatewayError, queryTooComplex } from "../errors";
import type { TenantRateLimit } from "./tenant-rate-limit";

/**
 * Query text per budget unit. Parsing costs the gateway CPU in proportion to the text: 1,500 distinct
 * 32,000-character documents of comments took 28 s of the gateway's CPU (`node --cpu-prof`, about 19 ms each,
 * most of it collecting their 16,000 comment tokens), where a whole single look-up takes about 1 ms at
 * saturation (bench/README.md). So a long text pays for what it costs before anyone knows whether it will
 * ever reach GitHub, and a typical query, under 2,000 characters, pays the one unit every request pays.
 */
export const CHARS_PER_UNIT = 2000;

/** What a query text costs its sender before it is parsed: one unit, and one more per CHARS_PER_UNIT characters. */
export const unitsForText = (chars: number): number => 1 + Math.floor(chars / CHARS_PER_UNIT);

/**
 * The check every authenticated request passes (`text`: its query text, from a POST body or a GET's query
 * string, as Apollo will read it) before Apollo parses, validates or caches its document:
 * it is charged to its workspace's budget, refused or not, so a flood of documents that fail
 * to parse or validate spends the sender's budget rather than the other workspaces' CPU; and a text over
 * QUERY_MAX_CHARS is refused unread (comments are not tokens the parser counts, yet a parsed document keeps them).
 */
export async function admitRequest(text: string, res: ServerResponse, tenant: string, limits: { config: Config; tenantLimit: TenantRateLimit }): Promise<void> {
  const max = limits.config.queryLimits.maxChars;
  const tooLong = text.length > max;
  try {
    await limits.tenantLimit.take(tenant, tooLong ? 1 : unitsForText(text.length));
  } catch (e) {
    if (isGatewayError(e) && e.extensions.retryAfter) res.setHeader("retry-after", String(e.extensions.retryAfter));
    throw e;
  }
  if (tooLong) throw queryTooComplex(`The query is ${text.length} characters long; at most ${max} are allowed.`, { limit: "characters", max, found: text.length });
}
