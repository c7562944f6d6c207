import type { MigrationInterface, QueryRunner } from "typeorm";

/** What the current key can reach on GitHub (repositories, owners, SAML SSO organizations), found at connect and renew. */
export class KeyReach1764400000000 implements MigrationInterface {
  name = "KeyReach1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" ADD "key_reach" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "integration" DROP COLUMN "key_reach"`);
  }
}
