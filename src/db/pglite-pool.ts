import { EventEmitter } from "node:events";
import { PGlite, types } from "@electric-sql/pglite";
import { lockEmbeddedDatabase } from "./data-dir-lock";

type Callback<T> = (err: Error | null, value?: T) => void;
type QueryResult = { rows: unknown[]; rowCount?: number; command?: string };

/**
 * A `pg`-shaped pool over one embedded PGlite database, handed to TypeORM as `driver`.
 *
 * PGlite is a single connection. Shared naively (as typeorm-pglite does), two requests' transactions
 * interleave their statements on it. Here a connection is a lease: `connect` waits until the previous
 * holder released it, so every TypeORM query runner (and so every transaction) has the database to
 * itself, as it would have a connection of its own on a real server.
 */
export class PGlitePool extends EventEmitter {
  private static db: Promise<PGlite> | undefined;
  private static dataDir: string | undefined;
  private static unlock: (() => Promise<void>) | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(options: { dataDir?: string }) {
    super();
    if (PGlitePool.db && PGlitePool.dataDir !== options.dataDir) {
      throw new Error(`one embedded database per process: already open at ${PGlitePool.dataDir ?? "memory"}`);
    }
    PGlitePool.dataDir = options.dataDir;
    PGlitePool.db ??= PGlitePool.open(options.dataDir).catch((e: unknown) => {
      // Refused or failed: the next pool in this process may try again.
      PGlitePool.db = undefined;
      PGlitePool.dataDir = undefined;
      throw e;
    });
  }

  /** Locks the folder first (one process per embedded database), then opens it; a failed open leaves nothing held. */
  private static async open(dataDir: string | undefined): Promise<PGlite> {
    const unlock = dataDir ? await lockEmbeddedDatabase(dataDir) : undefined;
    try {
      const db = await PGlite.create({
        dataDir,
        // Same value shapes as `pg`: int8 as string, bytea as Buffer.
        parsers: {
          [types.INT8]: (v: string) => v,
          [types.BYTEA]: (v: string) => Buffer.from(v.slice(2), "hex"),
        },
      });
      PGlitePool.unlock = unlock;
      return db;
    } catch (e) {
      await unlock?.();
      throw e;
    }
  }

  connect(cb: (err: Error | null, client?: PGliteClient, release?: () => void) => void): void {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    previous
      .then(() => PGlitePool.db!)
      .then(
        (db) => {
          let released = false;
          cb(null, new PGliteClient(db), () => {
            if (!released) (released = true), release();
          });
        },
        (err: Error) => {
          release();
          cb(err);
        },
      );
  }

  end(cb?: Callback<void>): void {
    const db = PGlitePool.db;
    const unlock = PGlitePool.unlock;
    PGlitePool.db = undefined;
    PGlitePool.dataDir = undefined;
    PGlitePool.unlock = undefined;
    // An open that failed has nothing to close and holds no lock.
    Promise.resolve(db?.then((d) => d.close(), () => undefined))
      .then(() => unlock?.())
      .then(() => cb?.(null))
      .catch((e: Error) => cb?.(e));
  }
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[]): Promise<QueryResult> {
    if (params && params.length > 0) return this.db.query(sql, params);
    // Without parameters a string may hold several statements (migrations); TypeORM wants the last result.
    const results = await this.db.exec(sql);
    return results[results.length - 1] ?? { rows: [], rowCount: 0 };
  }
}
