import { resolve } from "node:path";
import { z } from "zod";
import { credentialKeysSchema, envSchema, graphqlUrlFor, type CredentialKey } from "./config.schema";
import { readOrCreateDevSecret } from "./dev-secrets";
import { shownValue, startupLine } from "./startup-failure";

export type { CredentialKey } from "./config.schema";

/** GitHub's secondary limits per key (src/github/gate/secondary-pacing.ts keeps them). */
export interface SecondaryLimitRules {
  graphqlPointsPerMinute: number;
  restPointsPerMinute: number;
  contentPerMinute: number;
  contentPerHour: number;
}

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
  /** WORKSPACE_TURNS: workspaces take turns on each instance's event loop. */
  workspaceTurns: boolean;
  githubBatchWindowMs: number;
  /** KEY_CHANGE_LEASE_MS (key-change-feed.ts). */
  keyChangeLeaseMs: number;
  graphql: { introspection: boolean; fieldSuggestions: boolean };
  queryLimits: QueryLimits;
  tenantRateLimitPerMinute: number;
  /** GITHUB_GRAPHQL_POINTS_PER_MINUTE and the like: GitHub's secondary limits per key (secondary-pacing.ts). */
  githubSecondaryLimits: SecondaryLimitRules;
  /** REDIS_URL and REDIS_TIMEOUT_MS: where instances share their limits (limits/shared-limits.ts); absent, each keeps its own. */
  redis?: { url: string; timeoutMs: number };
  authJwtSecret: string;
  /** CALLER_TOKEN_MAX_TTL: verifyCallerToken refuses tokens that claim to live longer. */
  callerTokenMaxTtlSeconds: number;
  credentialKeys: CredentialKey[];
  /** The MCP door (/mcp): the authorization servers its protected-resource metadata names. */
  mcp: { authorizationServers: string[]; allowedOrigins: string[] };
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

/** Every problem of the environment at once, one line each: the setting, its value (never a secret) and what to do. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** zod's issue in plain words, without its "Invalid input: expected ..." phrasing. */
function plainProblem(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "int" ? "not a whole number" : issue.expected === "number" ? "not a number" : issue.message;
    case "too_big":
      return `more than ${String(issue.maximum)}, the most it may be`;
    case "too_small":
      return issue.origin === "string" ? `shorter than ${String(issue.minimum)} characters` : `less than ${String(issue.minimum)}, the least it may be`;
    case "invalid_value":
      return `not one of ${issue.values.map(String).join(", ")}`;
    default:
      return issue.message;
  }
}

/** What to do about a setting: its default when it has one. */
function adviceFor(name: string): string {
  const field = (envSchema.shape as Record<string, z.ZodType | undefined>)[name];
  if (field instanceof z.ZodDefault) return `correct it, or unset ${name} for the default (${String(field.def.defaultValue)})`;
  return name === "AUTH_JWT_SECRET" || name === "CREDENTIAL_KEYS" ? `correct it, or unset ${name} outside production to have one generated into DATA_DIR` : `correct it, or unset ${name}`;
}

/** `PORT="abc": not a number; correct it, or unset PORT for the default (4000)`. */
export function problemLine(name: string, value: string | undefined, problem: string, advice = adviceFor(name)): string {
  return startupLine(name, shownValue(name, value), problem, advice);
}

function problemsOf(error: z.ZodError, env: NodeJS.ProcessEnv): string[] {
  return error.issues.map((i) => {
    const name = String(i.path[0] ?? "environment");
    return problemLine(name, env[name], plainProblem(i));
  });
}

/** Validates the whole environment at once and reports every problem, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const production = env.NODE_ENV === "production";
  const problems = parsed.success ? [] : problemsOf(parsed.error, env);
  if (production) {
    for (const name of ["AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]) {
      if (!env[name]?.trim()) problems.push(problemLine(name, undefined, "required when NODE_ENV=production", `set it (README.md, Configuration)`));
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const generatedSecrets: string[] = [];

  let authJwtSecret = e.AUTH_JWT_SECRET;
  let credentialKeys = e.CREDENTIAL_KEYS;
  // A DATA_DIR that cannot be written is a problem of its own, reported once, not a stack trace.
  const devSecret = (name: "auth-jwt-secret" | "credential-keys") => {
    try {
      return readOrCreateDevSecret(dataDir, name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      if (!problems.some((p) => p.startsWith("DATA_DIR="))) {
        problems.push(problemLine("DATA_DIR", e.DATA_DIR, `a development secret cannot be kept there (${code})`, "choose a folder this user can write, or set AUTH_JWT_SECRET and CREDENTIAL_KEYS"));
      }
      return undefined;
    }
  };
  if (!authJwtSecret) {
    const s = devSecret("auth-jwt-secret");
    if (s && s.value.length < 32) problems.push(problemLine("AUTH_JWT_SECRET", undefined, `the one generated into ${dataDir}/auth-jwt-secret is shorter than 32 characters`, "delete that file to have a new one generated, or set AUTH_JWT_SECRET"));
    authJwtSecret = s?.value;
    if (s?.created) generatedSecrets.push("AUTH_JWT_SECRET");
  }
  if (!credentialKeys) {
    const s = devSecret("credential-keys");
    const keys = credentialKeysSchema.safeParse(s?.value);
    if (!s) credentialKeys = undefined;
    else if (!keys.success) problems.push(problemLine("CREDENTIAL_KEYS", undefined, `the ones in ${dataDir}/credential-keys are not valid (${keys.error.issues.map((i) => i.message).join("; ")})`, "restore that file: the stored keys were encrypted with it"));
    else credentialKeys = keys.data;
    if (s?.created) generatedSecrets.push("CREDENTIAL_KEYS");
  }
  if (problems.length > 0 || !credentialKeys || !authJwtSecret) throw new ConfigError(problems);

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
    workspaceTurns: e.WORKSPACE_TURNS === "on",
    githubBatchWindowMs: e.GITHUB_BATCH_WINDOW_MS,
    keyChangeLeaseMs: e.KEY_CHANGE_LEASE_MS,
    graphql: {
      introspection: (e.GRAPHQL_INTROSPECTION ?? (production ? "off" : "on")) === "on",
      fieldSuggestions: (e.GRAPHQL_FIELD_SUGGESTIONS ?? (production ? "off" : "on")) === "on",
    },
    queryLimits: { maxDepth: e.QUERY_MAX_DEPTH, maxAliases: e.QUERY_MAX_ALIASES, maxTokens: e.QUERY_MAX_TOKENS, maxChars: e.QUERY_MAX_CHARS, maxCost: e.QUERY_MAX_COST },
    tenantRateLimitPerMinute: e.TENANT_RATE_LIMIT_PER_MINUTE,
    githubSecondaryLimits: {
      graphqlPointsPerMinute: e.GITHUB_GRAPHQL_POINTS_PER_MINUTE,
      restPointsPerMinute: e.GITHUB_REST_POINTS_PER_MINUTE,
      contentPerMinute: e.GITHUB_CONTENT_PER_MINUTE,
      contentPerHour: e.GITHUB_CONTENT_PER_HOUR,
    },
    redis: e.REDIS_URL ? { url: e.REDIS_URL, timeoutMs: e.REDIS_TIMEOUT_MS } : undefined,
    authJwtSecret,
    callerTokenMaxTtlSeconds: e.CALLER_TOKEN_MAX_TTL,
    credentialKeys,
    mcp: { authorizationServers: e.MCP_AUTHORIZATION_SERVERS, allowedOrigins: e.MCP_ALLOWED_ORIGINS },
    logLevel: e.LOG_LEVEL,
    generatedSecrets,
  };
}
