import { resolve } from "node:path";
import { z } from "zod";
import { credentialKeysSchema, envSchema, graphqlUrlFor, type CredentialKey } from "./config.schema";
import { readOrCreateDevSecret } from "./dev-secrets";

export type { CredentialKey } from "./config.schema";

export interface Config {
  nodeEnv: "development" | "test" | "production";
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  githubApiUrl: string;
  githubGraphqlUrl: string;
  githubTimeoutMs: number;
  requestTimeoutMs: number;
  githubBatching: boolean;
  githubBatchWindowMs: number;
  graphql: { introspection: boolean; fieldSuggestions: boolean };
  queryLimits: QueryLimits;
  tenantRateLimitPerMinute: number;
  authJwtSecret: string;
  /** CALLER_TOKEN_MAX_TTL: verifyCallerToken refuses tokens that claim to live longer. */
  callerTokenMaxTtlSeconds: number;
  credentialKeys: CredentialKey[];
  logLevel: string;
  /** Secrets that were generated into DATA_DIR by this load, for a start-up warning. */
  generatedSecrets: string[];
}

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  /** QUERY_MAX_CHARS: the query text's length, checked before it is parsed. */
  maxChars: number;
  maxCost: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
}

/** Validates the whole environment at once and reports every problem, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const production = env.NODE_ENV === "production";
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  if (production) {
    for (const name of ["AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]) {
      if (!env[name]?.trim()) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const generatedSecrets: string[] = [];

  let authJwtSecret = e.AUTH_JWT_SECRET;
  let credentialKeys = e.CREDENTIAL_KEYS;
  if (!authJwtSecret) {
    const s = readOrCreateDevSecret(dataDir, "auth-jwt-secret");
    if (s.value.length < 32) problems.push(`AUTH_JWT_SECRET (from ${dataDir}/auth-jwt-secret): must be at least 32 characters`);
    authJwtSecret = s.value;
    if (s.created) generatedSecrets.push("AUTH_JWT_SECRET");
  }
  if (!credentialKeys) {
    const s = readOrCreateDevSecret(dataDir, "credential-keys");
    const keys = credentialKeysSchema.safeParse(s.value);
    if (!keys.success) problems.push(`CREDENTIAL_KEYS (from ${dataDir}/credential-keys): ${problemsOf(keys.error).join("; ")}`);
    else credentialKeys = keys.data;
    if (s.created) generatedSecrets.push("CREDENTIAL_KEYS");
  }
  if (problems.length > 0 || !credentialKeys) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    githubApiUrl: e.GITHUB_API_URL,
    githubGraphqlUrl: graphqlUrlFor(e.GITHUB_API_URL),
    githubTimeoutMs: e.GITHUB_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    githubBatching: e.GITHUB_BATCHING === "on",
    githubBatchWindowMs: e.GITHUB_BATCH_WINDOW_MS,
    graphql: {
      introspection: (e.GRAPHQL_INTROSPECTION ?? (production ? "off" : "on")) === "on",
      fieldSuggestions: (e.GRAPHQL_FIELD_SUGGESTIONS ?? (production ? "off" : "on")) === "on",
    },
    queryLimits: { maxDepth: e.QUERY_MAX_DEPTH, maxAliases: e.QUERY_MAX_ALIASES, maxTokens: e.QUERY_MAX_TOKENS, maxChars: e.QUERY_MAX_CHARS, maxCost: e.QUERY_MAX_COST },
    tenantRateLimitPerMinute: e.TENANT_RATE_LIMIT_PER_MINUTE,
    authJwtSecret,
    callerTokenMaxTtlSeconds: e.CALLER_TOKEN_MAX_TTL,
    credentialKeys,
    logLevel: e.LOG_LEVEL,
    generatedSecrets,
  };
}
