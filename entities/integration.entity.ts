import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import { GitHubTokenType, IntegrationProvider, IntegrationStatus } from "./integration-enums";

/**
 * What a key can reach on GitHub (the `key_reach` column), read when it is registered and refreshed with the
 * search scope (src/github/key-reach-reader.ts; the rules about it in src/integrations/key-reach.ts). Real
 * keys see less than they seem (a fine-grained key sees one owner's granted repositories; one awaiting an
 * organization's approval reads public ones only; a classic key is kept out of SAML SSO organizations it is
 * not authorised for), and the card says so.
 */
export interface KeyReach {
  /** Repositories of the key's user (as owner, collaborator or organization member) that the key can see. */
  repositories: number;
  privateRepositories: number;
  /** False when the user has more repositories than the gateway reads (it counts the first pages only). */
  complete: boolean;
  /** Owners of those repositories: the owners an unscoped search is limited to. */
  owners: { login: string; organization: boolean }[];
  /** Organizations that keep their repositories back until the key is authorised for their SAML SSO (logins, or IDs when unnamed). */
  ssoOrganizations: string[];
}

/** One connected provider of one tenant: what the integration card shows. The key itself lives in `integration_credential`. */
@Entity({ name: "integration" })
@Index("integration_tenant_provider_key", ["tenantId", "provider"], { unique: true })
export class IntegrationEntity {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ name: "tenant_id", type: "text" })
  tenantId!: string;

  @Column({ type: "text" })
  provider!: IntegrationProvider;

  @Column({ type: "text" })
  status!: IntegrationStatus;

  /** The last 4 characters of the key: GitHub's keys end in a checksum, so this reveals no secret entropy. */
  @Column({ name: "key_fingerprint", type: "text" })
  keyFingerprint!: string;

  /** Bumped by every renew; the decrypted-key cache is keyed by it, so no instance uses an old key. */
  @Column({ name: "key_version", type: "int" })
  keyVersion!: number;

  @Column({ name: "registered_at", type: "timestamptz" })
  registeredAt!: Date;

  @Column({ name: "registered_by", type: "text" })
  registeredBy!: string;

  @Column({ name: "token_type", type: "text" })
  tokenType!: GitHubTokenType;

  @Column({ name: "account_login", type: "text" })
  accountLogin!: string;

  @Column({ type: "text", array: true })
  scopes!: string[];

  @Column({ name: "expires_at", type: "timestamptz", nullable: true })
  expiresAt!: Date | null;

  @Column({ name: "last_used_at", type: "timestamptz", nullable: true })
  lastUsedAt!: Date | null;

  /** When GitHub last answered 401 to this key; a renew clears it. */
  @Column({ name: "key_rejected_at", type: "timestamptz", nullable: true })
  keyRejectedAt!: Date | null;

  /** When the gateway recorded that the current key expires within 7 days; cleared by a renew. */
  @Column({ name: "expiry_warned_at", type: "timestamptz", nullable: true })
  expiryWarnedAt!: Date | null;

  /** Search qualifiers for the owners the key can see (`user:mona`, `org:acme`); found with the key, refreshed hourly. */
  @Column({ name: "search_scope", type: "text", array: true, default: () => "'{}'" })
  searchScope!: string[];

  /** What the key can reach (repositories, owners, SSO organizations), found with the key and refreshed with the scope; null before migration 1764400000000. */
  @Column({ name: "key_reach", type: "jsonb", nullable: true })
  keyReach!: KeyReach | null;

  @Column({ name: "search_scope_refreshed_at", type: "timestamptz", nullable: true })
  searchScopeRefreshedAt!: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt!: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt!: Date;
}
