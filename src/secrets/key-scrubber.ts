import pino from "pino";

/**
 * Anything shaped like a GitHub key (classic, fine-grained, OAuth, app and refresh tokens), wherever it
 * starts. No \b before the prefix: letters, digits and `_` are word characters, so `xghp_...` or
 * `_github_pat_...` (a key glued to a field name, a caller's typo) had no boundary and came back whole
 * in answers. Redacting the odd word that merely contains `ghs_` is the cheaper mistake.
 */
export const KEY_LIKE = /(?:github_pat_|gh[pousr]_)[A-Za-z0-9_]+/g;

export const scrubText = (text: string): string => text.replace(KEY_LIKE, "[redacted]");

const MAX_DEPTH = 8;

/**
 * A copy of a log line's fields with every key-shaped string replaced. Errors are serialised first (as
 * pino's err serializer would), so a key in an error's message or stack is caught too.
 */
export function scrubKeys(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return scrubText(value);
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) return scrubKeys(pino.stdSerializers.err(value), depth + 1, seen);
  if (Array.isArray(value)) return value.map((v) => scrubKeys(v, depth + 1, seen));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubKeys(v, depth + 1, seen);
  return out;
}
