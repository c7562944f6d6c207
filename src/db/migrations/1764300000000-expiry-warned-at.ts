import type { MigrationInterface, QueryRunner } from "typeorm";

/** When the gateway recorded that the current key expires within 7 days (one audit event per key version). */
export class ExpiryWarnedAt1764300000000 implements MigrationInterface {
  name = "ExpiryWarnedAt1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" ADD "expiry_warned_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" DROP COLUMN "expiry_warned_at"`);
  }
}
