import { z } from "zod";

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface CredentialKey {
  id: string;
  key: Buffer;
}

/** `id:base64-32-bytes[,id:key...]`: the first key encrypts, every key decrypts. */
export const credentialKeysSchema = z.string().transform((raw, ctx): CredentialKey[] => {
  const keys: CredentialKey[] = [];
  const entries = raw.split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) ctx.addIssue({ code: "custom", message: "needs at least one id:base64-key entry" });
  entries.forEach((entry, index) => {
    const at = entry.indexOf(":");
    const id = at > 0 ? entry.slice(0, at) : "";
    const b64 = at > 0 ? entry.slice(at + 1) : "";
    if (!KEY_ID.test(id)) {
      ctx.addIssue({ code: "custom", message: `entry ${index + 1}: the id must be 1-32 letters, digits, '-' or '_' before ':'` });
      return;
    }
    const key = Buffer.from(b64, "base64");
    // Round-trip check: Buffer.from silently skips characters that are not base64.
    if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== b64.replace(/=+$/, "")) {
      ctx.addIssue({ code: "custom", message: `entry ${index + 1} (${id}): the key must be 32 bytes in base64` });
      return;
    }
    if (keys.some((k) => k.id === id)) {
      ctx.addIssue({ code: "custom", message: `entry ${index + 1}: the id '${id}' is used twice` });
      return;
    }
    keys.push({ id, key });
  });
  return keys;
});

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
  .transform((u) => u.replace(/\/+$/, ""));

/** The environment the gateway reads, validated once at start-up (README.md, Configuration). */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default("./.data"),
  GITHUB_API_URL: httpUrl.default("https://api.github.com"),
  /** How long one upstream GitHub call may take before it counts as GitHub being unavailable. */
  GITHUB_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  /** The most one gateway request may spend on GitHub, queueing and every upstream call included. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(30000),
  /** `off` sends one upstream document per look-up: the benchmark's "no DataLoader" baseline. */
  GITHUB_BATCHING: z.enum(["on", "off"]).default("on"),
  /** At most how long a tenant's look-ups wait, while its earlier document is in flight, to share the next; 0 = per request only. */
  GITHUB_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(200).default(50),
  /**
   * `on`: a workspace's requests that become ready together go on four per event-loop turn, workspaces in
   * rotation (limits/fair-turns.ts); `off`: in one go, the benchmark's comparison.
   */
  WORKSPACE_TURNS: z.enum(["on", "off"]).default("on"),
  /** Schema introspection and "Did you mean" suggestions; default: on outside production, off in it. */
  GRAPHQL_INTROSPECTION: z.enum(["on", "off"]).optional(),
  GRAPHQL_FIELD_SUGGESTIONS: z.enum(["on", "off"]).optional(),
  /** Query limits, checked before anything reaches GitHub (QUERY_TOO_COMPLEX). */
  QUERY_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  QUERY_MAX_ALIASES: z.coerce.number().int().min(1).max(10000).default(300),
  QUERY_MAX_TOKENS: z.coerce.number().int().min(100).max(1000000).default(12000),
  /**
   * The longest query text, in characters, refused before it is parsed: comments and whitespace are not
   * tokens the parser counts, yet a parsed document keeps them (a 95 kB comment-padded document once passed every other limit).
   */
  QUERY_MAX_CHARS: z.coerce.number().int().min(1000).max(100000).default(32000),
  /** The most GitHub look-ups one request may make (the query's cost: each field's `complexity`, src/github/github-points.ts). */
  QUERY_MAX_COST: z.coerce.number().int().min(1).max(100000).default(500),
  /**
   * How long an instance may keep using workspace keys held in memory after PostgreSQL last confirmed it
   * is listening for key changes (src/integrations/key-change-feed.ts). It bounds how long a renew,
   * deactivate or disconnect waits for an instance that has gone silent before answering.
   */
  KEY_CHANGE_LEASE_MS: z.coerce.number().int().min(500).max(60000).default(5000),
  /**
   * GitHub's secondary limits per key, which the gateway keeps before GitHub has to refuse
   * (src/github/gate/secondary-pacing.ts); GitHub's own figures by default, a GitHub Enterprise Server admin may set others.
   */
  GITHUB_GRAPHQL_POINTS_PER_MINUTE: z.coerce.number().int().min(7).max(1000000).default(2000),
  GITHUB_REST_POINTS_PER_MINUTE: z.coerce.number().int().min(7).max(1000000).default(900),
  GITHUB_CONTENT_PER_MINUTE: z.coerce.number().int().min(7).max(100000).default(80),
  GITHUB_CONTENT_PER_HOUR: z.coerce.number().int().min(7).max(1000000).default(500),
  /**
   * Where instances share their limits (redis:// or rediss://). Unset: each instance keeps its own, as one
   * instance needs nothing more (README, "Running several instances").
   */
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// or rediss:// URL")
      .optional(),
  ),
  /** The longest a request waits on Redis for a shared limit; past it, or with Redis away, the instance's own limit decides. */
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(5).max(5000).default(100),
  /** Each tenant's budget, in request units per minute (shared by every instance when REDIS_URL is set) (1 for every request it sends, refused or not, plus the query's cost); over it: GATEWAY_RATE_LIMITED. */
  TENANT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100000000).default(3000),
  AUTH_JWT_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  /**
   * The longest lifetime a caller token may claim, in seconds (exp - iat). A leaked token is good until
   * it expires, so the gateway bounds what an issuer may grant; `npm run token` prints 12-hour tokens.
   * At most 30 days: beyond that a "bound" bounds nothing. The default is verifyCallerToken's own.
   */
  CALLER_TOKEN_MAX_TTL: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
  CREDENTIAL_KEYS: optionalText.pipe(credentialKeysSchema.optional()),
  /**
   * The OAuth authorization servers that issue the caller tokens /mcp accepts, comma-separated https URLs,
   * named in /.well-known/oauth-protected-resource (RFC 9728) for MCP clients; empty: none is named.
   */
  MCP_AUTHORIZATION_SERVERS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /**
   * Hostnames a browser page may call /mcp from (its Origin header), comma-separated, besides localhost,
   * 127.0.0.1 and [::1]; any other Origin is refused (the MCP transport's defence against DNS rebinding).
   */
  MCP_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^(\[[0-9a-f:]+\]|[a-z0-9.-]+)$/, "a hostname, without scheme or port"))),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/** GraphQL endpoint derived from the REST base the way Octokit does it (GHES: /api/v3 -> /api/graphql). */
export function graphqlUrlFor(apiUrl: string): string {
  return /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, "/api/graphql") : `${apiUrl}/graphql`;
}
