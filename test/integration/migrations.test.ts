import "reflect-metadata";
import { createDataSource, migrations, runMigrations } from "../../src/db/data-source";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it("build exactly the schema the entities describe, and revert cleanly", async () => {
    const ds = createDataSource({ databaseUrl: db.url, dataDir: "/nonexistent" });
    await ds.initialize();
    try {
      expect(await runMigrations(ds, "postgres")).toEqual(migrations.map((m) => m.name));
      expect(await runMigrations(ds, "postgres")).toEqual([]); // idempotent
      // TypeORM's own diff between the entities and the database: nothing left to change.
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      const unique = await ds.query(`SELECT indexdef FROM pg_indexes WHERE indexname = 'integration_tenant_provider_key'`);
      expect(unique[0].indexdef).toContain("UNIQUE INDEX");
      for (const _ of migrations) await ds.undoLastMigration();
      const tables = await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'integration%'`);
      expect(tables).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
