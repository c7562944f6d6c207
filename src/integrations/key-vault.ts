import { conflict, ErrorCode, GatewayError } from "../errors";
import type { CredentialCipher } from "../secrets/credential-cipher";
import { IntegrationProvider, IntegrationStatus } from "../../entities/integration-enums";
import { inactive, notConnected } from "./integration-errors";
import type { IntegrationStore } from "./integration-store";

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
  /**
   * Throws unless this is still the integration's current key and the integration is still active
   * (KeyVault.confirm). The GitHub gate awaits it right before every attempt.
   */
  confirm(): Promise<void>;
}

const MAX_CACHED_KEYS = 10_000;

/**
 * Hands out a tenant's current key. Every call reads the integration and its credential, so a renew,
 * deactivate or disconnect committed by any instance is seen by the very next request; only the
 * decryption is cached, keyed by integration and key version. Both reads are one plain statement of the
 * store each (currentKey, keyState), because they run on every GitHub request.
 */
export class KeyVault {
  private readonly cache = new Map<string, { keyVersion: number; key: string }>();

  constructor(
    private readonly store: IntegrationStore,
    private readonly cipher: CredentialCipher,
  ) {}

  async usableKey(tenantId: string, provider: IntegrationProvider): Promise<UsableKey> {
    const stored = await this.store.currentKey(tenantId, provider);
    if (!stored) throw notConnected(provider);
    if (stored.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    const { integration, credential } = stored;
    const cached = this.cache.get(integration.id);
    if (cached?.keyVersion === integration.keyVersion) return this.usable(integration, cached.key, provider);
    if (!credential || credential.keyVersion !== integration.keyVersion) {
      // Both rows change in one transaction, so this is a damaged database, not a race.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key does not match its integration; an admin can renew it.");
    }
    let key: string;
    try {
      key = this.cipher.open(credential.sealed, { tenantId, integrationId: integration.id, keyVersion: integration.keyVersion });
    } catch (e) {
      // Logged by the error formatter with its cause; the caller learns what an admin can do about it.
      throw new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "The stored key cannot be decrypted (were CREDENTIAL_KEYS changed?); an admin can renew it.", {}, e);
    }
    this.remember(integration.id, integration.keyVersion, key);
    return this.usable(integration, key, provider);
  }

  /**
   * Throws unless the key a request loaded is still the integration's key and the integration is still
   * active. Sessions call it before every upstream call, because a request may outlive the renew,
   * deactivate or disconnect another instance commits while it runs (a thread read pages for seconds):
   * "the old key is invalid at once" holds for requests already in flight from their next call on.
   */
  async confirm(integration: Pick<ActiveIntegration, "id" | "keyVersion">, provider: IntegrationProvider): Promise<void> {
    const state = await this.store.keyState(integration.id);
    if (!state) throw notConnected(provider);
    if (state.status !== IntegrationStatus.ACTIVE) throw inactive(provider);
    if (state.keyVersion !== integration.keyVersion) {
      throw conflict("The workspace's GitHub key was renewed while this request ran; nothing more was sent with the old key. Send the request again.");
    }
  }

  private usable(integration: ActiveIntegration, key: string, provider: IntegrationProvider): UsableKey {
    return { integration, key, confirm: () => this.confirm(integration, provider) };
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
