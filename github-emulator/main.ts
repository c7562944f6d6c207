// Runs the emulator as its own process:
//   EMULATOR_PORT=0 EMULATOR_KEYS='[{"token":"ghp_x","login":"octocat","scopes":["repo"]}]' \
//     node dist/github-emulator/main.js
// prints one JSON line {"url": ..., "graphqlUrl": ...} once listening and stops on SIGTERM/SIGINT.

import { seedBenchData } from "./bench-data";
import { seedSampleData } from "./sample-data";
import { startGitHubEmulator } from "./server";
import type { EmulatorKey, EmulatorOptions, GitHubEmulator, PermissionLevel, PermissionName } from "./types";

const UNLIMITED = { concurrent: Infinity, graphqlPointsPerMinute: Infinity, restPointsPerMinute: Infinity, contentPerMinute: Infinity, contentPerHour: Infinity };

const PERMISSIONS: readonly PermissionName[] = ["issues", "pull_requests", "contents", "metadata", "members"];

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}

function keyFrom(value: unknown, index: number): EmulatorKey {
  if (typeof value !== "object" || value === null) throw new Error(`EMULATOR_KEYS[${index}] is not an object`);
  const entry = value as Record<string, unknown>;
  if (typeof entry.token !== "string" || typeof entry.login !== "string") {
    throw new Error(`EMULATOR_KEYS[${index}] needs string "token" and "login"`);
  }
  const key: EmulatorKey = { token: entry.token, login: entry.login };
  if (entry.type === "classic" || entry.type === "fine_grained") key.type = entry.type;
  if (Array.isArray(entry.scopes)) key.scopes = entry.scopes.filter((s): s is string => typeof s === "string");
  if (typeof entry.expiresAt === "string") {
    const expiresAt = new Date(entry.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw new Error(`EMULATOR_KEYS[${index}].expiresAt is not a date`);
    key.expiresAt = expiresAt;
  }
  if (typeof entry.name === "string") key.name = entry.name;
  if (typeof entry.databaseId === "number") key.databaseId = entry.databaseId;
  if (Array.isArray(entry.repositories)) key.repositories = entry.repositories.filter((r): r is string => typeof r === "string");
  if (typeof entry.permissions === "object" && entry.permissions !== null) {
    const given = entry.permissions as Record<string, unknown>;
    const permissions: Partial<Record<PermissionName, PermissionLevel>> = {};
    for (const name of PERMISSIONS) {
      const level = given[name];
      if (level === "read" || level === "write") permissions[name] = level;
    }
    key.permissions = permissions;
  }
  if (typeof entry.resourceOwner === "string") key.resourceOwner = entry.resourceOwner;
  if (entry.pendingApproval === true) key.pendingApproval = true;
  if (Array.isArray(entry.ssoAuthorized)) key.ssoAuthorized = entry.ssoAuthorized.filter((o): o is string => typeof o === "string");
  return key;
}

/**
 * EMULATOR_PORT, EMULATOR_HOST, EMULATOR_LATENCY_MS, EMULATOR_RATE_LIMIT_PER_HOUR,
 * EMULATOR_CODE_SEARCH_PER_MINUTE, EMULATOR_RESOURCE_LIMIT, EMULATOR_SECONDARY_LIMITS=off, EMULATOR_KEYS (JSON array). runFromEnv also reads EMULATOR_SAMPLE_DATA
 * and EMULATOR_BENCH_DATA.
 */
export function optionsFromEnv(env: Env): EmulatorOptions {
  const raw: unknown = env.EMULATOR_KEYS ? JSON.parse(env.EMULATOR_KEYS) : [];
  if (!Array.isArray(raw)) throw new Error("EMULATOR_KEYS must be a JSON array");
  return {
    port: intFrom(env, "EMULATOR_PORT") ?? 0,
    host: env.EMULATOR_HOST || undefined,
    latencyMs: intFrom(env, "EMULATOR_LATENCY_MS"),
    rateLimitPerHour: intFrom(env, "EMULATOR_RATE_LIMIT_PER_HOUR"),
    codeSearchPerMinute: intFrom(env, "EMULATOR_CODE_SEARCH_PER_MINUTE"),
    resourceLimit: intFrom(env, "EMULATOR_RESOURCE_LIMIT"),
    // `off` lifts GitHub's secondary limits: the benchmark measures the gateway's own cost at thousands of
    // requests a second from one key, which GitHub itself would refuse.
    ...(env.EMULATOR_SECONDARY_LIMITS === "off" ? { secondaryLimits: UNLIMITED } : {}),
    keys: raw.map(keyFrom),
  };
}

export async function runFromEnv(env: Env, print: (line: string) => void): Promise<GitHubEmulator> {
  const emulator = await startGitHubEmulator(optionsFromEnv(env));
  // EMULATOR_SAMPLE_DATA=1 seeds sample-data.ts (organization acme, mona/dotfiles, ...).
  if (env.EMULATOR_SAMPLE_DATA === "1" || env.EMULATOR_SAMPLE_DATA === "true") seedSampleData(emulator.store);
  // EMULATOR_BENCH_DATA=1 seeds bench-data.ts (organization bench, r0..r4, a 1,000-comment issue) and makes
  // every key's user a member of it: the benchmark's bot works there, so its key sees the private repositories.
  if (env.EMULATOR_BENCH_DATA === "1" || env.EMULATOR_BENCH_DATA === "true") {
    const world = seedBenchData(emulator.store);
    for (const key of optionsFromEnv(env).keys ?? []) emulator.store.addMember(world.owner, key.login);
  }
  print(JSON.stringify({ url: emulator.url, graphqlUrl: emulator.graphqlUrl }));
  return emulator;
}

if (require.main === module) {
  runFromEnv(process.env, (line) => process.stdout.write(`${line}\n`))
    .then((emulator) => {
      const stop = () => void emulator.close().then(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    })
    .catch((error: unknown) => {
      process.stderr.write(`github-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
