import type { MigrationInterface, QueryRunner } from "typeorm";

/** The integration, its credential (a table of its own) and the audit trail. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = "InitialSchema1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "integration" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" text NOT NULL,
        "provider" text NOT NULL,
        "status" text NOT NULL,
        "key_fingerprint" text NOT NULL,
        "key_version" integer NOT NULL,
        "registered_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "registered_by" text NOT NULL,
        "token_type" text NOT NULL,
        "account_login" text NOT NULL,
        "scopes" text array NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_integration" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "integration_tenant_provider_key" ON "integration" ("tenant_id", "provider")`);
    await q.query(`
      CREATE TABLE "integration_credential" (
        "integration_id" uuid NOT NULL,
        "key_version" integer NOT NULL,
        "key_id" text NOT NULL,
        "iv" bytea NOT NULL,
        "ciphertext" bytea NOT NULL,
        "auth_tag" bytea NOT NULL,
        "encrypted_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_integration_credential" PRIMARY KEY ("integration_id"),
        CONSTRAINT "FK_integration_credential_integration" FOREIGN KEY ("integration_id")
          REFERENCES "integration"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await q.query(`
      CREATE TABLE "integration_event" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "tenant_id" text NOT NULL,
        "provider" text NOT NULL,
        "integration_id" uuid NOT NULL,
        "action" text NOT NULL,
        "actor" text NOT NULL,
        "key_fingerprint" text,
        "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_integration_event" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "integration_event_tenant_provider_id" ON "integration_event" ("tenant_id", "provider", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "integration_event"`);
    await q.query(`DROP TABLE "integration_credential"`);
    await q.query(`DROP TABLE "integration"`);
  }
}
