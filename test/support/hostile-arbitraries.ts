import fc from "fast-check";
import { DateTimeResolver } from "graphql-scalars";
import { encodeCursor } from "../../github-emulator";

/**
 * One seed for every property of the hostile-input suite: a failure names it, and the run repeats.
 * HOSTILE_SEED=n explores other inputs (a failure found that way names its seed too).
 */
export const HOSTILE_SEED = Number(process.env.HOSTILE_SEED ?? 20261124);

const ALNUM = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"];

/**
 * Uniform random letters and digits (no bias towards repeats such as "aaaaaaaa"): a marker that cannot
 * occur in an answer, a log line or a document by chance, so finding it there means it was echoed.
 */
export const marker = (minLength = 12, maxLength = 20) =>
  fc.noBias(fc.string({ unit: fc.constantFrom(...ALNUM), minLength, maxLength }));

export const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\u000b", "\f", "\r", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029"];
/** Zero-width, bidi overrides and isolates, soft hyphen, a combining accent. */
export const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u202a", "\u2066", "\u2069", "\u061c", "\u0301"];
/** Lone and reversed surrogates: JSON.stringify sends them as `\ud800` escapes. */
export const SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800"];
export const EXOTIC = ["\u00a0", "\u3000", "é", "Ω", "中文", "😀", "👩‍👩‍👧", "\ufffd", "\uffff", "İ", "ß", "ﬁ"];
export const GRAPHQL_SYNTAX = [
  "}{", '"', "\\", '"""', "$var", "$r0_owner", "$q", "...on", "... on Issue { id }", "{", "}", "(", ")", "#", "@skip(if: true)",
  "__typename", "query { viewer { login } }", "mutation { createIssue }", "\\u0000", '\\"', "k0: issue(number: 1)", ":", "!", "[", "]", "=", "|", "&",
];
export const SEARCH_SYNTAX = [
  "repo:", "org:", "user:", "repo:acme/webshop", "user:stranger", "org:stranger", "is:pr", "is:issue", "label:", 'label:"needs triage"', "-label:bug", " OR ", " NOT ",
  "in:title", "sort:created-asc", "@me", "*", "..", ">=", "merged:>=2026-01-01", "author:", "path:/", "filename:.env", "extension:ts", "login", "bug",
];
export const WEB = ["<script>alert(1)</script>", "'; DROP TABLE integration; --", "../../etc/passwd", "%00", "%2e%2e%2f", "${jndi:ldap://x}", "{{7*7}}", "%s%s%n", "\r\nX-Injected: 1", "javascript:", "<!DOCTYPE html>"];

const oddPiece = fc.constantFrom(...CONTROL, ...INVISIBLE, ...SURROGATES, ...EXOTIC, ...GRAPHQL_SYNTAX, ...SEARCH_SYNTAX, ...WEB, " ", "");

/** A short piece of text: one of the odd ones above, or fast-check's own (any code point, graphemes, ASCII). */
const piece = fc.oneof(
  { arbitrary: oddPiece, weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 8 }), weight: 1 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
);

/** Up to a few hundred characters of hostile text. */
export const hostileText = (maxPieces = 8) => fc.array(piece, { maxLength: maxPieces }).map((p) => p.join(""));

/**
 * Text from 1 kB to about 95 kB: mostly ASCII so that most requests stay under the 100 kB body limit,
 * some with characters that JSON escapes (six bytes each) or UTF-8 widens, which push a body over it.
 */
export const hugeText = fc
  .record({ unit: fc.oneof({ arbitrary: fc.constantFrom("a", "acme ", "}{", "login "), weight: 4 }, { arbitrary: piece.filter((p) => p.length > 0), weight: 1 }), size: fc.integer({ min: 1_000, max: 95_000 }) })
  .map(({ unit, size }) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size));

/** Owners: real ones (any case), one the key may not search, and hostile or huge text. */
export const ownerName = fc.oneof(
  { arbitrary: fc.constantFrom("acme", "ACME", "mona", "stranger"), weight: 3 },
  { arbitrary: hostileText(), weight: 5 },
  { arbitrary: hugeText, weight: 1 },
);
export const repoName = fc.oneof(
  { arbitrary: fc.constantFrom("webshop", "WebShop", "api", "docs", "dotfiles", "outsider"), weight: 3 },
  { arbitrary: hostileText(), weight: 5 },
  { arbitrary: hugeText, weight: 1 },
);

/** Repositories that exist (in any case), and hostile pairs. */
export const repoRef = fc.oneof(
  { arbitrary: fc.constantFrom(["acme", "webshop"], ["ACME", "WebShop"], ["acme", "api"], ["acme", "docs"], ["mona", "dotfiles"], ["stranger", "outsider"]), weight: 1 },
  { arbitrary: fc.tuple(ownerName, repoName), weight: 1 },
);

/** Anything JSON can carry where an Int is expected; NaN and Infinity travel as null. */
export const intLike = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 130 }), weight: 4 },
  { arbitrary: fc.constantFrom(0, -1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e300, 1.5, -0.5, 1e-7, -0), weight: 3 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>("1", "", true, [1], { n: 1 }), weight: 1 },
);

/** Numbers of issues and pull requests that exist in the sample data, and anything else. */
export const itemNumber = fc.oneof({ arbitrary: fc.constantFrom(1, 2, 3, 5, 7, 9, 42, 43, 47, 50, 123, 124), weight: 1 }, { arbitrary: intLike, weight: 1 });

/** `first` and `page`: absent, null, in 1..100, just outside it, far outside, or not an Int at all. */
export const pageArg = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(undefined, 2, 5), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, 1, 100, 0, 101, -1, 1000, 2 ** 31, 2 ** 31 - 1, 1.5, "10"), weight: 2 },
  { arbitrary: fc.integer({ min: -5, max: 110 }), weight: 1 },
);

/** Cursors: hostile text, base64 that is no cursor, cursors the emulator would never issue, huge ones. */
export const cursor = fc.oneof(
  { arbitrary: hostileText(4), weight: 3 },
  { arbitrary: fc.base64String({ maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      "", "null", "====", "%%%", encodeCursor(100_000), encodeCursor(0).slice(0, -2),
      Buffer.from("cursor:v2:-1").toString("base64"), Buffer.from("cursor:v2:1e3").toString("base64"), Buffer.from("cursor:v2:99999999999999999999").toString("base64"),
    ),
    weight: 2,
  },
  { arbitrary: hugeText, weight: 1 },
);

/** Search queries: hostile text, search syntax mixed with words, empty and blank ones, huge ones. */
export const searchQuery = fc.oneof(
  { arbitrary: hostileText(), weight: 4 },
  { arbitrary: fc.array(fc.constantFrom(...SEARCH_SYNTAX, ...GRAPHQL_SYNTAX, " "), { maxLength: 8 }).map((p) => p.join(" ")), weight: 3 },
  { arbitrary: fc.constantFrom("", " ", "\t\n", "\u200b", "\u0000"), weight: 1 },
  { arbitrary: fc.string({ minLength: 250, maxLength: 270 }), weight: 1 },
  { arbitrary: hugeText, weight: 1 },
);

export const codeQuery = fc.oneof({ arbitrary: searchQuery, weight: 2 }, { arbitrary: fc.constantFrom("login", "session", "login path:src", "zsh", "login repo:stranger/outsider"), weight: 1 });

export const labelList = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, [], ["bug"], ["BUG", "enhancement"], ["needs triage"], "bug"),
  fc.array(fc.oneof(hostileText(4), fc.constantFrom("bug", "enhancement")), { maxLength: 6 }),
  fc.array(hugeText, { minLength: 1, maxLength: 1 }),
);

/** Mostly absent or valid (so that other arguments get tested too), sometimes odd or invalid. */
export const dateTimeLike = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(undefined, null), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>("2026-11-18T00:00:00Z", "2024-02-29T23:59:59.999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-01-01T00:00:00+14:00"), weight: 2 },
  {
    arbitrary: fc.constantFrom<unknown>(
      "2026-02-30T00:00:00Z", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z", "2026-01-01", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00+99:99",
      "yesterday", "", 1_700_000_000, 1e20, "\u202e2026-01-01T00:00:00Z",
    ),
    weight: 1,
  },
);

/** A key the test submits, and the random core it carries: neither may ever come back. */
export interface SubmittedKey {
  /** What goes into the request (a string, or a value of the wrong type). */
  value: unknown;
  /** Uniform random letters and digits inside `value`. */
  core: string;
}

const padWith = (core: string, n: number) => (n <= 0 ? "" : core.repeat(Math.ceil(n / core.length)).slice(0, n));
const insertAt = (s: string, at: number, what: string) => s.slice(0, at % (s.length + 1)) + what + s.slice(at % (s.length + 1));
const keyChar = fc.constantFrom(...CONTROL, ...INVISIBLE, ...SURROGATES, ...EXOTIC, " ", "\t");

/**
 * Keys for connect and renew: key-shaped ones of the wrong length (near and over the 255-character
 * cap), ones with control characters, whitespace or Unicode inside or around, other GitHub prefixes,
 * huge ones, hostile text, and values of the wrong type.
 */
export const submittedKey: fc.Arbitrary<SubmittedKey> = marker(12, 24).chain((core) =>
  fc
    .oneof(
      fc.integer({ min: 236, max: 266 }).map((n) => `ghp_${padWith(core, n - 4)}`),
      fc.integer({ min: 236, max: 266 }).map((n) => `github_pat_${padWith(core, n - 11)}`),
      fc.constantFrom(35, 37, 1, 20, 82, 100).map((n) => `ghp_${padWith(core, Math.max(n, core.length))}`),
      fc.integer({ min: 1, max: 120 }).map((n) => `github_pat_${padWith(core, Math.max(n, core.length))}`),
      fc.tuple(keyChar, fc.nat()).map(([c, at]) => insertAt(`ghp_${padWith(core, 36)}`, at, c)),
      fc.tuple(keyChar, fc.nat()).map(([c, at]) => insertAt(`github_pat_${padWith(core, 82)}`, at, c)),
      fc.tuple(fc.constantFrom(" ", "\t", "\n", "\r\n", "\u00a0", "\ufeff", "\u3000", "\u2028"), fc.constantFrom(" ", "\n", "\u0085", "\u200b", "")).map(([a, b]) => `${a}ghp_${padWith(core, 36)}${b}`),
      fc.constantFrom("gho_", "ghu_", "ghs_", "ghr_", "GHP_", "ghp-", "Bearer ghp_", "token ghp_", "github_pat", "GITHUB_PAT_", "").map((p) => `${p}${padWith(core, 36)}`),
      fc.integer({ min: 1_000, max: 90_000 }).map((n) => `ghp_${padWith(core, n)}`),
      hostileText(4).map((t) => `${t}${core}${t}`),
    )
    .chain((key) =>
      fc.oneof(
        { arbitrary: fc.constant<SubmittedKey>({ value: key, core }), weight: 9 },
        { arbitrary: fc.constantFrom<SubmittedKey>({ value: [key], core }, { value: { token: key }, core }, { value: null, core }, { value: 255, core }), weight: 1 },
      ),
    ),
);

// What the answers to these inputs are checked against.

function* stringsIn(v: unknown): Generator<string> {
  if (typeof v === "string") yield v;
  else if (Array.isArray(v)) for (const x of v) yield* stringsIn(x);
  else if (v && typeof v === "object") for (const x of Object.values(v)) yield* stringsIn(x);
}

/** In raw text or in any string of its parsed form (a control character is escaped in raw JSON, so both are searched). */
export const mentions = (raw: string, parsed: unknown, secret: string) => raw.includes(secret) || [...stringsIn(parsed)].some((s) => s.includes(secret));

/** What of a submitted key must never come back: its random core, and the key itself (and trimmed) from 8 characters. */
export function secretsOf(k: SubmittedKey): string[] {
  const whole = typeof k.value === "string" ? [k.value, k.value.trim()] : [];
  return [k.core, ...whole.filter((s) => s.length >= 8)];
}

/** The value the gateway receives: JSON drops undefined and turns NaN and Infinity into null. */
export const roundTrip = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** GraphQL's Int is a signed 32-bit integer. */
const isInt32 = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/** Whether GraphQL coerces a JSON value to a variable's type (nullable types also take null and absence). */
export const coerces = {
  int: (v: unknown) => v == null || isInt32(v),
  intRequired: isInt32,
  strings: (v: unknown) => v == null || typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string")),
  enums: (allowed: string[]) => (v: unknown) =>
    v == null || (typeof v === "string" && allowed.includes(v)) || (Array.isArray(v) && v.every((x) => typeof x === "string" && allowed.includes(x))),
  dateTime: (v: unknown) => {
    if (v == null) return true;
    try {
      return DateTimeResolver.parseValue(v) instanceof Date;
    } catch {
      return false;
    }
  },
};

/** A lone UTF-16 surrogate: no character, and no URL can carry it. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
