import type { DataSource } from "typeorm";
import { conflict, ErrorCode, GatewayError } from "../errors";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import { inactive, notConnected } from "./integration-errors";

/** What a request needs of its tenant's integration to use GitHub. */
export interface ActiveIntegration {
  id: string;
  keyVersion: number;
  /** The GitHub account the key belongs to (the one owner an unscoped search always includes). */
  accountLogin: string;
  searchScope: string[];
  searchScopeRefreshedAt: Date | null;
  expiresAt: Date | null;
  /** Set once the gateway has recorded that this key version expires within 7 days. */
  expiryWarnedAt: Date | null;
}

/** An integration that may be used right now, with its decrypted key. Never handed to a formatter or a log. */
export interface UsableKey {
  integration: ActiveIntegration;
  key: string;
}

interface Row {
  id: string;
  status: IntegrationStatus;
  key_version: number;
  account_login: string;
  search_scope: string[];
  search_scope_refreshed_at: Date | null;
  expires_at: Date | null;
  expiry_warned_at: Date | null;
  credential_version: number | null;
  key_id: string | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  auth_tag: Buffer | null;
}

/**
 * One statement, one snapshot: the integration and its credential together. Plain SQL because this
 * runs on every GitHub request, and TypeORM's query builder cost more CPU than the query (profile in
 * bench/README.md).
 */
const CURRENT_KEY = `
  SELECT i.id, i.status, i.key_version, i.account_login, i.search_scope, i.search_scope_refreshed_at, i.expires_at, i.expiry_warned_at,
         c.key_version AS credential_version, c.key_id, c.iv, c.ciphertext, c.auth_tag
    FROM integration i LEFT JOIN integration_credential c ON c.integration_id = i.id
   WHERE i.tenant_id = $1 AND i.provider = $2`;

/** The integration's state alone, by its primary key: read before every upstream call (confirm). */
const KEY_STATE = `SELECT status, key_version FROM integration WHERE id = $1`;

const MAX_CACHED_KEYS = 10_000;

/**
 * Hands out a tenant's current key. Every call reads the integration and its credential, so a renew,
 * deactivate or disconnect committed by any instance is seen by the very next request; only the
 * decryption is cached, keyed by integration and key version.
 */
export class KeyVault {
  private readonly cache = new Map<string, { keyVersion: number; key: string }>();

  constructor(
    private readonly ds: DataSource,
    private readonly cipher: CredentialCipher,
  ) {}

  async usableKey(tenantId: string, provider: IntegrationProvider): Promise<UsableKey> {
    const [row] = (await this.ds.query(CURRENT_KEY, [tenantId, provider])) as Row[];
    if (!row) throw notConnected(provider);
    if (row.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    const integration: ActiveIntegration = {
      id: row.id,
      keyVersion: row.key_version,
      accountLogin: row.account_login,
      searchScope: row.search_scope,
      searchScopeRefreshedAt: row.search_scope_refreshed_at,
      expiresAt: row.expires_at,
      expiryWarnedAt: row.expiry_warned_at,
    };
    const cached = this.cache.get(row.id);
    if (cached?.keyVersion === row.key_version) return { integration, key: cached.key };
    if (row.credential_version !== row.key_version || !row.key_id || !row.iv || !row.ciphertext || !row.auth_tag) {
      // Both rows change in one transaction, so this is a damaged database, not a race.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key does not match its integration; an admin can renew it.");
    }
    let key: string;
    try {
      key = this.cipher.open(
        { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag },
        { tenantId, integrationId: row.id, keyVersion: row.key_version },
      );
    } catch (e) {
      // Logged by the error formatter with its cause; the caller learns what an admin can do about it.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key cannot be decrypted (were CREDENTIAL_KEYS changed?); an admin can renew it.", {}, e);
    }
    this.remember(row.id, row.key_version, key);
    return { integration, key };
  }

  /**
   * Throws unless the key a request loaded is still the integration's key and the integration is still
   * active. Sessions call it before every upstream call, because a request may outlive the renew,
   * deactivate or disconnect another instance commits while it runs (a thread read pages for seconds):
   * "the old key is invalid at once" holds for requests already in flight from their next call on.
   */
  async confirm(integration: Pick<ActiveIntegration, "id" | "keyVersion">, provider: IntegrationProvider): Promise<void> {
    const [row] = (await this.ds.query(KEY_STATE, [integration.id])) as Pick<Row, "status" | "key_version">[];
    if (!row) throw notConnected(provider);
    if (row.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    if (row.key_version !== integration.keyVersion) {
      throw conflict("The workspace's GitHub key was renewed while this request ran; nothing more was sent with the old key. Send the request again.");
    }
  }

  forget(integrationId: string): void {
    this.cache.delete(integrationId);
  }

  private remember(integrationId: string, keyVersion: number, key: string): void {
    this.cache.delete(integrationId);
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(integrationId, { keyVersion, key });
  }
}
