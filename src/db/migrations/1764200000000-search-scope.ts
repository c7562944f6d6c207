import type { MigrationInterface, QueryRunner } from "typeorm";

/** The owners a key can see, as search qualifiers (`user:mona`, `org:acme`): the scope of an unscoped search. */
export class SearchScope1764200000000 implements MigrationInterface {
  name = "SearchScope1764200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" ADD "search_scope" text array NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE "integration" ADD "search_scope_refreshed_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" DROP COLUMN "search_scope_refreshed_at"`);
    await q.query(`ALTER TABLE "integration" DROP COLUMN "search_scope"`);
  }
}
