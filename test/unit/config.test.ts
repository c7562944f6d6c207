import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig } from "../../src/config";
import { graphqlUrlFor } from "../../src/config/config.schema";

const key = () => randomBytes(32).toString("base64");
const tmp = () => mkdtempSync(join(tmpdir(), "cg-config-"));
const valid = () => ({
  DATA_DIR: tmp(),
  AUTH_JWT_SECRET: "x".repeat(32),
  CREDENTIAL_KEYS: `k1:${key()}`,
});

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("configuration", () => {
  it("applies the contract's defaults", () => {
    const c = loadConfig(valid());
    expect(c.port).toBe(4000);
    expect(c.host).toBe("127.0.0.1");
    expect(c.databaseUrl).toBeUndefined();
    expect(c.githubApiUrl).toBe("https://api.github.com");
    expect(c.githubGraphqlUrl).toBe("https://api.github.com/graphql");
    expect(c.credentialKeys.map((k) => k.id)).toEqual(["k1"]);
    expect(c.credentialKeys[0].key).toHaveLength(32);
    expect([c.githubTimeoutMs, c.githubBatching, c.githubBatchWindowMs]).toEqual([10000, true, 50]);
  });

  it("reads the batching switches", () => {
    const c = loadConfig({ ...valid(), GITHUB_BATCHING: "off", GITHUB_BATCH_WINDOW_MS: "0" });
    expect([c.githubBatching, c.githubBatchWindowMs]).toEqual([false, 0]);
    expect(problemsOf({ ...valid(), GITHUB_BATCHING: "maybe", GITHUB_BATCH_WINDOW_MS: "500" }).join("\n")).toMatch(/GITHUB_BATCHING[\s\S]*GITHUB_BATCH_WINDOW_MS/);
  });

  it("introspection and field suggestions: on outside production, off in it, and either can be set", () => {
    expect(loadConfig(valid()).graphql).toEqual({ introspection: true, fieldSuggestions: true });
    expect(loadConfig({ ...valid(), NODE_ENV: "production" }).graphql).toEqual({ introspection: false, fieldSuggestions: false });
    expect(loadConfig({ ...valid(), NODE_ENV: "production", GRAPHQL_INTROSPECTION: "on" }).graphql).toEqual({ introspection: true, fieldSuggestions: false });
    expect(problemsOf({ ...valid(), GRAPHQL_INTROSPECTION: "yes" }).join()).toMatch(/GRAPHQL_INTROSPECTION/);
  });

  it("query limits and the tenant budget have defaults and refuse nonsense", () => {
    const c = loadConfig(valid());
    expect(c.queryLimits).toEqual({ maxDepth: 12, maxAliases: 300, maxTokens: 12000, maxChars: 32000, maxCost: 500 });
    expect(c.tenantRateLimitPerMinute).toBe(3000);
    expect(c.requestTimeoutMs).toBe(30000);
    expect(problemsOf({ ...valid(), QUERY_MAX_DEPTH: "1", TENANT_RATE_LIMIT_PER_MINUTE: "0" }).join("\n")).toMatch(/QUERY_MAX_DEPTH[\s\S]*TENANT_RATE_LIMIT_PER_MINUTE/);
  });

  it("bounds a caller token's lifetime: CALLER_TOKEN_MAX_TTL, 24 hours by default, refusing nonsense", () => {
    expect(loadConfig(valid()).callerTokenMaxTtlSeconds).toBe(86400);
    expect(loadConfig({ ...valid(), CALLER_TOKEN_MAX_TTL: "3600" }).callerTokenMaxTtlSeconds).toBe(3600);
    for (const bad of ["0", "-1", "1.5", "forever", "1e20"]) {
      expect(problemsOf({ ...valid(), CALLER_TOKEN_MAX_TTL: bad }).join()).toMatch(/CALLER_TOKEN_MAX_TTL/);
    }
  });

  it("derives GitHub Enterprise Server's GraphQL URL as Octokit does", () => {
    expect(graphqlUrlFor("https://ghe.example.com/api/v3")).toBe("https://ghe.example.com/api/graphql");
    expect(loadConfig({ ...valid(), GITHUB_API_URL: "https://ghe.example.com/api/v3/" }).githubGraphqlUrl).toBe(
      "https://ghe.example.com/api/graphql",
    );
  });

  it("names every problem at once", () => {
    const problems = problemsOf({
      DATA_DIR: tmp(),
      PORT: "http",
      DATABASE_URL: "mysql://x",
      GITHUB_API_URL: "not a url",
      AUTH_JWT_SECRET: "short",
      CREDENTIAL_KEYS: "k1:abc,bad entry",
    });
    const joined = problems.join("\n");
    for (const name of ["PORT", "DATABASE_URL", "GITHUB_API_URL", "AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]) expect(joined).toContain(name);
    expect(joined).toContain("32 bytes");
    expect(joined).toContain("entry 2");
  });

  it("says each problem on one line: the setting, its value (never a secret's) and what to do", () => {
    const secret = "s".repeat(10);
    const problems = problemsOf({ ...valid(), PORT: "abc", QUERY_MAX_COST: "1.5", GITHUB_BATCHING: "maybe", AUTH_JWT_SECRET: secret, DATABASE_URL: "mysql://u:pw@h/db" });
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT="abc": not a number; correct it, or unset PORT for the default (4000)',
        'QUERY_MAX_COST="1.5": not a whole number; correct it, or unset QUERY_MAX_COST for the default (500)',
        'GITHUB_BATCHING="maybe": not one of on, off; correct it, or unset GITHUB_BATCHING for the default (on)',
        "AUTH_JWT_SECRET=(hidden): shorter than 32 characters; correct it, or unset AUTH_JWT_SECRET outside production to have one generated into DATA_DIR",
        'DATABASE_URL="mysql://u:***@h/db": must be a postgres:// or postgresql:// URL; correct it, or unset DATABASE_URL',
      ]),
    );
    for (const p of problems) expect(p).not.toMatch(/\n|ssssssssss|:pw@/);
  });

  it("a DATA_DIR where the development secrets cannot be kept is one problem, not a stack trace", () => {
    const file = join(tmp(), "a-file");
    writeFileSync(file, "");
    expect(problemsOf({ DATA_DIR: join(file, "data") })).toEqual([
      `DATA_DIR="${join(file, "data")}": a development secret cannot be kept there (ENOTDIR); choose a folder this user can write, or set AUTH_JWT_SECRET and CREDENTIAL_KEYS`,
    ]);
  });

  it("refuses duplicate key ids and keys that are not 32 bytes", () => {
    const k = key();
    expect(problemsOf({ ...valid(), CREDENTIAL_KEYS: `a:${k},a:${key()}` }).join()).toContain("used twice");
    expect(problemsOf({ ...valid(), CREDENTIAL_KEYS: `a:${randomBytes(16).toString("base64")}` }).join()).toContain("32 bytes");
  });

  it("in production, a missing secret is an error, and every one is named", () => {
    const problems = problemsOf({ NODE_ENV: "production", DATA_DIR: tmp(), PORT: "-1" });
    expect(problems.some((p) => p.startsWith("AUTH_JWT_SECRET"))).toBe(true);
    expect(problems.some((p) => p.startsWith("CREDENTIAL_KEYS"))).toBe(true);
    expect(problems.some((p) => p.startsWith("PORT"))).toBe(true);
  });

  it("outside production, generates missing secrets once into DATA_DIR with mode 0600 and reads them back", () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.generatedSecrets.sort()).toEqual(["AUTH_JWT_SECRET", "CREDENTIAL_KEYS"]);
    for (const f of ["auth-jwt-secret", "credential-keys"]) {
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(join(dir, "auth-jwt-secret"), "utf8").trim()).toBe(first.authJwtSecret);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.generatedSecrets).toEqual([]);
    expect(second.authJwtSecret).toBe(first.authJwtSecret);
    expect(second.credentialKeys[0].key.equals(first.credentialKeys[0].key)).toBe(true);
  });
});
