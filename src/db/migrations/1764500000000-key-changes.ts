import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What lets an instance keep a workspace's key in memory and still honour "the old key is invalid at once"
 * (src/integrations/key-change-feed.ts): every lifecycle change takes the next number of `key_change_clock`
 * in its transaction, and each live instance records in `gateway_instance` the last change it has heard
 * and until when its lease says it is listening. A change answers once every live instance has heard it.
 */
export class KeyChanges1764500000000 implements MigrationInterface {
  name = "KeyChanges1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "key_change_clock" ("id" smallint PRIMARY KEY CHECK ("id" = 1), "seq" bigint NOT NULL)`);
    await q.query(`INSERT INTO "key_change_clock" ("id", "seq") VALUES (1, 0)`);
    await q.query(`
      CREATE TABLE "gateway_instance" (
        "id" uuid PRIMARY KEY,
        "lease_until" timestamptz NOT NULL,
        "heard_change" bigint NOT NULL,
        "started_at" timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway_instance"`);
    await q.query(`DROP TABLE "key_change_clock"`);
  }
}
