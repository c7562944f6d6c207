import { join } from "node:path";
import { DataSource } from "typeorm";
import type { Config } from "../config";
import { IntegrationEntity } from "../../entities/integration.entity";
import { IntegrationCredentialEntity } from "../../entities/integration-credential.entity";
import { IntegrationEventEntity } from "../../entities/integration-event.entity";
import { InitialSchema1764000000000 } from "./migrations/1764000000000-initial-schema";
import { KeyRejectedAt1764100000000 } from "./migrations/1764100000000-key-rejected-at";
import { SearchScope1764200000000 } from "./migrations/1764200000000-search-scope";
import { ExpiryWarnedAt1764300000000 } from "./migrations/1764300000000-expiry-warned-at";
import { KeyReach1764400000000 } from "./migrations/1764400000000-key-reach";
import { PGlitePool } from "./pglite-pool";

export const entities = [IntegrationEntity, IntegrationCredentialEntity, IntegrationEventEntity];
export const migrations = [InitialSchema1764000000000, KeyRejectedAt1764100000000, SearchScope1764200000000, ExpiryWarnedAt1764300000000, KeyReach1764400000000];

export type DatabaseKind = "postgres" | "pglite";

export function databaseKindOf(config: Pick<Config, "databaseUrl">): DatabaseKind {
  return config.databaseUrl ? "postgres" : "pglite";
}

/** PostgreSQL through `pg` when DATABASE_URL is set, embedded PGlite under DATA_DIR when not; never `synchronize`. */
export function createDataSource(config: Pick<Config, "databaseUrl" | "dataDir">): DataSource {
  const common = { type: "postgres" as const, entities, migrations, synchronize: false, migrationsRun: false, logging: false };
  if (config.databaseUrl) {
    return new DataSource({ ...common, url: config.databaseUrl, poolSize: 10, extra: { application_name: "connector-gateway" } });
  }
  const pool = { Pool: class extends PGlitePool {
    constructor() {
      super({ dataDir: join(config.dataDir, "pglite") });
    }
  } };
  // gen_random_uuid() is built into Postgres 13+, so no extension is installed (PGlite has no pgcrypto).
  return new DataSource({ ...common, driver: pool, uuidExtension: "pgcrypto", installExtensions: false });
}

/** Applies pending migrations; on a shared server an advisory lock keeps two starting instances from racing. */
export async function runMigrations(ds: DataSource, kind: DatabaseKind): Promise<string[]> {
  if (kind === "pglite") return (await ds.runMigrations({ transaction: "each" })).map((m) => m.name);
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('connector-gateway:migrations'))");
    return (await ds.runMigrations({ transaction: "each" })).map((m) => m.name);
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('connector-gateway:migrations'))").catch(() => undefined);
    await lock.release();
  }
}
