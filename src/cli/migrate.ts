import "reflect-metadata";
import { loadConfig } from "../config";
import { createDataSource, databaseKindOf, runMigrations } from "../db/data-source";
import { runCli } from "./args";

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
void runCli(async () => {
  const config = loadConfig();
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    const applied = await runMigrations(ds, databaseKindOf(config));
    process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "no pending migrations\n");
  } finally {
    await ds.destroy();
  }
});
