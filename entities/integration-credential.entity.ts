import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from "typeorm";
import { IntegrationEntity } from "./integration.entity";

/**
 * The encrypted key of one integration, in a table of its own so that no query for the card ever
 * loads it. AES-256-GCM; the tenant, integration id and key version are the associated data.
 */
@Entity({ name: "integration_credential" })
export class IntegrationCredentialEntity {
  @PrimaryColumn({ name: "integration_id", type: "uuid" })
  integrationId!: string;

  @OneToOne(() => IntegrationEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "integration_id", foreignKeyConstraintName: "FK_integration_credential_integration" })
  integration?: IntegrationEntity;

  @Column({ name: "key_version", type: "int" })
  keyVersion!: number;

  /** Which of CREDENTIAL_KEYS encrypted it. */
  @Column({ name: "key_id", type: "text" })
  keyId!: string;

  @Column({ type: "bytea" })
  iv!: Buffer;

  @Column({ type: "bytea" })
  ciphertext!: Buffer;

  @Column({ name: "auth_tag", type: "bytea" })
  authTag!: Buffer;

  @Column({ name: "encrypted_at", type: "timestamptz" })
  encryptedAt!: Date;
}
