import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { IntegrationEventAction, IntegrationProvider } from "./integration-enums";

/** The audit trail: one row per lifecycle change that took effect. It outlives the integration it describes. */
@Entity({ name: "integration_event" })
@Index("integration_event_tenant_provider_id", ["tenantId", "provider", "id"])
export class IntegrationEventEntity {
  /** Monotonic, so "newest first" and the pagination cursor need no tie-breaker. */
  @PrimaryGeneratedColumn("identity", { type: "bigint", generatedIdentity: "ALWAYS" })
  id!: string;

  @Column({ name: "tenant_id", type: "text" })
  tenantId!: string;

  @Column({ type: "text" })
  provider!: IntegrationProvider;

  /** No foreign key: the events stay after a disconnect deletes the integration. */
  @Column({ name: "integration_id", type: "uuid" })
  integrationId!: string;

  @Column({ type: "text" })
  action!: IntegrationEventAction;

  /** The JWT `sub` of who did it. */
  @Column({ type: "text" })
  actor!: string;

  @Column({ name: "key_fingerprint", type: "text", nullable: true })
  keyFingerprint!: string | null;

  @Column({ type: "timestamptz", default: () => "now()" })
  at!: Date;
}
