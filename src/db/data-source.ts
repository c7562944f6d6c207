import { join } from "node:path";
import { Client, Pool, type ClientConfig, type PoolClient, type PoolConfig } from "pg";
import { DataSource } from "typeorm";
import type { Config } from "../config";
import { ErrorCode, GatewayError } from "../errors";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { IntegrationEventEntity } from "../../entities/integration-event.entity";
import { InitialSchema1764000000000 } from "./migrations/1764000000000-initial-schema";
import { KeyRejectedAt1764100000000 } from "./migrations/1764100000000-key-rejected-at";
import { SearchScope1764200000000 } from "./migrations/1764200000000-search-scope";
import { ExpiryWarnedAt1764300000000 } from "./migrations/1764300000000-expiry-warned-at";
import { KeyReach1764400000000 } from "./migrations/1764400000000-key-reach";
import { KeyChanges1764500000000 } from "./migrations/1764500000000-key-changes";
import { PGlitePool } from "./pglite-pool";

export const entities = [IntegrationEntity, IntegrationCredentialEntity, IntegrationEventEntity];
export const migrations = [InitialSchema1764000000000, KeyRejectedAt1764100000000, SearchScope1764200000000, ExpiryWarnedAt1764300000000, KeyReach1764400000000, KeyChanges1764500000000];

export type DatabaseKind = "postgres" | "pglite";

export function databaseKindOf(config: Pick<Config, "databaseUrl">): DatabaseKind {
  return config.databaseUrl ? "postgres" : "pglite";
}

/** How long PostgreSQL may take, in pg's own option names (ClientConfig, PoolConfig). */
export interface DatabaseLimits {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectionTimeoutMillis: number;
  /** One statement, on the server: it cancels it and answers (a lock wait, a server too busy). */
  statement_timeout: number;
  /** One query, on the client: for a link that goes silent, where the server's own limit never arrives. */
  query_timeout: number;
}

/** The server's cancel travels back before the client gives up, while the server can still talk. */
const CLIENT_GRACE_MS = 500;

/**
 * Derived from REQUEST_TIMEOUT_MS (no setting of their own): a database that stalls or goes silent fails a
 * request within its time instead of holding it as long as the stall lasts. One statement gets half the
 * request's time, so a request that meets the stall at its first query (reading the key) ends well in
 * time, and one that meets it later ends at most about half its time late.
 */
export function databaseLimits(requestTimeoutMs: number): DatabaseLimits {
  const statement = Math.max(50, Math.floor(requestTimeoutMs / 2));
  return { connectionTimeoutMillis: statement, statement_timeout: statement, query_timeout: statement + CLIENT_GRACE_MS };
}

/** pg's and PostgreSQL's words for one of those limits reached. */
function isTimeout(e: unknown): boolean {
  const { message, code } = (e ?? {}) as { message?: unknown; code?: unknown };
  const text = String(message ?? "");
  if (code === "57014") return /statement timeout/i.test(text);
  return /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|timeout expired)$/.test(text);
}

/**
 * A database limit reached, as the caller hears of it: INTERNAL_SERVER_ERROR saying the database did not
 * answer in time (and logged once, in full, as every unexpected error is). TypeORM wraps a query's error in
 * a QueryFailedError that copies the driver error's own fields, so `originalError` goes along, and the error
 * formatter, which follows `originalError`, answers with the GatewayError's message rather than a bare
 * "Internal server error.".
 */
class DatabaseTimeout extends Error {
  readonly originalError: GatewayError;
  constructor(cause: Error) {
    super(`the database did not answer in time (${cause.message})`, { cause });
    this.name = "DatabaseTimeout";
    this.originalError = new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The database did not answer in time; try again shortly.", {}, this);
  }
}

const asTimeout = (e: Error): Error => (isTimeout(e) ? new DatabaseTimeout(e) : e);

/**
 * A client whose query, once past `query_timeout`, also closes its connection: pg leaves it waiting for an
 * answer that may never come, and every later query on it (the transaction's ROLLBACK, the next request's
 * key read) would wait behind it; closed, the pool drops it and opens a fresh one.
 */
class BoundedClient extends Client {
  constructor(config?: ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((e: Error) => {
        if (e.message === "Query read timeout") this.end().catch(() => undefined);
        throw asTimeout(e);
      });
    }) as Client["query"];
  }
}

type ConnectCallback = Parameters<Pool["connect"]>[0];

/** pg's pool with BoundedClient, its connection timeouts reported like the others. */
class BoundedPool extends Pool {
  constructor(config?: PoolConfig) {
    super({ ...config, Client: BoundedClient });
  }

  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    if (!callback) return super.connect().catch((e: Error) => Promise.reject(asTimeout(e)));
    super.connect((err, client, done) => callback(err && asTimeout(err), client, done));
  }
}

const common = { type: "postgres" as const, entities, migrations, synchronize: false, migrationsRun: false, logging: false };

/** `pg` options; with `limits`, through BoundedPool (TypeORM takes a pg-shaped `driver`, as for PGlite below). */
function postgresOptions(url: string, limits?: DatabaseLimits) {
  const extra = { application_name: "connector-gateway", ...limits };
  return { ...common, url, poolSize: 10, extra, ...(limits ? { driver: { Pool: BoundedPool } } : {}) };
}

/**
 * PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite under DATA_DIR when not; never `synchronize`.
 * With `requestTimeoutMs`, PostgreSQL's connections get the limits derived from it; embedded PGlite runs in
 * this process and needs none.
 */
export function createDataSource(config: Pick<Config, "databaseUrl" | "dataDir"> & Partial<Pick<Config, "requestTimeoutMs">>): DataSource {
  if (config.databaseUrl) {
    const limits = config.requestTimeoutMs === undefined ? undefined : databaseLimits(config.requestTimeoutMs);
    return new DataSource(postgresOptions(config.databaseUrl, limits));
  }
  const pool = { Pool: class extends PGlitePool {
    constructor() {
      super({ dataDir: join(config.dataDir, "pglite") });
    }
  } };
  // gen_random_uuid() is built into Postgres 13+, so no extension is installed (PGlite has no pgcrypto).
  return new DataSource({ ...common, driver: pool, uuidExtension: "pgcrypto", installExtensions: false });
}

/**
 * Applies pending migrations; on a shared server an advisory lock keeps two starting instances from racing.
 * On PostgreSQL they run on connections of their own without the request limits: a migration, or waiting
 * for another instance's, may rightly take longer than a request.
 */
export async function runMigrations(ds: DataSource, kind: DatabaseKind): Promise<string[]> {
  if (kind === "pglite") return (await ds.runMigrations({ transaction: "each" })).map((m) => m.name);
  const url = (ds.options as { url?: string }).url;
  if (!url) throw new Error("runMigrations: a PostgreSQL data source made by createDataSource (with a url) is expected");
  const unbounded = new DataSource({ ...postgresOptions(url), poolSize: 2 });
  await unbounded.initialize();
  const lock = unbounded.createQueryRunner();
  try {
    await lock.connect();
    await lock.query("SELECT pg_advisory_lock(hashtext('connector-gateway:migrations'))");
    return (await unbounded.runMigrations({ transaction: "each" })).map((m) => m.name);
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('connector-gateway:migrations'))").catch(() => undefined);
    await lock.release();
    await unbounded.destroy();
  }
}
