import type { MigrationInterface, QueryRunner } from "typeorm";

/** When GitHub last answered 401 to the stored key (cleared by a renew): the card's key health. */
export class KeyRejectedAt1764100000000 implements MigrationInterface {
  name = "KeyRejectedAt1764100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" ADD "key_rejected_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" DROP COLUMN "key_rejected_at"`);
  }
}
