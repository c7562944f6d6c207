import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { lock } from "proper-lockfile";
import { shownValue, StartupFailure } from "../config/startup-failure";

/** A lock whose holder stopped refreshing it (killed, not stopped) lapses after this long. */
const STALE_MS = 10_000;

/**
 * Embedded PGlite is one process's database: a second gateway, demo or `npm run migrate` on the same
 * folder would write the same files beside it and corrupt them. The lock (proper-lockfile: a directory
 * `<folder>.lock`, refreshed every 5 s) refuses the second one at start-up, in words; it is released on a
 * clean stop and lapses within 10 s after a kill.
 */
export async function lockEmbeddedDatabase(folder: string): Promise<() => Promise<void>> {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  try {
    return await lock(folder, {
      realpath: false,
      lockfilePath: `${folder}.lock`,
      stale: STALE_MS,
      update: STALE_MS / 2,
      retries: 0,
      // Another process took the lock while this one could not refresh it (a stall of over 10 s): both would
      // now write the database, so this one stops rather than corrupt it (thrown from the refresh timer).
      onCompromised: (e) => {
        throw new Error(`the embedded database at ${folder} was taken over by another process (${e.message}); stopping so that only one writes it`);
      },
    });
  } catch (e) {
    if ((e as { code?: string }).code !== "ELOCKED") throw e;
    throw new StartupFailure(
      "DATA_DIR",
      shownValue("DATA_DIR", dirname(folder)),
      "another gateway, demo or npm run migrate has its embedded database open, and PGlite serves one process at a time",
      `stop that one, set DATA_DIR to another folder, or set DATABASE_URL so that several share one PostgreSQL (a lock left by a killed process lapses within ${STALE_MS / 1000} s)`,
    );
  }
}
