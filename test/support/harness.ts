import "reflect-metadata";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { signCallerToken, type Role } from "../../src/auth/caller-token";
import { loadConfig, type Config } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startGateway, type Gateway } from "../../src/server";
import { startGitHubEmulator, type EmulatorKey, type GitHubEmulator } from "../../github-emulator";
import { createTestDatabase, type TestDatabase } from "./test-database";

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface Harness {
  gateway: Gateway;
  emulator: GitHubEmulator;
  config: Config;
  /** Every log line the gateway wrote. */
  logs: string[];
  token(tenant: string, role: Role, sub?: string): Promise<string>;
  gql<T = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** A generated, typed operation (schema/operations/*.graphql). */
  run<T, V extends Record<string, unknown>>(token: string, document: TypedDocumentNode<T, V>, variables?: V): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  database: "postgres" | "pglite";
  keys?: EmulatorKey[];
  /** Share one emulator between several gateways (two instances on one database). */
  emulator?: GitHubEmulator;
  /** Share one database (and secrets) with another harness. */
  shareWith?: Harness;
  env?: Record<string, string>;
}

/** A real gateway (HTTP, Apollo, TypeORM) on a real database, talking to the GitHub emulator over HTTP. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emulator = options.emulator ?? options.shareWith?.emulator ?? (await startGitHubEmulator({ keys: options.keys ?? [] }));
  const ownsEmulator = !options.emulator && !options.shareWith;
  let db: TestDatabase | undefined;
  try {
    if (!options.shareWith && options.database === "postgres") db = await createTestDatabase();
    return await startOn(emulator, ownsEmulator, options, db);
  } catch (e) {
    // A later step failed (no PostgreSQL, a bad setting, the gateway not starting): undo the earlier ones, so
    // that no server keeps Jest from exiting and no test database is left behind.
    if (ownsEmulator) await emulator.close().catch(() => undefined);
    await db?.drop().catch(() => undefined);
    throw e;
  }
}

async function startOn(emulator: GitHubEmulator, ownsEmulator: boolean, options: HarnessOptions, db: TestDatabase | undefined): Promise<Harness> {
  let env: Record<string, string>;
  if (options.shareWith) {
    const c = options.shareWith.config;
    env = { DATA_DIR: c.dataDir, AUTH_JWT_SECRET: c.authJwtSecret, CREDENTIAL_KEYS: c.credentialKeys.map((k) => `${k.id}:${k.key.toString("base64")}`).join(","), ...(c.databaseUrl ? { DATABASE_URL: c.databaseUrl } : {}) };
  } else {
    env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), "cg-harness-")),
      AUTH_JWT_SECRET: randomBytes(32).toString("base64url"),
      CREDENTIAL_KEYS: `test1:${randomBytes(32).toString("base64")}`,
      ...(db ? { DATABASE_URL: db.url } : {}),
    };
  }
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", GITHUB_API_URL: emulator.url, LOG_LEVEL: "debug", GITHUB_TIMEOUT_MS: "3000", ...env, ...options.env });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const gateway = await startGateway(config, createLogger(config.logLevel, sink));
  const endpoint = `${gateway.url}/graphql`;
  async function gql<T>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GraphQLResult<T>["body"] };
  }

  return {
    gateway,
    emulator,
    config,
    logs,
    token: (tenant, role, sub) => signCallerToken({ tenant, role, sub: sub ?? `${role}@${tenant}` }, config.authJwtSecret),
    gql,
    run: (token, document, variables) => gql(token, print(document), variables),
    async close() {
      await gateway.stop();
      if (ownsEmulator) await emulator.close();
      await db?.drop();
    },
  };
}

/** The first error's code, for terse assertions. */
export const codeOf = (r: GraphQLResult<unknown>) => r.body.errors?.[0]?.extensions?.code;
